import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createConnection, RowDataPacket } from 'mysql2/promise';

export type DatabaseKind = 'sqlite' | 'mysql';

/** The database an e2e app runs on, opened directly so tests can check what was stored. */
export interface TestDatabase {
  kind: DatabaseKind;
  /** Settings for loadConfig() that point the app at this database. */
  env: Record<string, string>;
  /** Reads rows straight from the database, bypassing the API. */
  select<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Removes the database (MySQL); the SQLite file goes with the app's data folder. */
  drop(): Promise<void>;
}

export function databaseKind(): DatabaseKind {
  const kind = process.env['E2E_DATABASE'] || 'sqlite';
  if (kind !== 'sqlite' && kind !== 'mysql') {
    throw new Error(`E2E_DATABASE must be sqlite or mysql, got "${kind}"`);
  }
  return kind;
}

export function createTestDatabase(dataDir: string): Promise<TestDatabase> {
  return databaseKind() === 'mysql'
    ? createMysqlDatabase()
    : Promise.resolve(sqliteDatabase(dataDir));
}

/** The app's default: a file in its data folder, created by the app's own migrations. */
function sqliteDatabase(dataDir: string): TestDatabase {
  const file = join(dataDir, 'vidgen.sqlite');
  return {
    kind: 'sqlite',
    env: {},
    async select<T>(sql: string, params: unknown[] = []) {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    async drop() {
      // Nothing to do: the file lives in the data folder, which the app's close() removes.
    },
  };
}

/** A database of its own on the TEST_MYSQL_URL server, so runs never see each other's rows. */
export async function createMysqlDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env['TEST_MYSQL_URL'];
  if (!serverUrl) {
    throw new Error('E2E_DATABASE=mysql needs TEST_MYSQL_URL, e.g. mysql://root@127.0.0.1:3306');
  }
  const name = `vidgen_e2e_${randomBytes(6).toString('hex')}`;
  const server = await createConnection(serverUrl);
  try {
    await server.query(
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await server.end();
  }
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${name}`;

  return {
    kind: 'mysql',
    env: { DATABASE_URL: databaseUrl.toString() },
    async select<T>(sql: string, params: unknown[] = []) {
      const connection = await createConnection(databaseUrl.toString());
      try {
        const [rows] = await connection.query<RowDataPacket[]>(sql, params);
        return rows as T[];
      } finally {
        await connection.end();
      }
    },
    async drop() {
      const connection = await createConnection(serverUrl);
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}
