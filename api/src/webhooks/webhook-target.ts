import { isIP } from 'node:net';
import { blockedAddressReason } from '../providers/upstream/address-policy';
import { resolveHost, Resolver } from '../providers/upstream/download-target';
import { PinnedAddress } from '../providers/upstream/http-transport';

/** Why an endpoint cannot be posted to; the message is for its owner. */
export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
}

export interface TargetOptions {
  /** Private, loopback and link-local addresses too (WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  allowPrivate: boolean;
  /** Replaces the system resolver (tests). */
  resolve?: Resolver;
  /** Ends the lookup early (the delivery's deadline, a shutdown). */
  signal?: AbortSignal;
}

/** Why `text` cannot be an endpoint's URL, naming the field; null when it can. */
export function webhookUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'url must be an absolute http or https URL, such as https://example.com/webhooks.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `url must be an http or https URL, not ${url.protocol.slice(0, -1)}.`;
  }
  if (url.username || url.password) {
    return 'url must not hold a user name or password: each delivery is signed with the secret instead.';
  }
  return null;
}

/**
 * The address to post to for `url`: its host resolved, and refused when any of its addresses is
 * not public, unless private targets are allowed, so that an endpoint cannot make the platform
 * post to itself, its own network or a cloud metadata service (SSRF). The same address policy as
 * result downloads; callers connect to exactly this address, so a second DNS answer cannot swap it.
 */
export async function targetAddress(url: URL, options: TargetOptions): Promise<PinnedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const addresses = literal
    ? [{ address: host, family: literal as 4 | 6 }]
    : await lookUp(host, options);
  if (addresses.length === 0) throw new TargetRefusedError(`${host} has no address.`);
  if (options.allowPrivate) return addresses[0];
  // One internal address is enough to refuse: a name that mixes public and internal addresses
  // could be dialled at either.
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason) {
      const what = literal ? address : `${host} resolves to ${address}, which`;
      throw new TargetRefusedError(
        `${what} is not a public address (${reason}); webhooks are sent to public addresses only.`,
      );
    }
  }
  return addresses[0];
}

async function lookUp(host: string, options: TargetOptions): Promise<PinnedAddress[]> {
  const { signal } = options;
  const lookup = (options.resolve ?? resolveHost)(host);
  try {
    return await (signal ? untilAborted(lookup, signal) : lookup);
  } catch (error) {
    if (signal?.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new TargetRefusedError(`${host} could not be found (${code}).`);
  }
}

/** The system resolver cannot be stopped: the caller stops waiting for it instead. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
