import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { ProviderError } from '../video-provider';
import { checkedAddress, parseLink, Resolver, sameHost, withinBase } from './download-target';
import {
  IdleTimeoutError,
  OpenResponse,
  PinnedAddress,
  TransportError,
  openRequest,
  readSome,
} from './http-transport';
import { upstreamErrorText } from './upstream-error-text';
import { redact, seconds } from './upstream-errors';

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const ERROR_BODY_MAX_BYTES = 16 * 1024;
const VIDEO_EXTENSIONS: Record<string, string> = {
  'video/mp4': '.mp4',
  'video/webm': '.webm',
  'video/quicktime': '.mov',
};

export interface SafeDownloadOptions {
  /** The job's own folder: the file is written there, and nothing is left behind on failure. */
  workDir: string;
  maxBytes: number;
  /**
   * The configured upstream's base URL. Its own host and port may be a private or loopback
   * address (a gateway beside the platform); every other host must be public.
   */
  trustedBaseUrl?: string;
  /** Sent only to URLs under `trustedBaseUrl` (its API key), never to other hosts or redirects there. */
  trustedHeaders?: Record<string, string>;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** The whole download, redirects included, must be over within this. */
  deadlineMs: number;
  /** The body must average at least this over every window from its start (see MIN_DOWNLOAD_RATE). */
  minRate: MinimumRate;
  signal: AbortSignal;
  maxRedirects?: number;
  /** Host name resolution; tests replace it. */
  resolve?: Resolver;
}

export interface MinimumRate {
  bytesPerSecond: number;
  windowMs: number;
}

/**
 * A drip (a byte a second) never trips the idle timeout; this ends it after one window instead of
 * at the deadline. Far below any working link, so only a stuck or hostile upstream fails it.
 */
export const MIN_DOWNLOAD_RATE: MinimumRate = { bytesPerSecond: 16 * 1024, windowMs: 30_000 };

export interface DownloadedFile {
  path: string;
  bytes: number;
  contentType: string;
  /** Where the file came from after redirects. */
  url: string;
}

/**
 * Downloads a result link into the job's folder without letting the link reach what it must
 * not: http(s) only; every host resolved here and refused when any of its addresses is not
 * public; the connection pinned to the checked address (so a second DNS answer can't swap it);
 * redirects followed by hand and checked the same way; size, type, stalls, rate and total time
 * limited.
 */
export async function safeDownload(
  url: string,
  options: SafeDownloadOptions,
): Promise<DownloadedFile> {
  const pace = new DownloadPace(options);
  try {
    return await download(url, { ...options, signal: pace.signal }, pace);
  } finally {
    pace.stop();
  }
}

async function download(
  url: string,
  options: SafeDownloadOptions,
  pace: DownloadPace,
): Promise<DownloadedFile> {
  const maxRedirects = options.maxRedirects ?? 3;
  let current = parseLink(url);
  for (let redirects = 0; ; redirects++) {
    const trusted = sameHost(current, options.trustedBaseUrl);
    const pinned = await checkedAddress(current, trusted, options);
    const headers: Record<string, string> = {
      accept: 'video/*, application/octet-stream;q=0.9',
      'user-agent': 'vidgen',
    };
    if (withinBase(current, options.trustedBaseUrl)) Object.assign(headers, options.trustedHeaders);
    const response = await connect(current, pinned, headers, options);

    if (REDIRECT_STATUS.has(response.status)) {
      response.discard();
      const location = response.headers.location;
      if (!location)
        throw failed(`The video link answered HTTP ${response.status} without saying where to go.`);
      if (redirects >= maxRedirects) {
        throw new ProviderError(
          'DOWNLOAD_REFUSED',
          `The video link redirected more than ${maxRedirects} times; it was not followed.`,
        );
      }
      current = parseLink(new URL(location, current).toString());
      continue;
    }
    if (response.status !== 200) throw await refusedDownload(response, current, options);
    const contentType = checkedType(response);
    const declared = checkedLength(response, options.maxBytes);
    const { path, bytes } = await writeBody(
      response,
      options,
      extensionFor(contentType, current),
      declared,
      pace,
    );
    return { path, bytes, contentType, url: current.toString() };
  }
}

