import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions, MigrationExecutor, QueryRunner } from 'typeorm';
import { runSqliteTransactionsOneAtATime } from './sqlite-transactions';

/**
 * How long a starting process waits while another one migrates the same database. Longer than
 * any migration so far takes; a process that gives up exits with an error and can be restarted.
 */
const LOCK_WAIT_SECONDS = 300;

const logger = new Logger('Database');

/**
 * Opens the database and brings its schema up to date before anything queries it: every
 * process does this at start (see DatabaseModule), `npm run migrate` does it alone.
 */
export async function openMigrated(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  if (options.type === 'better-sqlite3') runSqliteTransactionsOneAtATime(dataSource);
  try {
    const ran = await migrateOnce(dataSource);
    if (ran.length > 0) logger.log({ msg: 'Migrated the database', migrations: ran });
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

/**
 * Runs the pending migrations and returns their names. Processes started at the same moment
 * against one database take turns under a lock, and each reads what is pending only once it
 * holds it: the first migrates, the others find nothing left to do. (TypeORM's own
 * `migrationsRun` takes no lock: two processes would both run the same migrations.)
 */
export async function migrateOnce(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    const executor = new MigrationExecutor(dataSource, runner);
    const ran =
      dataSource.options.type === 'mysql'
        ? await underNamedLock(runner, () => executor.executePendingMigrations())
        : await inWriteTransaction(runner, executor);
    return ran.map((migration) => migration.name);
  } finally {
    await runner.release();
  }
}

/**
 * MySQL/MariaDB: a named lock held by this runner's connection (the server frees it should the
 * process die). Named after the database, so databases on one server do not wait for each
 * other; hashed, as lock names are limited to 64 characters.
 */
async function underNamedLock<T>(runner: QueryRunner, work: () => Promise<T>): Promise<T> {
  const lock = "CONCAT('vidgen_migrations_', MD5(DATABASE()))";
  const getLock = async (seconds: number) =>
    Number((await runner.query(`SELECT GET_LOCK(${lock}, ?) AS got`, [seconds]))[0].got) === 1;
  if (!(await getLock(0))) {
    logger.log('Another process is migrating the database; waiting for it to finish');
    if (!(await getLock(LOCK_WAIT_SECONDS))) {
      throw new Error(
        `Another process has held the migration lock for ${LOCK_WAIT_SECONDS} s; ` +
          'is a migration stuck? (SELECT IS_USED_LOCK(...) shows the connection holding it)',
      );
    }
  }
  try {
    return await work();
  } finally {
    // The lock also ends with the connection: a failed release must not hide a failed migration.
    await runner.query(`SELECT RELEASE_LOCK(${lock})`).catch((error: unknown) => {
      logger.warn({ msg: 'Could not release the migration lock', err: String(error) });
    });
  }
}

/**
 * SQLite: every migration and the read of what is pending in one transaction that takes the
 * database's write lock at once (IMMEDIATE), so a second process waits (busy_timeout) and then
 * finds everything done. The embedded shape runs one process per file; this only keeps two that
 * start together from tripping over each other.
 *
 * Foreign keys are off while it runs (beforeMigration), as TypeORM does for its own runs: SQLite
 * changes a table by copying it, dropping the old one and renaming the copy, and dropping a table
 * with keys on deletes the rows of every table that cascades from it (adding a column to `users`
 * would delete every session and video). The pragma has no effect inside a transaction, hence
 * before BEGIN; the keys are checked before COMMIT.
 */
async function inWriteTransaction(runner: QueryRunner, executor: MigrationExecutor) {
  executor.transaction = 'none';
  await runner.beforeMigration();
  try {
    await runner.query('BEGIN IMMEDIATE');
    try {
      const ran = await executor.executePendingMigrations();
      const broken = await runner.query('PRAGMA foreign_key_check');
      if (broken.length > 0) {
        throw new Error(`The migrations left ${broken.length} rows pointing at missing rows`);
      }
      await runner.query('COMMIT');
      return ran;
    } catch (error) {
      await runner.query('ROLLBACK').catch((rollback: unknown) => {
        logger.error({ msg: 'Could not roll the migrations back', err: String(rollback) });
      });
      throw error;
    }
  } finally {
    await runner.afterMigration();
  }
}
