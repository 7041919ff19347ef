import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The upstream's own id for a job, so a restart resumes following it instead of paying again. */
export class AddUpstreamJobId1764259200000 implements MigrationInterface {
  name = 'AddUpstreamJobId1764259200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'video_jobs',
      new TableColumn({
        name: 'upstream_job_id',
        type: 'varchar',
        length: '255',
        isNullable: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('video_jobs', 'upstream_job_id');
  }
}
