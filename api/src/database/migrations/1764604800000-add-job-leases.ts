import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Who runs a job and until when: a worker renews its lease while it is alive, and another worker
 * takes over a running job whose lease has expired (its worker died). Rows of running jobs
 * that predate leases have none and count as expired.
 */
export class AddJobLeases1764604800000 implements MigrationInterface {
  name = 'AddJobLeases1764604800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('video_jobs', [
      new TableColumn({ name: 'worker_id', type: 'varchar', length: '128', isNullable: true }),
      new TableColumn({
        name: 'lease_expires_at',
        type: 'datetime',
        precision: 3,
        isNullable: true,
      }),
    ]);
    await queryRunner.createIndex(
      'video_jobs',
      new TableIndex({ columnNames: ['status', 'lease_expires_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const table = await queryRunner.getTable('video_jobs');
    const index = table?.indices.find((each) => each.columnNames.includes('lease_expires_at'));
    if (index) await queryRunner.dropIndex('video_jobs', index);
    await queryRunner.dropColumn('video_jobs', 'lease_expires_at');
    await queryRunner.dropColumn('video_jobs', 'worker_id');
  }
}