/**
 * The runner's download step for any provider's `{kind:'url'}` result: the configured upstream
 * is trusted for its own address and API key; limits come from the configuration.
 */
export async function downloadResult(
  url: string,
  workDir: string,
  config: AppConfig,
  signal: AbortSignal,
): Promise<string> {
  const { baseUrl, apiKey, downloadMaxBytes, connectTimeoutMs, idleTimeoutMs, downloadTimeoutMs } =
    config.upstream;
  const file = await safeDownload(url, {
    workDir,
    maxBytes: downloadMaxBytes,
    trustedBaseUrl: baseUrl,
    trustedHeaders: apiKey ? { authorization: `Bearer ${apiKey}` } : undefined,
    connectTimeoutMs,
    idleTimeoutMs,
    deadlineMs: downloadTimeoutMs,
    minRate: MIN_DOWNLOAD_RATE,
    signal,
  });
  return file.path;
}

async function connect(
  url: URL,
  pinned: PinnedAddress,
  headers: Record<string, string>,
  options: SafeDownloadOptions,
): Promise<OpenResponse> {
  try {
    return await openRequest({
      url,
      method: 'GET',
      headers,
      pinned,
      connectTimeoutMs: options.connectTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      signal: options.signal,
    });
  } catch (error) {
    throw downloadError(error, url, options);
  }
}

/**
 * A link that answered with an error, in the words of its body when it has some: new-api says
 * why its `/content` proxy failed (`Upstream service returned status 404`), and that reason is
 * what tells an expired link from a gateway fault.
 */
async function refusedDownload(
  response: OpenResponse,
  url: URL,
  options: SafeDownloadOptions,
): Promise<unknown> {
  const body = await readSome(response, ERROR_BODY_MAX_BYTES);
  if (options.signal.aborted) return options.signal.reason;
  const text = upstreamErrorText(
    body.toString('utf8'),
    String(response.headers['content-type'] ?? ''),
  );
  const said = text ? ` (${secretsOf(options.trustedHeaders).reduce(redact, text)})` : '';
  return failed(
    `The video link answered HTTP ${response.status} from ${url.host}${said}; the video could not be downloaded.`,
  );
}

/** The header values sent to the upstream (its key with and without `Bearer`), never to be shown. */
function secretsOf(headers: Record<string, string> | undefined): string[] {
  return Object.values(headers ?? {}).flatMap((value) => [value, value.replace(/^\S+\s+/, '')]);
}

function checkedType(response: OpenResponse): string {
  const type = String(response.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type.startsWith('video/') || type === 'application/octet-stream') return type;
  response.discard();
  const said = type ? `returned ${type}` : 'did not say what it returned';
  throw new ProviderError(
    'DOWNLOAD_NOT_VIDEO',
    `The video link ${said} instead of a video; it was not downloaded.`,
  );
}

function checkedLength(response: OpenResponse, maxBytes: number): number | null {
  const header = response.headers['content-length'];
  const declared = header !== undefined && /^\d+$/.test(header) ? Number(header) : null;
  if (declared !== null && declared > maxBytes) {
    response.discard();
    throw tooLarge(maxBytes, declared);
  }
  return declared;
}

