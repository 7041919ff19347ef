import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { MIGRATIONS } from '../src/database/database.module';
import { createTestDatabase, TestDatabase } from './support/database';
import { freePort, runSource, SourceProcess, waitUntil } from './support/processes';

// Processes compiled from source at start (swc): slow to start on a busy machine.
jest.setTimeout(300_000);

const NAMES = MIGRATIONS.map((migration) => migration.name);
const WAITING = 'Another process is migrating the database; waiting for it to finish';

let dataDir: string;
let db: TestDatabase;
const processes: SourceProcess[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vidgen-e2e-'));
  db = await createTestDatabase(dataDir);
});

afterEach(async () => {
  await Promise.all(processes.splice(0).map((process) => process.stop()));
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
});

function start(entry: 'main' | 'migrate', env: Record<string, string> = {}): SourceProcess {
  const started = runSource(entry, {
    DATA_DIR: dataDir,
    // Given, so that no process generates one while the others read it.
    JWT_SECRET: 'a-jwt-secret-for-the-migrations-suite-0123456789',
    WEB_DIR: join(dataDir, 'no-web-build'),
    FAST_PASSWORD_HASHING: 'true',
    ...db.env,
    ...env,
  });
  processes.push(started);
  return started;
}

interface LogLine {
  level: number;
  msg?: string;
  migrations?: string[];
}

/** A process's output as JSON log lines; anything else (a crash's stack trace) as level 60. */
function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        return { level: 60, msg: line };
      }
    });
}

/** Lines at error level or above (pino: 50 error, 60 fatal). */
function errorsIn(output: string): LogLine[] {
  return logLines(output).filter((line) => line.level >= 50);
}

/** The migrations a server process says it ran. */
function migrationsRunBy(output: string): string[] {
  return logLines(output)
    .filter((line) => line.msg === 'Migrated the database')
    .flatMap((line) => line.migrations ?? []);
}

async function migrationsTable(): Promise<string[]> {
  const rows = await db.select<{ name: string }>('SELECT name FROM migrations ORDER BY id');
  return rows.map((row) => row.name);
}

async function isHealthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200;
  } catch {
    return false;
  }
}

describe('migrations', () => {
  it('three processes started at once on an empty database migrate it once, and all start', async () => {
    // On MySQL the suite holds the migration lock until all three wait for it, so they really do
    // meet there; SQLite has no such lock to hold (its processes wait on the file's write lock).
    const holder = db.kind === 'mysql' ? await createConnection(db.env['DATABASE_URL']) : undefined;
    const lock = "CONCAT('vidgen_migrations_', MD5(DATABASE()))";
    await holder?.query(`SELECT GET_LOCK(${lock}, 0)`);

    const ports = [await freePort(), await freePort(), await freePort()];
    const apps = ports.map((port) =>
      start('main', { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }),
    );
    const outputs = () => apps.map((app) => app.output()).join('\n');

    if (holder) {
      await waitUntil(
        () => apps.every((app) => app.output().includes(WAITING)),
        () => `all three waiting for the lock:\n${outputs()}`,
      );
      await holder.query(`SELECT RELEASE_LOCK(${lock})`);
      await holder.end();
    }
    await waitUntil(
      async () => (await Promise.all(ports.map(isHealthy))).every(Boolean),
      () => `all three answering /api/health 200:\n${outputs()}`,
    );

    expect(await migrationsTable()).toEqual(NAMES);
    // One process ran them all, the others found nothing left to do.
    const ranBy = apps.map((app) => migrationsRunBy(app.output()));
    expect(ranBy.flat().sort()).toEqual([...NAMES].sort());
    expect(ranBy.filter((names) => names.length > 0)).toEqual([NAMES]);
    expect(apps.map((app) => errorsIn(app.output()))).toEqual([[], [], []]);
  });

  it('npm run migrate migrates a fresh database and exits; run again, it has nothing to do', async () => {
    const first = start('migrate');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain(NAMES.map((name) => `Ran ${name}`).join('\n'));
    expect(first.output()).toContain(`${NAMES.length} migrations run.`);
    expect(await migrationsTable()).toEqual(NAMES);

    const second = start('migrate');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('Nothing to migrate');
    expect(second.output()).not.toContain('Ran ');
    expect(await migrationsTable()).toEqual(NAMES);
  });
});
