import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
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
    expect(loadConfig({ SECURE_COOKIES: 'yes' }).secureCookies).toBe(true);
    expect(loadConfig({ SECURE_COOKIES: '0' }).secureCookies).toBe(false);
    expect(() => loadConfig({ SECURE_COOKIES: 'maybe' })).toThrow(
      'SECURE_COOKIES must be true or false, got "maybe"',
    );
  });

  it('fails jobs whose file has another orientation than requested, unless told to keep them', () => {
    expect(loadConfig({}).orientationMismatch).toBe('fail');
    expect(loadConfig({ ORIENTATION_MISMATCH: 'keep' }).orientationMismatch).toBe('keep');
    expect(() => loadConfig({ ORIENTATION_MISMATCH: 'ignore' })).toThrow(
      'ORIENTATION_MISMATCH must be one of fail, keep, got "ignore"',
    );
  });
});

describe('loadConfig: live streams', () => {
  it('allows 20 streams per user and 20,000 per process, unless told', () => {
    expect(loadConfig({})).toMatchObject({ sseMaxStreamsPerUser: 20, sseMaxStreams: 20_000 });
    expect(loadConfig({ SSE_MAX_STREAMS_PER_USER: '3', SSE_MAX_STREAMS: '500' })).toMatchObject({
      sseMaxStreamsPerUser: 3,
      sseMaxStreams: 500,
    });
  });

  it('refuses limits that are not whole numbers of at least 1, naming each', () => {
    expect(() => loadConfig({ SSE_MAX_STREAMS_PER_USER: '0', SSE_MAX_STREAMS: 'many' })).toThrow(
      new ConfigError([
        'SSE_MAX_STREAMS_PER_USER must be a whole number from 1 to 10000, got "0"',
        'SSE_MAX_STREAMS must be a whole number from 1 to 1000000, got "many"',
      ]),
    );
  });
});

describe('loadConfig: TRUST_PROXY', () => {
  const trustProxy = (value: string) => loadConfig({ TRUST_PROXY: value }).trustProxy;

  it('trusts no proxy when unset, empty, false or 0', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    for (const value of ['', 'false', 'off', 'no', '0']) expect(trustProxy(value)).toBe(false);
  });

  it('reads a hop count', () => {
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy(' 2 ')).toBe(2);
  });

  it('reads a list of proxy addresses and CIDR ranges, IPv4 and IPv6', () => {
    expect(trustProxy('127.0.0.1,10.0.0.0/8')).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(trustProxy(' 192.168.1.1 , ::1, fd00::/8 ')).toEqual(['192.168.1.1', '::1', 'fd00::/8']);
  });

  // `true` once meant every hop, so the client's own leftmost entry was its address.
  it.each(['true', 'TRUE', 'yes', 'on'])(
    'refuses %s, which would trust every hop, saying what to write instead',
    (value) => {
      expect(() => trustProxy(value)).toThrow(ConfigError);
      expect(() => trustProxy(value)).toThrow(
        `TRUST_PROXY=${value} would take the client's address from the leftmost X-Forwarded-For entry`,
      );
      expect(() => trustProxy(value)).toThrow('(e.g. 1, at most 10)');
      expect(() => trustProxy(value)).toThrow('(e.g. 127.0.0.1,10.0.0.0/8)');
    },
  );

  it.each([
    'maybe',
    '11',
    '-1',
    '1.5',
    '127.0.0.1,',
    '10.0.0.0/0',
    '10.0.0.0/33',
    '::1/129',
    '10.0.0.0/8/8',
    '10.0.0.0/abc',
    '256.0.0.1',
    'proxy.internal',
  ])('refuses %j, naming the setting and the forms it takes', (value) => {
    expect(() => trustProxy(value)).toThrow(
      `TRUST_PROXY must be the number of proxies in front of the platform (e.g. 1, at most 10) ` +
        `or their addresses and CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8), got "${value.trim()}"`,
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
    expect(upstream.downloadTimeoutMs).toBe(300_000);
  });

  it('gives downloads 5 minutes, or the largest allowed file at 2 MB/s, unless told otherwise', () => {
    expect(loadConfig({ DOWNLOAD_MAX_MB: '4000' }).upstream.downloadTimeoutMs).toBe(2000_000);
    expect(loadConfig({ DOWNLOAD_TIMEOUT_SECONDS: '3' }).upstream.downloadTimeoutMs).toBe(3000);
    expect(() => loadConfig({ DOWNLOAD_TIMEOUT_SECONDS: '0' })).toThrow(
      'DOWNLOAD_TIMEOUT_SECONDS must be a whole number from 1 to 86400, got "0"',
    );
  });

  it('gives openai-videos VIDEO_MODEL for both orientations unless set, never the chat-stream names', () => {
    const videos = {
      VIDEO_PROVIDER: 'openai-videos',
      VIDEO_API_BASE_URL: 'http://gateway:8000/v1',
    };
    expect(loadConfig(videos).upstream).toMatchObject({
      modelPortrait: 'sora-2',
      modelLandscape: 'sora-2',
    });
    expect(loadConfig({ ...videos, VIDEO_MODEL: 'sora-2-pro' }).upstream).toMatchObject({
      modelPortrait: 'sora-2-pro',
      modelLandscape: 'sora-2-pro',
    });
    expect(
      loadConfig({ ...videos, VIDEO_MODEL_LANDSCAPE: 'sora-2-landscape-10s' }).upstream,
    ).toMatchObject({ modelPortrait: 'sora-2', modelLandscape: 'sora-2-landscape-10s' });
    expect(
      loadConfig({ ...videos, VIDEO_PROVIDER: 'chat-stream', VIDEO_MODEL: 'sora-2' }).upstream,
    ).toMatchObject({ modelPortrait: 'sora2-portrait-15s', modelLandscape: 'sora2-landscape-15s' });
  });

  it('creates video jobs as JSON first by default, or as VIDEO_API_FORM says', () => {
    expect(loadConfig({}).upstream.videoApiForm).toBe('auto');
    expect(loadConfig({ VIDEO_API_FORM: 'multipart' }).upstream.videoApiForm).toBe('multipart');
    expect(() => loadConfig({ VIDEO_API_FORM: 'form' })).toThrow(
      'VIDEO_API_FORM must be one of auto, json, multipart, got "form"',
    );
  });

  it('reads the lengths a gateway makes as a list, unset meaning the dialect decides', () => {
    expect(loadConfig({}).upstream.secondsOptions).toBeUndefined();
    expect(loadConfig({ VIDEO_SECONDS_OPTIONS: ' 6, 10,12 ' }).upstream.secondsOptions).toEqual([
      6, 10, 12,
    ]);
    for (const bad of ['6,6', '6,ten', '0', '6,,10', '61']) {
      expect(() => loadConfig({ VIDEO_SECONDS_OPTIONS: bad })).toThrow(
        `VIDEO_SECONDS_OPTIONS must be distinct whole numbers from 1 to 60 separated by commas, e.g. 6,10,12, got "${bad}"`,
      );
    }
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

describe('loadConfig: metrics', () => {
  it('keeps the metrics off, without a token, unless told', () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: false, token: undefined });
    expect(loadConfig({ METRICS_ENABLED: 'true' }).metrics).toEqual({
      enabled: true,
      token: undefined,
    });
    expect(
      loadConfig({ METRICS_ENABLED: 'on', METRICS_TOKEN: 'a-long-enough-token' }).metrics,
    ).toEqual({ enabled: true, token: 'a-long-enough-token' });
  });

  it('refuses a token short enough to guess, and a value that is not a boolean', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(
      'METRICS_TOKEN must be at least 16 characters (or unset for no token)',
    );
    expect(() => loadConfig({ METRICS_ENABLED: 'sometimes' })).toThrow(
      'METRICS_ENABLED must be true or false, got "sometimes"',
    );
  });
});

