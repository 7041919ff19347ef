import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

const uuid = { type: 'varchar', length: '36' };
const timestamp = { type: 'datetime', precision: 3 };

/** Users, their sessions and the per-email failed-login counter. Written once for both drivers. */
export class CreateAccounts1764086400000 implements MigrationInterface {
  name = 'CreateAccounts1764086400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'email', type: 'varchar', length: '254', isUnique: true },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'display_name', type: 'varchar', length: '80' },
          { name: 'created_at', ...timestamp },
          { name: 'updated_at', ...timestamp },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'user_id', ...uuid },
          { name: 'created_at', ...timestamp },
          { name: 'expires_at', ...timestamp },
        ],
        indices: [{ columnNames: ['user_id'] }],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'login_failures',
        columns: [
          { name: 'email', type: 'varchar', length: '254', isPrimary: true },
          { name: 'failure_count', type: 'int' },
          { name: 'window_started_at', ...timestamp },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_failures');
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('users');
  }
}
