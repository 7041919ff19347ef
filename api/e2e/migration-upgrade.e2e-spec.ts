import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions, MIGRATIONS } from '../src/database/database.module';
import { openMigrated } from '../src/database/migrate-once';
import { AddUpstreamJobId1764259200000 } from '../src/database/migrations/1764259200000-add-upstream-job-id';
import { createTestDatabase } from './support/database';

/**
 * An installation that has data when it upgrades: every later migration runs over rows written
 * on the schema of an earlier release, and every row is still there afterwards. (SQLite rebuilds
 * a table to change it; done with foreign keys on, that deletes what cascades from the table.)
 */
describe('upgrading a database that holds data', () => {
  it('keeps every user, session, video, job and idempotency key through the later migrations', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vidgen-e2e-upgrade-'));
    const db = await createTestDatabase(dataDir);
    const options = dataSourceOptions(
      loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...db.env }, dataDir),
    );
    const release = MIGRATIONS.slice(0, MIGRATIONS.indexOf(AddUpstreamJobId1764259200000) + 1);
    const [userId, sessionId, videoId, jobId] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const now = '2026-01-01 00:00:00.000';
    try {
      const before = await openMigrated({ ...options, migrations: release } as DataSourceOptions);
      const rows: Array<[string, unknown[]]> = [
        [
          'INSERT INTO users (id, email, password_hash, display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
          [userId, `${userId}@example.com`, 'x', 'Ada', now, now],
        ],
        [
          'INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
          [sessionId, userId, now, '2099-01-01 00:00:00.000'],
        ],
        [
          'INSERT INTO videos (id, user_id, prompt, title, orientation, status, provider, duration_seconds, ' +
            "size_bytes, favorite, current_job_id, created_at, updated_at) VALUES (?, ?, 'p', 't', 'landscape', " +
            "'ready', 'local', 5, 1000, 0, ?, ?, ?)",
          [videoId, userId, jobId, now, now],
        ],
        [
          'INSERT INTO video_jobs (id, video_id, user_id, status, progress, stage, attempt, created_at, updated_at) ' +
            "VALUES (?, ?, ?, 'succeeded', 100, 'Done', 1, ?, ?)",
          [jobId, videoId, userId, now, now],
        ],
        [
          'INSERT INTO idempotency_keys (user_id, `key`, request_hash, video_id, job_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [userId, 'k-1', 'h', videoId, jobId, now],
        ],
      ];
      for (const [sql, params] of rows) await before.query(sql, params);
      await before.destroy();

      const after = await openMigrated(options);
      await after.destroy();

      for (const table of ['users', 'sessions', 'videos', 'video_jobs', 'idempotency_keys']) {
        const [{ n }] = await db.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
        expect({ table, rows: Number(n) }).toEqual({ table, rows: 1 });
      }
      const [video] = await db.select<Record<string, unknown>>(
        'SELECT requested_orientation, size_bytes FROM videos WHERE id = ?',
        [videoId],
      );
      expect(video).toMatchObject({ requested_orientation: 'landscape' });
      expect(Number(video['size_bytes'])).toBe(1000);
    } finally {
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