describe('loadConfig: storage', () => {
  const s3 = {
    STORAGE_DRIVER: 's3',
    S3_BUCKET: 'vidgen',
    S3_ACCESS_KEY_ID: 'key-id',
    S3_SECRET_ACCESS_KEY: 'secret',
  };

  it('keeps the files in DATA_DIR unless told otherwise', () => {
    expect(loadConfig({}).storage).toEqual({ driver: 'local' });
    expect(loadConfig({ STORAGE_DRIVER: 'local', S3_BUCKET: 'ignored' }).storage).toEqual({
      driver: 'local',
    });
  });

  it('reads an S3 bucket: AWS by default, path-style addresses for another service', () => {
    expect(loadConfig(s3).storage).toEqual({
      driver: 's3',
      s3: {
        endpoint: undefined,
        region: 'us-east-1',
        bucket: 'vidgen',
        accessKeyId: 'key-id',
        secretAccessKey: 'secret',
        forcePathStyle: false,
      },
    });
    const minio = loadConfig({ ...s3, S3_ENDPOINT: 'http://minio:9000/', S3_REGION: 'eu-west-3' });
    expect(minio.storage).toMatchObject({
      s3: { endpoint: 'http://minio:9000', region: 'eu-west-3', forcePathStyle: true },
    });
    const virtualHosts = loadConfig({
      ...s3,
      S3_ENDPOINT: 'https://s3.example.com',
      S3_FORCE_PATH_STYLE: 'false',
    });
    expect(virtualHosts.storage).toMatchObject({ s3: { forcePathStyle: false } });
  });

  it('refuses s3 without a bucket or keys, naming each missing setting', () => {
    expect(() => loadConfig({ STORAGE_DRIVER: 's3' })).toThrow(ConfigError);
    let message = '';
    try {
      loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: '' });
    } catch (error) {
      message = (error as ConfigError).message;
    }
    expect(message).toContain('STORAGE_DRIVER=s3 needs S3_BUCKET');
    expect(message).toContain('STORAGE_DRIVER=s3 needs S3_ACCESS_KEY_ID');
    expect(message).toContain('STORAGE_DRIVER=s3 needs S3_SECRET_ACCESS_KEY');
    expect(() => loadConfig({ ...s3, S3_SECRET_ACCESS_KEY: '' })).toThrow(
      "STORAGE_DRIVER=s3 needs S3_SECRET_ACCESS_KEY: that user's secret key",
    );
  });

  it('refuses another driver, an endpoint that is not a URL, and a bad boolean', () => {
    expect(() => loadConfig({ STORAGE_DRIVER: 'gcs' })).toThrow(
      'STORAGE_DRIVER must be one of local, s3, got "gcs"',
    );
    expect(() => loadConfig({ ...s3, S3_ENDPOINT: 'minio:9000' })).toThrow(
      'S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got "minio:9000"',
    );
    expect(() => loadConfig({ ...s3, S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(
      'S3_FORCE_PATH_STYLE must be true or false, got "maybe"',
    );
  });
});

describe('loadConfig: settings docker compose passes through unset', () => {
  it.each(['docker-compose.yml', 'docker-compose.single.yml'])(
    'takes an empty value as unset, so the defaults hold (%s)',
    (file) => {
      // The compose files hand these to the containers as `NAME: ${NAME:-}`, empty when not set.
      const compose = readFileSync(resolve(__dirname, '../../..', file), 'utf8');
      const names = [...compose.matchAll(/^ +([A-Z][A-Z0-9_]*): \$\{\1:-\}$/gm)].map(
        (match) => match[1],
      );
      expect(names).toEqual(
        expect.arrayContaining([
          'VIDEO_API_BASE_URL',
          'JOB_CONCURRENCY',
          'METRICS_TOKEN',
          'SSE_MAX_STREAMS_PER_USER',
          'SSE_MAX_STREAMS',
        ]),
      );

      const config = loadConfig(Object.fromEntries(names.map((name) => [name, ''])), '/srv/app');

      expect(config).toEqual(loadConfig({}, '/srv/app'));
    },
  );
});

describe('loadConfig: the scaled shape', () => {
  const redis = { REDIS_URL: 'redis://127.0.0.1:6379/2' };

  it('runs embedded by default: role all, no Redis, leases of 30 s, 10 s grace', () => {
    expect(loadConfig({})).toMatchObject({
      role: 'all',
      redis: undefined,
      jobLeaseSeconds: 30,
      jobShutdownGraceSeconds: 10,
      workerId: `${hostname()}-${process.pid}`,
    });
  });

  it('reads Redis, role, worker id and lease', () => {
    expect(
      loadConfig({
        ...redis,
        REDIS_KEY_PREFIX: 'team-a',
        APP_ROLE: 'worker',
        WORKER_ID: 'worker-7',
        JOB_LEASE_SECONDS: '12',
        JOB_SHUTDOWN_GRACE_SECONDS: '0',
      }),
    ).toMatchObject({
      redis: { url: redis.REDIS_URL, keyPrefix: 'team-a' },
      role: 'worker',
      workerId: 'worker-7',
      jobLeaseSeconds: 12,
      jobShutdownGraceSeconds: 0,
    });
    expect(loadConfig(redis).redis).toEqual({ url: redis.REDIS_URL, keyPrefix: 'vidgen' });
  });

  it.each(['api', 'worker'])('refuses APP_ROLE=%s without REDIS_URL, saying why', (role) => {
    expect(() => loadConfig({ APP_ROLE: role })).toThrow(
      `APP_ROLE=${role} needs REDIS_URL (e.g. redis://127.0.0.1:6379/0): separate api and worker ` +
        'processes hand jobs and events to each other through Redis',
    );
  });

  it('names each bad setting', () => {
    expect(() => loadConfig({ APP_ROLE: 'web' })).toThrow(
      'APP_ROLE must be one of all, api, worker, got "web"',
    );
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(
      'REDIS_URL must look like redis://[:password@]host:6379/0 (rediss:// for TLS), got "http://127.0.0.1:6379"',
    );
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/x' })).toThrow('REDIS_URL must');
    expect(() => loadConfig({ ...redis, REDIS_KEY_PREFIX: 'a b' })).toThrow(
      'REDIS_KEY_PREFIX must be 1 to 64 letters',
    );
    expect(() => loadConfig({ WORKER_ID: 'worker 1' })).toThrow('WORKER_ID must be 1 to 128');
    expect(() => loadConfig({ JOB_LEASE_SECONDS: '2' })).toThrow(
      'JOB_LEASE_SECONDS must be a whole number from 5 to 3600, got "2"',
    );
  });
});

describe('loadConfig: webhooks', () => {
  it('sends only to public addresses, retrying for about a day, unless told', () => {
    const { webhooks } = loadConfig({});
    expect(webhooks.allowPrivateTargets).toBe(false);
    expect(webhooks.timeoutMs).toBe(10_000);
    expect(webhooks.retryDelaysMs.map((ms) => ms / 1000)).toEqual([
      5, 300, 1800, 7200, 18_000, 36_000, 36_000,
    ]);
    const total = webhooks.retryDelaysMs.reduce((sum, ms) => sum + ms, 0);
    expect(total / 3_600_000).toBeCloseTo(27.6, 1);

    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).webhooks.allowPrivateTargets).toBe(
      true,
    );
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'sometimes' })).toThrow(
      'WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false, got "sometimes"',
    );
  });
});
