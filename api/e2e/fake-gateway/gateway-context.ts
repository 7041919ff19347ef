import { ChatSettings } from './chat-dialects';
import { FileStore } from './files';
import { Media } from './media';
import type { VideosDialectName } from './videos-api';

/** What the protocol handlers share: settings, the file server, the per-prompt counters. */
export interface GatewayContext {
  apiKey: string;
  progressIntervalMs: number;
  jobDurationMs: number;
  /** Which gateway's `/v1/videos` is spoken. */
  videosDialect: VideosDialectName;
  /** Which gateway's chat completions are spoken, and which build of it. */
  chat: ChatSettings;
  media: Media;
  files: FileStore;
  /** e.g. http://127.0.0.1:8000, the gateway's own host (what the platform allows). */
  origin(): string;
  /** e.g. http://127.0.0.2:41234, a loopback address that is not the gateway's host. */
  privateOrigin(): string;
  /** Aborted when the gateway closes: pending waits end and held-open streams are dropped. */
  closing: AbortSignal;
  /**
   * For the `*-once` scenarios: true on the first request for a key, false on the retry, and so on
   * alternately, so a later job with the same prompt fails once again.
   */
  failFirst(key: string): boolean;
}

const MARKER = /\[scenario:([a-z0-9-]+)\]/i;

/** The scenario a prompt asks for with `[scenario:NAME]`, `success` without a marker. */
export function scenarioOf(prompt: string): string {
  return MARKER.exec(prompt)?.[1].toLowerCase() ?? 'success';
}

export function onceCounter(): (key: string) => boolean {
  const pending = new Set<string>();
  return (key) => {
    if (pending.has(key)) {
      pending.delete(key);
      return false;
    }
    pending.add(key);
    return true;
  };
}

/** Resolves after `ms`, or early (false) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