/** Streams into a temporary file in the job's folder, renamed only once complete and within limits. */
async function writeBody(
  response: OpenResponse,
  options: SafeDownloadOptions,
  extension: string,
  declared: number | null,
  pace: DownloadPace,
) {
  const temporary = join(options.workDir, `.download-${randomBytes(6).toString('hex')}.part`);
  const file = await mkdir(options.workDir, { recursive: true })
    .then(() => open(temporary, 'wx'))
    .catch((error: unknown) => {
      response.discard();
      throw error;
    });
  let bytes = 0;
  pace.bodyStarted();
  try {
    for await (const chunk of response.body) {
      bytes += chunk.length;
      pace.received(chunk.length);
      if (bytes > options.maxBytes) throw tooLarge(options.maxBytes, null);
      await file.write(chunk);
    }
    await file.close();
    if (declared !== null && bytes !== declared)
      throw failed(`The video download broke off after ${bytes} of ${declared} bytes.`);
    const path = join(options.workDir, `upstream-video${extension}`);
    await rename(temporary, path);
    return { path, bytes };
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw downloadError(error, null, options);
  }
}

function downloadError(error: unknown, url: URL | null, options: SafeDownloadOptions): unknown {
  if (options.signal.aborted) return options.signal.reason;
  if (error instanceof ProviderError) return error;
  if (error instanceof IdleTimeoutError) {
    return failed(
      `The video download stalled: nothing arrived for ${seconds(error.idleTimeoutMs)}.`,
    );
  }
  if (error instanceof TransportError) {
    const where = url ? ` from ${url.host}` : '';
    return failed(`The video could not be downloaded${where} (${error.code}).`);
  }
  return error;
}

/**
 * The caller's signal, aborted too (with DOWNLOAD_TOO_SLOW) once the deadline passes or a window
 * of the body brings less than the minimum rate. Timers, so a drip is caught between its bytes.
 */
class DownloadPace {
  private readonly controller = new AbortController();
  readonly signal: AbortSignal;
  private readonly deadline: NodeJS.Timeout;
  private rateCheck: NodeJS.Timeout | undefined;
  private bytes = 0;

  constructor(private readonly options: SafeDownloadOptions) {
    this.signal = AbortSignal.any([options.signal, this.controller.signal]);
    this.deadline = setTimeout(
      () =>
        this.tooSlow(
          `The video download did not finish within ${seconds(options.deadlineMs)} ` +
            '(DOWNLOAD_TIMEOUT_SECONDS): the upstream sent the file too slowly.',
        ),
      options.deadlineMs,
    );
  }

  bodyStarted(): void {
    const { bytesPerSecond, windowMs } = this.options.minRate;
    const minimum = (bytesPerSecond * windowMs) / 1000;
    let windowStart = 0;
    this.rateCheck = setInterval(() => {
      if (this.bytes - windowStart < minimum) {
        this.tooSlow(
          `The upstream sent the video too slowly (under ${formatBytes(bytesPerSecond)}/s over ` +
            `${seconds(windowMs)}); the download was stopped.`,
        );
      }
      windowStart = this.bytes;
    }, windowMs);
  }

  received(bytes: number): void {
    this.bytes += bytes;
  }

  stop(): void {
    clearTimeout(this.deadline);
    clearInterval(this.rateCheck);
  }

  private tooSlow(message: string): void {
    this.stop();
    this.controller.abort(new ProviderError('DOWNLOAD_TOO_SLOW', message));
  }
}

function extensionFor(contentType: string, url: URL): string {
  const known = VIDEO_EXTENSIONS[contentType];
  if (known) return known;
  const fromPath = extname(url.pathname).toLowerCase();
  return ['.mp4', '.webm', '.mov'].includes(fromPath) ? fromPath : '.mp4';
}

function failed(message: string): ProviderError {
  return new ProviderError('DOWNLOAD_FAILED', message);
}

function tooLarge(maxBytes: number, declared: number | null): ProviderError {
  const size = declared === null ? 'more than' : `${formatBytes(declared)}, over`;
  return new ProviderError(
    'DOWNLOAD_TOO_LARGE',
    `The video is too large (${size} the limit of ${formatBytes(maxBytes)}, DOWNLOAD_MAX_MB); it was not downloaded.`,
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
