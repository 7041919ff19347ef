import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

const uuid = { type: 'varchar', length: '36' };
const timestamp = { type: 'datetime', precision: 3 };
const nullable = { isNullable: true };

const cascadeTo = (table: string, column: string) =>
  new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/** Videos, their generation jobs and the idempotency keys of POST /api/videos. */
export class CreateVideos1764172800000 implements MigrationInterface {
  name = 'CreateVideos1764172800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'videos',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'user_id', ...uuid },
          { name: 'prompt', type: 'text' },
          { name: 'title', type: 'varchar', length: '120' },
          { name: 'orientation', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'provider', type: 'varchar', length: '32' },
          { name: 'model', type: 'varchar', length: '64', ...nullable },
          { name: 'duration_seconds', type: 'double' },
          { name: 'width', type: 'int', ...nullable },
          { name: 'height', type: 'int', ...nullable },
          { name: 'codec', type: 'varchar', length: '32', ...nullable },
          { name: 'size_bytes', type: 'int', ...nullable },
          { name: 'file_key', type: 'varchar', length: '255', ...nullable },
          { name: 'thumbnail_key', type: 'varchar', length: '255', ...nullable },
          { name: 'source_url', type: 'text', ...nullable },
          { name: 'favorite', type: 'boolean' },
          { name: 'error_code', type: 'varchar', length: '64', ...nullable },
          { name: 'error_message', type: 'text', ...nullable },
          { name: 'current_job_id', ...uuid },
          { name: 'created_at', ...timestamp },
          { name: 'updated_at', ...timestamp },
          { name: 'completed_at', ...timestamp, ...nullable },
        ],
        indices: [{ columnNames: ['user_id', 'created_at'] }],
        foreignKeys: [cascadeTo('users', 'user_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'video_jobs',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'video_id', ...uuid },
          { name: 'user_id', ...uuid },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'progress', type: 'int' },
          { name: 'stage', type: 'varchar', length: '255' },
          { name: 'attempt', type: 'int' },
          { name: 'error_code', type: 'varchar', length: '64', ...nullable },
          { name: 'error_message', type: 'text', ...nullable },
          { name: 'created_at', ...timestamp },
          { name: 'updated_at', ...timestamp },
          { name: 'started_at', ...timestamp, ...nullable },
          { name: 'finished_at', ...timestamp, ...nullable },
        ],
        indices: [
          { columnNames: ['video_id'] },
          { columnNames: ['status', 'created_at'] },
          { columnNames: ['user_id', 'status'] },
        ],
        foreignKeys: [cascadeTo('videos', 'video_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'user_id', ...uuid, isPrimary: true },
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'video_id', ...uuid },
          { name: 'job_id', ...uuid },
          { name: 'created_at', ...timestamp },
        ],
        foreignKeys: [cascadeTo('users', 'user_id'), cascadeTo('videos', 'video_id')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
    await queryRunner.dropTable('video_jobs');
    await queryRunner.dropTable('videos');
  }
}
