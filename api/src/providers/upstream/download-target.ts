import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ProviderError } from '../video-provider';
import { blockedAddressReason } from './address-policy';
import { PinnedAddress } from './http-transport';

/** Host name resolution: all the addresses of a name. */
export type Resolver = (hostname: string) => Promise<PinnedAddress[]>;

export interface LookupOptions {
  /** Replaces the system resolver (tests). */
  resolve?: Resolver;
  /** Also bounds the lookup, which the system resolver does not. */
  connectTimeoutMs: number;
  signal: AbortSignal;
}

/** A result link that may be fetched at all: a valid http(s) URL. */
export function parseLink(link: string): URL {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new ProviderError(
      'DOWNLOAD_REFUSED',
      'The video service returned a link that is not a valid URL.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProviderError(
      'DOWNLOAD_REFUSED',
      `Only http and https video links are downloaded, not ${url.protocol.replace(':', '')}.`,
    );
  }
  return url;
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** The configured upstream's own host and port: the one place allowed on an internal address. */
export function sameHost(url: URL, baseUrl: string | undefined): boolean {
  if (!baseUrl) return false;
  const base = new URL(baseUrl);
  return url.hostname === base.hostname && effectivePort(url) === effectivePort(base);
}

/** Under the upstream's base URL (same origin and path prefix): the only place its API key goes. */
export function withinBase(url: URL, baseUrl: string | undefined): boolean {
  if (!baseUrl) return false;
  const base = new URL(baseUrl);
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return url.origin === base.origin && (url.pathname + '/').startsWith(prefix);
}

/** The address to connect to, after refusing any that is not public (unless `trusted`). */
export async function checkedAddress(
  url: URL,
  trusted: boolean,
  options: LookupOptions,
): Promise<PinnedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: PinnedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal as 4 | 6 }];
  } else {
    const resolve = options.resolve ?? resolveHost;
    addresses = await withTimeout(resolve(host), options.connectTimeoutMs, options.signal).catch(
      (error: unknown) => {
        if (options.signal.aborted) throw options.signal.reason;
        throw lookupFailed(
          `The host of the video link (${host}) could not be found (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'}).`,
        );
      },
    );
    if (addresses.length === 0)
      throw lookupFailed(`The host of the video link (${host}) has no address.`);
  }
  if (trusted) return addresses[0];
  // One internal address is enough to refuse: a name that mixes public and internal addresses
  // is not a result host to trust, whichever of them would be dialled.
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) {
      const where = literal ? address : `${host} resolves to ${address}`;
      throw new ProviderError(
        'DOWNLOAD_REFUSED',
        `The video link points to a non-public address (${where}, ${reason}); it was not downloaded.`,
      );
    }
  }
  return addresses[0];
}

/** Every address of a host name, as the system resolver gives them (the default Resolver). */
export async function resolveHost(hostname: string): Promise<PinnedAddress[]> {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

function lookupFailed(message: string): ProviderError {
  return new ProviderError('DOWNLOAD_FAILED', message);
}

function withTimeout<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })),
      ms,
    );
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
