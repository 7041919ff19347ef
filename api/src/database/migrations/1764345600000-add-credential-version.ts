import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const credentialVersion = () =>
  new TableColumn({ name: 'credential_version', type: 'int', default: 0 });

/**
 * A counter on the user bumped with each password change, and on each session the value it was
 * issued under: a session behind its user is over, even one a login racing the change wrote late.
 */
export class AddCredentialVersion1764345600000 implements MigrationInterface {
  name = 'AddCredentialVersion1764345600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', credentialVersion());
    await queryRunner.addColumn('sessions', credentialVersion());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('sessions', 'credential_version');
    await queryRunner.dropColumn('users', 'credential_version');
  }
}
