import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { DatabaseConfig } from './config/app-config';
import { startupConfig } from './config/startup-config';
import { dataSourceOptions } from './database/database.module';
import { migrateOnce } from './database/migrate-once';

/**
 * `npm run migrate` (or `node dist/api/migrate.js` in the image): brings the database of
 * DATABASE_URL up to date and exits, for deploy pipelines that migrate before starting the new
 * processes. Safe next to starting processes: they take the same lock.
 */
async function migrate(): Promise<void> {
  const config = startupConfig();
  // Only TypeORM's warnings and errors: the list below says what ran.
  const dataSource = await new DataSource({
    ...dataSourceOptions(config),
    logging: ['warn', 'error'],
    logger: 'simple-console',
  }).initialize();
  try {
    const ran = await migrateOnce(dataSource);
    const where = describe(config.database);
    for (const name of ran) console.log(`Ran ${name}`);
    console.log(
      ran.length === 0
        ? `Nothing to migrate: ${where} is up to date.`
        : `Migrated ${where}: ${ran.length} migration${ran.length === 1 ? '' : 's'} run.`,
    );
  } finally {
    await dataSource.destroy();
  }
}

/** The database, without the password of its URL. */
function describe(database: DatabaseConfig): string {
  if (database.type === 'sqlite') return database.file;
  const url = new URL(database.url);
  return `${url.pathname.slice(1)} on ${url.host}`;
}

migrate().catch((error) => {
  console.error(error);
  process.exit(1);
});
