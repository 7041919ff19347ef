import { Injectable, Provider } from '@angular/core';
import { JobEventData, JobEventType } from '@vidgen/contracts';
import { EVENT_SOURCE_FACTORY } from '../app/core/jobs/job-stream.service';

/** Stands in for the browser's EventSource (jsdom has none); tests push events through it. */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;

  readyState = FakeEventSource.CONNECTING;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string) {
    super();
  }

  get closed(): boolean {
    return this.readyState === FakeEventSource.CLOSED;
  }

  /** The connection is up: the first time, or again after a dropped one (`fail()`). */
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }

  /** A named event with JSON data, as the server writes it. */
  emit(type: JobEventType, data: JobEventData): void {
    this.emitRaw(type, JSON.stringify(data));
  }

  emitRaw(type: string, data: string): void {
    if (this.closed) throw new Error(`${this.url} is closed`);
    this.dispatchEvent(new MessageEvent(type, { data }));
  }

  /** A dropped connection; `giveUp` is what the browser does after a 401/404 or a wrong type. */
  fail(giveUp = false): void {
    this.readyState = giveUp ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.(new Event('error'));
  }
}

/** Every EventSource the app opened, newest last. */
@Injectable()
export class FakeEventSources {
  readonly opened: FakeEventSource[] = [];

  create(url: string): FakeEventSource {
    const source = new FakeEventSource(url);
    this.opened.push(source);
    return source;
  }

  /** The latest open stream for `url`; fails the test when there is none. */
  latest(url: string): FakeEventSource {
    const source = [...this.opened].reverse().find((s) => s.url === url && !s.closed);
    if (!source) throw new Error(`No open EventSource for ${url}`);
    return source;
  }

  isOpen(url: string): boolean {
    return this.opened.some((s) => s.url === url && !s.closed);
  }
}

export function provideFakeEventSources(): Provider[] {
  return [
    FakeEventSources,
    {
      provide: EVENT_SOURCE_FACTORY,
      useFactory: (sources: FakeEventSources) => (url: string) =>
        sources.create(url) as unknown as EventSource,
      deps: [FakeEventSources],
    },
  ];
}
