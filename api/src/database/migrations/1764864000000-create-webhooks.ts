import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

const uuid = { type: 'varchar', length: '36' };
const timestamp = { type: 'datetime', precision: 3 };
const nullable = { isNullable: true };

/**
 * Webhook endpoints (gone with their user) and their deliveries (gone with their endpoint), the
 * outbox the workers send from: due ones are found by status and time of the next try, an
 * endpoint's log is read newest first. Written once for both drivers.
 */
export class CreateWebhooks1764864000000 implements MigrationInterface {
  name = 'CreateWebhooks1764864000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webhooks',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'user_id', ...uuid },
          { name: 'url', type: 'varchar', length: '2048' },
          { name: 'events', type: 'text' },
          { name: 'secret', type: 'varchar', length: '64' },
          { name: 'enabled', type: 'boolean' },
          { name: 'disabled_reason', type: 'varchar', length: '1000', ...nullable },
          { name: 'failing_since', ...timestamp, ...nullable },
          { name: 'created_at', ...timestamp },
          { name: 'updated_at', ...timestamp },
        ],
        indices: [{ columnNames: ['user_id', 'created_at'] }],
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
        name: 'webhook_deliveries',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'webhook_id', ...uuid },
          { name: 'event_id', type: 'varchar', length: '64' },
          { name: 'event_type', type: 'varchar', length: '32' },
          { name: 'body', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'text' },
          { name: 'next_attempt_at', ...timestamp, ...nullable },
          { name: 'locked_until', ...timestamp, ...nullable },
          { name: 'claim_token', type: 'varchar', length: '36', ...nullable },
          { name: 'created_at', ...timestamp },
        ],
        indices: [
          { columnNames: ['webhook_id', 'created_at'] },
          { columnNames: ['status', 'next_attempt_at'] },
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['webhook_id'],
            referencedTableName: 'webhooks',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhooks');
  }
}
