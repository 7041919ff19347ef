import { MAX_DURATION_SECONDS, MIN_DURATION_SECONDS } from '@vidgen/contracts';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

export type DatabaseConfig = { type: 'sqlite'; file: string } | { type: 'mysql'; url: string };

export const VIDEO_PROVIDERS = ['local', 'chat-stream', 'openai-videos'] as const;
export type VideoProviderName = (typeof VIDEO_PROVIDERS)[number];

/** What to do with a generated file of another orientation than requested. */
export const ORIENTATION_MISMATCH_POLICIES = ['fail', 'keep'] as const;
export type OrientationMismatchPolicy = (typeof ORIENTATION_MISMATCH_POLICIES)[number];

export const VIDEO_API_FORMS = ['auto', 'json', 'multipart'] as const;
export type VideoApiForm = (typeof VIDEO_API_FORMS)[number];

/** Where and how to reach an upstream video service (the chat-stream and openai-videos providers). */
export interface UpstreamConfig {
  /** OpenAI-style base including `/v1`, e.g. `http://gateway:8000/v1`; unset for the local provider. */
  baseUrl?: string;
  apiKey?: string;
  /**
   * The model for each orientation. chat-stream: the name carries orientation and length
   * (`sora2-portrait-15s`); openai-videos: `VIDEO_MODEL` for both unless set, `size` and `seconds`
   * saying the rest (a gateway such as go-sora2api reads them from the name only).
   */
  modelPortrait: string;
  modelLandscape: string;
  /** `{orientation}` and `{duration}` are filled in, e.g. `sora2-{orientation}-{duration}s`; wins over the names. */
  modelTemplate?: string;
  /** The lengths, in seconds, the gateway makes (VIDEO_SECONDS_OPTIONS); unset: the dialect's own. */
  secondsOptions?: number[];
  /** openai-videos: how jobs are created: JSON, multipart form data, or JSON until the gateway asks for a form. */
  videoApiForm: VideoApiForm;
  connectTimeoutMs: number;
  /** No byte from the upstream for this long fails the job. */
  idleTimeoutMs: number;
  /** Retries of a request the upstream never accepted (network error, 429, 5xx). */
  maxRetries: number;
  /** openai-videos: the first wait between polls, before the upstream's own hints. */
  pollIntervalMs: number;
  /** The largest result file accepted from an upstream. */
  downloadMaxBytes: number;
  /** A result download still going after this long fails (DOWNLOAD_TOO_SLOW). */
  downloadTimeoutMs: number;
}

/**
 * Which `X-Forwarded-For` entries to believe: as many hops as there are proxies in front of the
 * platform, or the entries those proxies' addresses added; `false` for none. Never all of them:
 * the leftmost ones are whatever the client wrote.
 */
export type TrustProxy = false | number | string[];

export const STORAGE_DRIVERS = ['local', 's3'] as const;

/** Where finished videos and thumbnails are kept: DATA_DIR on this machine, or an S3 bucket. */
export type StorageConfig = { driver: 'local' } | { driver: 's3'; s3: S3Config };

export interface S3Config {
  /** An S3-compatible service (MinIO, R2, …); unset for AWS itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `host/bucket/key` addresses instead of `bucket.host/key`, as most self-hosted services need. */
  forcePathStyle: boolean;
}

/**
 * What a process does: `api` serves HTTP, SSE and the web app and never runs a job; `worker`
 * runs jobs and answers only health and metrics; `all` does both (the embedded shape).
 */
