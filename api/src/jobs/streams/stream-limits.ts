import { Injectable, Logger } from '@nestjs/common';
import { StreamsUnavailableError, TooManyStreamsError } from '../../common/errors/domain-errors';
import { AppConfig } from '../../config/app-config';

/** A process that keeps refusing streams says so in the log once a minute, not per refusal. */
const FULL_WARNING_INTERVAL_MS = 60_000;

/**
 * How many streams this process holds, per user and in all, against SSE_MAX_STREAMS_PER_USER
 * and SSE_MAX_STREAMS. Each process counts its own: a stream lives in the process that serves
 * it, and so does the memory it costs.
 */
@Injectable()
export class StreamLimits {
  private readonly logger = new Logger(StreamLimits.name);
  private readonly perUser: number;
  private readonly perProcess: number;
  private readonly byUser = new Map<string, number>();
  private total = 0;
  private warnedFullAt = -Infinity;

  constructor(config: AppConfig) {
    this.perUser = config.sseMaxStreamsPerUser;
    this.perProcess = config.sseMaxStreams;
  }

  /**
   * Takes a place for one more stream of the user until `responseEnd` aborts, or throws when
   * there is none, so that the refusal is answered before any header of the stream is sent.
   * Checking and taking happen in one synchronous step: two requests cannot both take the
   * last place.
   */
  admit(userId: string, responseEnd: AbortSignal): void {
    const held = this.byUser.get(userId) ?? 0;
    if (held >= this.perUser) throw new TooManyStreamsError(this.perUser);
    if (this.total >= this.perProcess) {
      this.warnFull();
      throw new StreamsUnavailableError();
    }
    if (responseEnd.aborted) return;
    this.byUser.set(userId, held + 1);
    this.total += 1;
    // An abort comes once, whether the stream completed, failed or its client left, and also
    // when the client left before the stream was ever subscribed to.
    responseEnd.addEventListener('abort', () => this.release(userId), { once: true });
  }

  /** Streams held in all; 0 once every stream has ended. */
  get size(): number {
    return this.total;
  }

  /** How many users hold streams: 0 once every stream has ended. */
  get users(): number {
    return this.byUser.size;
  }

  private release(userId: string): void {
    const held = this.byUser.get(userId) ?? 0;
    if (held <= 1) this.byUser.delete(userId);
    else this.byUser.set(userId, held - 1);
    this.total -= 1;
  }

  private warnFull(): void {
    const now = Date.now();
    if (now - this.warnedFullAt < FULL_WARNING_INTERVAL_MS) return;
    this.warnedFullAt = now;
    this.logger.warn({
      msg: 'Refusing new streams: this process holds SSE_MAX_STREAMS already',
      limit: this.perProcess,
    });
  }
}
