import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Which video a remix (POST /v1/videos/{id}/remix) was made from. No foreign key: like OpenAI's
 * `remixed_from_video_id`, the id stays as provenance once its video is deleted.
 */
export class AddRemixedFrom1764777600000 implements MigrationInterface {
  name = 'AddRemixedFrom1764777600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'videos',
      new TableColumn({
        name: 'remixed_from_video_id',
        type: 'varchar',
        length: '36',
        isNullable: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('videos', 'remixed_from_video_id');
  }
}