export const APP_ROLES = ['all', 'api', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/** The shared Redis of the scaled shape: queue, job events, progress overlay, auth throttle. */
export interface RedisConfig {
  url: string;
  /** Prepended to every key and channel, so deployments can share one Redis. */
  keyPrefix: string;
}

/**
 * Webhook deliveries. Only `allowPrivateTargets` is a setting; the timings are the documented
 * behaviour, on this object so that test suites can shorten them.
 */
export interface WebhookConfig {
  /** Endpoints may be on private, loopback and link-local addresses (tests, intranets). */
  allowPrivateTargets: boolean;
  /** The waits before each retry of a failed delivery; it fails for good after the last. */
  retryDelaysMs: number[];
  /** A delivery answered with a 2xx within this long succeeded; anything else is retried. */
  timeoutMs: number;
  /** How often each worker looks for deliveries that are due. */
  pollIntervalMs: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** `GET /api/metrics`, for Prometheus. */
export interface MetricsConfig {
  /** Off, the route does not exist (404 like any unknown path). */
  enabled: boolean;
  /** When set, the metrics answer only `Authorization: Bearer <token>`. */
  token?: string;
}

/**
 * Every setting the API reads, validated once at start. Nothing else in the code reads
 * `process.env`: services inject this object.
 */
export class AppConfig {
  readonly port!: number;
  readonly host!: string;
  readonly dataDir!: string;
  readonly database!: DatabaseConfig;
  /** Undefined means: generate one and keep it in the data folder. */
  readonly jwtSecret?: string;
  readonly accessTokenTtlSeconds!: number;
  readonly authRateLimitPerMinute!: number;
  readonly loginMaxFailures!: number;
  readonly loginFailureWindowSeconds!: number;
  readonly bodyLimitBytes!: number;
  readonly trustProxy!: TrustProxy;
  /** Marks cookies `Secure`; on by default in production, where the platform sits behind HTTPS. */
  readonly secureCookies!: boolean;
  readonly logLevel!: LogLevel;
  /** Folder of the built web app served at `/`; the API runs alone when it holds no build. */
  readonly webDir!: string;
  /** Lower argon2 cost, for test suites only. */
  readonly fastPasswordHashing!: boolean;
  readonly ffmpegPath!: string;
  readonly ffprobePath!: string;
  /** Which VideoProvider adapter generates videos. */
  readonly videoProvider!: VideoProviderName;
  /** Jobs one process runs at the same time. */
  readonly jobConcurrency!: number;
  /** A job still running after this long fails with a message saying so. */
  readonly jobTimeoutSeconds!: number;
  /**
   * `fail`: a file of another orientation than requested fails its job (WRONG_ORIENTATION);
   * `keep`: it is stored, marked with its own orientation.
   */
  readonly orientationMismatch!: OrientationMismatchPolicy;
  /** Queued plus running jobs one user may have; more answers 429. */
  readonly maxActiveJobsPerUser!: number;
  /** Idle SSE streams get a ping this often, so proxies keep them open. */
  readonly sseHeartbeatSeconds!: number;
  /** Live streams one user may hold open on this process at once; more answers 429. */
  readonly sseMaxStreamsPerUser!: number;
  /** Live streams this process holds at once, all users together; more answers 503. */
  readonly sseMaxStreams!: number;
  readonly upstream!: UpstreamConfig;
  readonly storage!: StorageConfig;
  readonly metrics!: MetricsConfig;
  readonly role!: AppRole;
  /** Unset: the embedded adapters (in-process queue and events, limits in memory). */
  readonly redis?: RedisConfig;
  /** Names this process on the job rows it runs (their lease). */
  readonly workerId!: string;
  /** A running job's lease; a worker renews it while alive, another takes the job over after it. */
  readonly jobLeaseSeconds!: number;
  /** At shutdown, running jobs get this long to finish before they are handed back to the queue. */
  readonly jobShutdownGraceSeconds!: number;
  readonly webhooks!: WebhookConfig;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the settings; throws a ConfigError naming every bad setting at once. */
export function loadConfig(env: Env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const production = env['NODE_ENV'] === 'production';
  const dataDir = resolvePath(cwd, env['DATA_DIR'] || 'data');
  const videoProvider = read.oneOf('VIDEO_PROVIDER', VIDEO_PROVIDERS, 'local');
  const downloadMaxMb = read.integer('DOWNLOAD_MAX_MB', 500, 1, 10_000);
  // A video-jobs API takes one model for both orientations (`size` tells them apart); the
  // chat-stream defaults name an orientation each.
  const jobModel = videoProvider === 'openai-videos' ? env['VIDEO_MODEL'] || 'sora-2' : undefined;
  const config = new AppConfig({
    port: read.integer('PORT', 3000, 0, 65535),
    host: env['HOST'] || '0.0.0.0',
    dataDir,
    database: readDatabase(env, dataDir, problems),
    jwtSecret: readJwtSecret(env, problems),
    accessTokenTtlSeconds: read.integer(
      'ACCESS_TOKEN_TTL_SECONDS',
      7 * 24 * 3600,
      60,
      365 * 24 * 3600,
    ),
    authRateLimitPerMinute: read.integer('AUTH_RATE_LIMIT_PER_MINUTE', 20, 1, 1_000_000),
    loginMaxFailures: read.integer('LOGIN_MAX_FAILURES', 10, 1, 1_000_000),
    loginFailureWindowSeconds: 15 * 60,
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    trustProxy: readTrustProxy(env, problems),
    secureCookies: read.boolean('SECURE_COOKIES', production),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    webDir: resolvePath(cwd, env['WEB_DIR'] || 'dist/web/browser'),
    fastPasswordHashing: read.boolean('FAST_PASSWORD_HASHING', false),
    // The binaries npm installed with the platform; literal requires so the bundler keeps them.
    ffmpegPath: env['FFMPEG_PATH'] || (require('@ffmpeg-installer/ffmpeg') as BinaryPackage).path,
    ffprobePath:
      env['FFPROBE_PATH'] || (require('@ffprobe-installer/ffprobe') as BinaryPackage).path,
    videoProvider,
    // ffmpeg renders load the CPU; upstream jobs mostly wait on the network.
    jobConcurrency: read.integer('JOB_CONCURRENCY', videoProvider === 'local' ? 2 : 8, 1, 64),
    jobTimeoutSeconds: read.integer('JOB_TIMEOUT_SECONDS', 15 * 60, 5, 24 * 3600),
    orientationMismatch: read.oneOf('ORIENTATION_MISMATCH', ORIENTATION_MISMATCH_POLICIES, 'fail'),
    maxActiveJobsPerUser: read.integer('MAX_ACTIVE_JOBS_PER_USER', 3, 1, 1000),
    sseHeartbeatSeconds: read.integer('SSE_HEARTBEAT_SECONDS', 15, 1, 300),
    // A person rarely has more than a few pages open; the limit keeps one client's leak or
    // loop from taking a process's room.
    sseMaxStreamsPerUser: read.integer('SSE_MAX_STREAMS_PER_USER', 20, 1, 10_000),
    // Twice the 10,000 idle streams the SSE benchmark holds in one process: at its target of
    // 15 KB each, about 300 MB, which leaves a 1 GB container room for the rest.
    sseMaxStreams: read.integer('SSE_MAX_STREAMS', 20_000, 1, 1_000_000),
    upstream: {
      baseUrl: read.httpUrl('VIDEO_API_BASE_URL'),
      apiKey: env['VIDEO_API_KEY'] || undefined,
      modelPortrait: env['VIDEO_MODEL_PORTRAIT'] || jobModel || 'sora2-portrait-15s',
      modelLandscape: env['VIDEO_MODEL_LANDSCAPE'] || jobModel || 'sora2-landscape-15s',
      modelTemplate: env['VIDEO_MODEL_TEMPLATE'] || undefined,
      secondsOptions: read.integerList(
        'VIDEO_SECONDS_OPTIONS',
        MIN_DURATION_SECONDS,
        MAX_DURATION_SECONDS,
      ),
      videoApiForm: read.oneOf('VIDEO_API_FORM', VIDEO_API_FORMS, 'auto'),
      connectTimeoutMs: read.integer('UPSTREAM_CONNECT_TIMEOUT_SECONDS', 10, 1, 600) * 1000,
      idleTimeoutMs: read.integer('UPSTREAM_IDLE_TIMEOUT_SECONDS', 300, 1, 24 * 3600) * 1000,
      maxRetries: read.integer('UPSTREAM_MAX_RETRIES', 3, 0, 10),
      pollIntervalMs: read.integer('UPSTREAM_POLL_INTERVAL_SECONDS', 5, 1, 600) * 1000,
      downloadMaxBytes: downloadMaxMb * 1024 * 1024,
      downloadTimeoutMs:
        read.integer(
          'DOWNLOAD_TIMEOUT_SECONDS',
          defaultDownloadTimeoutSeconds(downloadMaxMb),
          1,
          24 * 3600,
        ) * 1000,
    },
    storage: readStorage(env, read, problems),
    metrics: {
      enabled: read.boolean('METRICS_ENABLED', false),
      token: readMetricsToken(env, problems),
    },
    role: read.oneOf('APP_ROLE', APP_ROLES, 'all'),
    redis: readRedis(env, problems),
    workerId: readWorkerId(env, problems),
    jobLeaseSeconds: read.integer('JOB_LEASE_SECONDS', 30, 5, 3600),
    jobShutdownGraceSeconds: read.integer('JOB_SHUTDOWN_GRACE_SECONDS', 10, 0, 3600),
    webhooks: {
      allowPrivateTargets: read.boolean('WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
      // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight tries over about a day.
      retryDelaysMs: [5, 300, 1800, 7200, 18_000, 36_000, 36_000].map((seconds) => seconds * 1000),
      timeoutMs: 10_000,
      pollIntervalMs: 1000,
    },
  });
  if (config.role !== 'all' && !config.redis) {
    problems.push(
      `APP_ROLE=${config.role} needs REDIS_URL (e.g. redis://127.0.0.1:6379/0): separate api and ` +
        'worker processes hand jobs and events to each other through Redis',
    );
  }
  if (config.fastPasswordHashing && production) {
    problems.push(
      'FAST_PASSWORD_HASHING is for test suites and must not be set when NODE_ENV=production',
    );
  }
  if (config.videoProvider !== 'local' && !config.upstream.baseUrl) {
    problems.push(
      `VIDEO_PROVIDER=${config.videoProvider} needs VIDEO_API_BASE_URL, e.g. http://gateway:8000/v1`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

type BinaryPackage = { path: string };

function readStorage(env: Env, read: EnvReader, problems: string[]): StorageConfig {
  if (read.oneOf('STORAGE_DRIVER', STORAGE_DRIVERS, 'local') === 'local')
    return { driver: 'local' };
  const required = (name: string, what: string) => {
    const value = env[name];
    if (value) return value;
    problems.push(`STORAGE_DRIVER=s3 needs ${name}: ${what}`);
    return '';
  };
  const endpoint = read.httpUrl('S3_ENDPOINT', 'http://minio:9000');
  return {
    driver: 's3',
    s3: {
      endpoint,
      region: env['S3_REGION'] || 'us-east-1',
      bucket: required('S3_BUCKET', 'the bucket that keeps the videos, e.g. vidgen'),
      accessKeyId: required(
        'S3_ACCESS_KEY_ID',
        'the access key of a user who may write that bucket',
      ),
      secretAccessKey: required('S3_SECRET_ACCESS_KEY', "that user's secret key"),
      forcePathStyle: read.boolean('S3_FORCE_PATH_STYLE', endpoint !== undefined),
    },
  };
}

/** Five minutes, or the time the largest allowed file takes at 2 MB/s when that is longer. */
function defaultDownloadTimeoutSeconds(downloadMaxMb: number): number {
  return Math.max(300, Math.ceil(downloadMaxMb / 2));
}

function resolvePath(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function readDatabase(env: Env, dataDir: string, problems: string[]): DatabaseConfig {
  const url = env['DATABASE_URL'];
  if (!url) return { type: 'sqlite', file: resolve(dataDir, 'vidgen.sqlite') };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file)
      problems.push('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/vidgen.sqlite');
    return { type: 'sqlite', file: resolvePath(dataDir, file) };
  }
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'mysql:') throw new Error();
    if (parsed.pathname.length <= 1) {
      problems.push('DATABASE_URL must name a database, e.g. mysql://user:pass@host:3306/vidgen');
    }
  } catch {
    problems.push(
      'DATABASE_URL must look like mysql://user:pass@host:3306/db (or be unset for SQLite)',
    );
  }
  return { type: 'mysql', url };
}

const TRUST_PROXY_HELP =
  'the number of proxies in front of the platform (e.g. 1, at most 10) or their addresses and ' +
  'CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8)';
const MAX_PROXY_HOPS = 10;

function readTrustProxy(env: Env, problems: string[]): TrustProxy {
  const raw = env['TRUST_PROXY']?.trim() ?? '';
  const word = raw.toLowerCase();
  if (['', 'false', 'no', 'off'].includes(word)) return false;
  if (['true', 'yes', 'on'].includes(word)) {
    problems.push(
      `TRUST_PROXY=${raw} would take the client's address from the leftmost X-Forwarded-For ` +
        `entry, which the client writes itself; set ${TRUST_PROXY_HELP}`,
    );
    return false;
  }
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops <= MAX_PROXY_HOPS) return hops === 0 ? false : hops;
  } else {
    const proxies = raw.split(',').map((entry) => entry.trim());
    if (proxies.every(isAddressOrRange)) return proxies;
  }
  problems.push(`TRUST_PROXY must be ${TRUST_PROXY_HELP}, got "${raw}"`);
  return false;
}

/** An IP address, or a CIDR range such as 10.0.0.0/8, as Fastify's proxy-addr reads them. */
function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits >= 1 && bits <= (version === 4 ? 32 : 128);
}

function readJwtSecret(env: Env, problems: string[]): string | undefined {
  const secret = env['JWT_SECRET'];
  if (secret === undefined || secret === '') return undefined;
  if (secret.length < 32)
    problems.push('JWT_SECRET must be at least 32 characters (or unset to generate one)');
  return secret;
}

function readRedis(env: Env, problems: string[]): RedisConfig | undefined {
  const url = env['REDIS_URL'];
  if (url === undefined || url === '') return undefined;
  try {
    const parsed = new URL(url);
    const database = parsed.pathname.replace(/^\//, '');
    if (!['redis:', 'rediss:'].includes(parsed.protocol) || !/^\d{0,2}$/.test(database)) {
      throw new Error();
    }
  } catch {
    problems.push(
      `REDIS_URL must look like redis://[:password@]host:6379/0 (rediss:// for TLS), got "${url}"`,
    );
  }
  const keyPrefix = env['REDIS_KEY_PREFIX'] || 'vidgen';
  if (!/^[\w.-]{1,64}$/.test(keyPrefix)) {
    problems.push(
      `REDIS_KEY_PREFIX must be 1 to 64 letters, digits, '_', '.' or '-', got "${keyPrefix}"`,
    );
  }
  return { url, keyPrefix };
}

function readWorkerId(env: Env, problems: string[]): string {
  const workerId = env['WORKER_ID'] || `${hostname()}-${process.pid}`;
  if (!/^[\w.:-]{1,128}$/.test(workerId)) {
    problems.push(
      `WORKER_ID must be 1 to 128 letters, digits, '_', '.', ':' or '-', got "${workerId}"`,
    );
  }
  return workerId;
}

/** Long enough that guessing it is hopeless: the metrics tell how busy the platform is. */
const METRICS_TOKEN_MIN_LENGTH = 16;

function readMetricsToken(env: Env, problems: string[]): string | undefined {
  const token = env['METRICS_TOKEN'];
  if (token === undefined || token === '') return undefined;
  if (token.length < METRICS_TOKEN_MIN_LENGTH) {
    problems.push(
      `METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} characters (or unset for no token)`,
    );
  }
  return token;
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  /** Distinct whole numbers separated by commas, in the order given; undefined when unset. */
  integerList(name: string, min: number, max: number): number[] | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const values = raw.split(',').map((part) => Number(part.trim()));
    const valid = values.every((value) => Number.isInteger(value) && value >= min && value <= max);
    if (!valid || new Set(values).size !== values.length) {
      this.problems.push(
        `${name} must be distinct whole numbers from ${min} to ${max} separated by commas, e.g. 6,10,12, got "${raw}"`,
      );
      return undefined;
    }
    return values;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got "${this.env[name]}"`);
    return fallback;
  }

  /** An http(s) URL without a trailing slash, or undefined when unset. */
  httpUrl(name: string, example = 'http://gateway:8000/v1'): string | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol === 'http:' || url.protocol === 'https:') return raw.replace(/\/+$/, '');
    } catch {
      // reported below
    }
    this.problems.push(`${name} must be an http(s) URL such as ${example}, got "${raw}"`);
    return undefined;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }
}
