import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { SessionsService } from '../../auth/sessions.service';
import { AppConfig } from '../../config/app-config';

/** The session or the API key a stream was opened with. */
export type StreamCredential = { via: 'session'; id: string } | { via: 'api-key'; id: string };

/** Whose stream it is: enough to re-check its credential, and no more. */
export interface StreamReader {
  userId: string;
  credential: StreamCredential;
  /**
   * Milliseconds since the epoch at which the credential stops being accepted (a token's `exp`, a
   * key's expiry); null for a key that does not expire.
   */
  expiresAt: number | null;
}

/** A stream as the heartbeat sees it. */
export interface BeatingStream {
  readonly reader: StreamReader;
  /** `Date.now()` of the stream's last event, ping or not. */
  readonly lastWriteAt: number;
  ping(at: string): void;
  /** The reader's session or key has ended. */
  end(): void;
}

interface Pulse {
  checkedAt: number;
  checking: boolean;
}

/**
 * One timer for every stream of the process, instead of one per stream: idle streams cost no
 * timer of their own. A stream quiet for a heartbeat period gets a `ping`, which keeps proxies
 * from closing it; before that, and at least once a period for busy streams too, its credential is
 * checked again, so a logout, a password change elsewhere, a deleted account, an expired token, a
 * revoked or expired API key ends the stream (and the EventSource's reconnection is refused with
 * 401). Each check is one lookup of a row by its primary key, for sessions and keys alike.
 */
@Injectable()
export class StreamHeartbeat implements OnApplicationShutdown {
  private readonly periodMs: number;
  /** Fine enough that a ping is never much later than its period, coarse enough to cost nothing. */
  private readonly tickMs: number;
  private readonly streams = new Map<BeatingStream, Pulse>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly sessions: SessionsService,
    private readonly apiKeys: ApiKeysService,
    config: AppConfig,
  ) {
    this.periodMs = config.sseHeartbeatSeconds * 1000;
    this.tickMs = Math.min(1000, this.periodMs / 2);
  }

  add(stream: BeatingStream): void {
    if (this.stopped) return;
    this.streams.set(stream, { checkedAt: Date.now(), checking: false });
    // Unref'd: an open stream alone must not keep the process alive.
    this.timer ??= setInterval(() => this.tick(), this.tickMs).unref();
  }

  remove(stream: BeatingStream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0) this.stopTimer();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.streams.clear();
    this.stopTimer();
  }

  private tick(): void {
    const now = Date.now();
    // The streams of one session or key that are due together (a user's tabs, a program's
    // many streams) share one check.
    const checks = new Map<string, Promise<boolean>>();
    for (const [stream, pulse] of this.streams) {
      if (pulse.checking) continue;
      const quiet = now - stream.lastWriteAt >= this.periodMs;
      if (quiet || now - pulse.checkedAt >= this.periodMs) void this.beat(stream, pulse, checks);
    }
  }

  private async beat(
    stream: BeatingStream,
    pulse: Pulse,
    checks: Map<string, Promise<boolean>>,
  ): Promise<void> {
    pulse.checking = true;
    const signedIn = await this.isStillSignedIn(stream.reader, checks);
    pulse.checking = false;
    // Closed by its client (or ended) while the check ran: nothing more to send.
    if (this.streams.get(stream) !== pulse) return;
    if (!signedIn) return stream.end();
    pulse.checkedAt = Date.now();
    if (pulse.checkedAt - stream.lastWriteAt >= this.periodMs) {
      stream.ping(new Date(pulse.checkedAt).toISOString());
    }
  }

  /** A check that fails (the database is away) ends the stream too: reconnecting re-checks. */
  private isStillSignedIn(
    { userId, credential, expiresAt }: StreamReader,
    checks: Map<string, Promise<boolean>>,
  ): Promise<boolean> {
    if (expiresAt !== null && Date.now() >= expiresAt) return Promise.resolve(false);
    const key = `${credential.via} ${credential.id} ${userId}`;
    let check = checks.get(key);
    if (!check) {
      const active =
        credential.via === 'api-key'
          ? this.apiKeys.isActive(credential.id, userId)
          : this.sessions.isActive(credential.id, userId);
      check = active.catch(() => false);
      checks.set(key, check);
    }
    return check;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
