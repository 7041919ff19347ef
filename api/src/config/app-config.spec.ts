import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('runs with no settings: SQLite in ./data, port 3000, the documented limits', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('/srv/app/data');
    expect(config.database).toEqual({ type: 'sqlite', file: '/srv/app/data/vidgen.sqlite' });
    expect(config.jwtSecret).toBeUndefined();
    expect(config.authRateLimitPerMinute).toBe(20);
    expect(config.loginMaxFailures).toBe(10);
    expect(config.webDir).toBe(resolve('/srv/app', 'dist/web/browser'));
  });

  it('uses MySQL when DATABASE_URL is a mysql URL', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/vidgen' });
    expect(config.database).toEqual({ type: 'mysql', url: 'mysql://u:p@db:3306/vidgen' });
  });

  it('names every bad setting at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'postgres://x/y',
        JWT_SECRET: 'short',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT must be a whole number from 0 to 65535, got "eighty"');
    expect(message).toContain('DATABASE_URL must look like mysql://');
    expect(message).toContain('JWT_SECRET must be at least 32 characters');
    expect(message).toContain('LOG_LEVEL must be one of');
  });

  it('refuses a MySQL URL without a database name', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@localhost:3306' })).toThrow(
      /must name a database/,
    );
  });

  it('refuses the cheap test hashing in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', FAST_PASSWORD_HASHING: 'true' })).toThrow(
      /FAST_PASSWORD_HASHING/,
    );
  });

  it('reads booleans in the usual spellings and rejects others', () => {
    expect(loadConfig({ TRUST_PROXY: 'yes' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).toThrow(
      'TRUST_PROXY must be true or false, got "maybe"',
    );
  });
});

describe('loadConfig: upstream settings', () => {
  it('runs 2 jobs at once with the local renderer and 8 with an upstream, unless told', () => {
    const upstream = { VIDEO_API_BASE_URL: 'http://gateway:8000/v1' };
    expect(loadConfig({}).jobConcurrency).toBe(2);
    expect(loadConfig({ ...upstream, VIDEO_PROVIDER: 'openai-videos' }).jobConcurrency).toBe(8);
    expect(
      loadConfig({ ...upstream, VIDEO_PROVIDER: 'chat-stream', JOB_CONCURRENCY: '3' })
        .jobConcurrency,
    ).toBe(3);
  });

  it('has the documented defaults and no upstream', () => {
    const { upstream } = loadConfig({});
    expect(upstream.baseUrl).toBeUndefined();
    expect(upstream.modelPortrait).toBe('sora2-portrait-15s');
    expect(upstream.modelLandscape).toBe('sora2-landscape-15s');
    expect(upstream.downloadMaxBytes).toBe(500 * 1024 * 1024);
  });

  it('reads the base URL without a trailing slash and refuses other schemes', () => {
    expect(loadConfig({ VIDEO_API_BASE_URL: 'http://gateway:8000/v1/' }).upstream.baseUrl).toBe(
      'http://gateway:8000/v1',
    );
    expect(() => loadConfig({ VIDEO_API_BASE_URL: 'ftp://gateway/v1' })).toThrow(
      'VIDEO_API_BASE_URL must be an http(s) URL such as http://gateway:8000/v1, got "ftp://gateway/v1"',
    );
  });
});

describe('loadConfig: settings docker compose passes through unset', () => {
  it('takes an empty value as unset, so the defaults hold', () => {
    // docker-compose.yml hands these to the container as `NAME: ${NAME:-}`, empty when not set.
    const compose = readFileSync(resolve(__dirname, '../../../docker-compose.yml'), 'utf8');
    const names = [...compose.matchAll(/^ +([A-Z_]+): \$\{\1:-\}$/gm)].map((match) => match[1]);
    expect(names).toEqual(expect.arrayContaining(['VIDEO_API_BASE_URL', 'JOB_CONCURRENCY']));

    const config = loadConfig(Object.fromEntries(names.map((name) => [name, ''])), '/srv/app');

    expect(config).toEqual(loadConfig({}, '/srv/app'));
  });
});
