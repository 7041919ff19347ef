import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * What each video asked for, kept apart from what its file turned out to be: gateways may make
 * another orientation or length than requested, and the two columns that said both
 * (`orientation`, `duration_seconds`) now hold the file's. Earlier rows get their own values: the
 * request is not known any more, and for most of them the file matched it. Lengths were asked for
 * in whole seconds, at least one.
 */
export class AddRequestedShape1764518400000 implements MigrationInterface {
  name = 'AddRequestedShape1764518400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('videos', [
      new TableColumn({
        name: 'requested_orientation',
        type: 'varchar',
        length: '16',
        default: "'portrait'",
      }),
      new TableColumn({ name: 'requested_duration_seconds', type: 'int', default: 1 }),
    ]);
    await queryRunner.query(
      'UPDATE videos SET requested_orientation = orientation, requested_duration_seconds = ' +
        'CASE WHEN duration_seconds < 1 THEN 1 ELSE ROUND(duration_seconds) END',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('videos', 'requested_duration_seconds');
    await queryRunner.dropColumn('videos', 'requested_orientation');
  }
}
