import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * MySQL/MariaDB only; SQLite already stores every integer in 64 bits and compares text byte by
 * byte. `size_bytes` becomes BIGINT: an INT stops at 2 GiB, below what DOWNLOAD_MAX_MB allows, and
 * the success transition of a larger result failed. Emails and idempotency keys get a binary
 * collation: the default one equates `josé` with `jose` and `AbC` with `abc`, so the engines
 * disagreed on who owns an account or a key. Case-insensitive emails are the app's doing (it
 * stores them lower-case), not the collation's.
 */
export class BigintSizesAndExactKeys1764432000000 implements MigrationInterface {
  name = 'BigintSizesAndExactKeys1764432000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'mysql') return;
    await queryRunner.query('ALTER TABLE `videos` MODIFY `size_bytes` bigint NULL');
    await this.collate(queryRunner, 'utf8mb4_bin');
  }

  /** Fails when two emails or keys differ only in case or accents by then, as it should. */
  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'mysql') return;
    await this.collate(queryRunner, 'utf8mb4_unicode_ci');
    await queryRunner.query('ALTER TABLE `videos` MODIFY `size_bytes` int NULL');
  }

  private async collate(queryRunner: QueryRunner, collation: string): Promise<void> {
    const text = (length: number) =>
      `varchar(${length}) CHARACTER SET utf8mb4 COLLATE ${collation} NOT NULL`;
    await queryRunner.query(`ALTER TABLE \`users\` MODIFY \`email\` ${text(254)}`);
    await queryRunner.query(`ALTER TABLE \`login_failures\` MODIFY \`email\` ${text(254)}`);
    await queryRunner.query(`ALTER TABLE \`idempotency_keys\` MODIFY \`key\` ${text(255)}`);
  }
}
