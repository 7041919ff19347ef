import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { compareEventIds, EventIdSequence } from './event-ids';
import { isReplayed, JobEvent, JobEvents, NewJobEvent, REPLAY_BUFFER } from './job-events';

/** One user's replay buffer: it holds every replayed event after `start`. */
interface ReplayBuffer {
  start: string;
  kept: JobEvent[];
  touchedAt: number;
}

const SWEEP_EVERY_MS = 60_000;

/** The embedded adapter: an RxJS subject and replay buffers in memory, for a single process. */
@Injectable()
export class InProcessJobEvents extends JobEvents implements BeforeApplicationShutdown {
  private readonly subject = new Subject<JobEvent>();
  private readonly ids = new EventIdSequence();
  private readonly buffers = new Map<string, ReplayBuffer>();
  private sweptAt = Date.now();

  publish(event: NewJobEvent): void {
    // The buffer begins before the event's id, so that a client can resume from that id.
    const buffer = isReplayed(event.type) ? this.bufferOf(event.userId) : undefined;
    const published: JobEvent = { ...event, id: this.ids.next() };
    if (buffer) keep(buffer, published);
    this.subject.next(published);
  }

  events(): Observable<JobEvent> {
    return this.subject.asObservable();
  }

  async position(userId: string): Promise<string> {
    this.bufferOf(userId);
    return this.ids.next();
  }

  async replay(userId: string, afterId: string): Promise<JobEvent[] | null> {
    const buffer = this.liveBuffer(userId);
    if (!buffer || compareEventIds(buffer.start, afterId) > 0) return null;
    return buffer.kept.filter((event) => compareEventIds(event.id, afterId) > 0);
  }

  async check(): Promise<void> {
    // Nothing outside this process to reach.
  }

  beforeApplicationShutdown(): void {
    this.subject.complete();
  }

  /** The user's buffer, begun now if there is none: it holds everything from this call on. */
  private bufferOf(userId: string): ReplayBuffer {
    this.sweep();
    const now = Date.now();
    let buffer = this.liveBuffer(userId);
    if (!buffer) {
      buffer = { start: this.ids.next(now), kept: [], touchedAt: now };
      this.buffers.set(userId, buffer);
    }
    buffer.touchedAt = now;
    return buffer;
  }

  private liveBuffer(userId: string): ReplayBuffer | undefined {
    const buffer = this.buffers.get(userId);
    return buffer && !isExpired(buffer, Date.now()) ? buffer : undefined;
  }

  /** Forgets the buffers of users quiet for longer than they are kept, once a minute at most. */
  private sweep(): void {
    const now = Date.now();
    if (now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    for (const [userId, buffer] of this.buffers) {
      if (isExpired(buffer, now)) this.buffers.delete(userId);
    }
  }
}

function keep(buffer: ReplayBuffer, event: JobEvent): void {
  buffer.kept.push(event);
  const trimmed = buffer.kept.splice(0, buffer.kept.length - REPLAY_BUFFER.events);
  if (trimmed.length > 0) buffer.start = trimmed[trimmed.length - 1].id;
}

function isExpired(buffer: ReplayBuffer, now: number): boolean {
  return now - buffer.touchedAt > REPLAY_BUFFER.ttlMs;
}
