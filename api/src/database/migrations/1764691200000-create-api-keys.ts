import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

const uuid = { type: 'varchar', length: '36' };
const timestamp = { type: 'datetime', precision: 3 };

/**
 * Personal API keys: found by the hash of their secret (unique), listed per user newest first,
 * gone with their user. Written once for both drivers.
 */
export class CreateApiKeys1764691200000 implements MigrationInterface {
  name = 'CreateApiKeys1764691200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          { name: 'id', ...uuid, isPrimary: true },
          { name: 'user_id', ...uuid },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'prefix', type: 'varchar', length: '16' },
          { name: 'secret_hash', type: 'varchar', length: '64' },
          { name: 'created_at', ...timestamp },
          { name: 'last_used_at', ...timestamp, isNullable: true },
          { name: 'expires_at', ...timestamp, isNullable: true },
        ],
        indices: [
          { columnNames: ['secret_hash'], isUnique: true },
          { columnNames: ['user_id', 'created_at'] },
        ],
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_keys');
  }
}
