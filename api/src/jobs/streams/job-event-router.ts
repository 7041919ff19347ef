import { Injectable } from '@nestjs/common';
import { JobEvent, JobEvents } from '../events/job-events';

/** A stream as the router sees it. */
export interface JobEventListener {
  /** Called in the order the events were published. */
  receive(event: JobEvent): void;
  /** The process is shutting down: no event will follow. */
  end(): void;
}

export type Unregister = () => void;

/**
 * The one subscription of this process to the job events, handing each event only to the
 * streams of its user and of its job. Looking the streams up by id keeps the cost of an event
 * proportional to the streams that want it, however many other streams are open.
 */
@Injectable()
export class JobEventRouter {
  private readonly byUser = new Map<string, Set<JobEventListener>>();
  private readonly byJob = new Map<string, Set<JobEventListener>>();
  private ended = false;

  constructor(events: JobEvents) {
    events.events().subscribe({
      next: (event) => this.route(event),
      // Ending every stream lets the server close without waiting for its clients to leave.
      complete: () => this.endAll(),
      error: () => this.endAll(),
    });
  }

  /** Every event of that user's jobs, from now on. */
  forUser(userId: string, listener: JobEventListener): Unregister {
    return this.register(this.byUser, userId, listener);
  }

  /** Every event of that job, from now on. */
  forJob(jobId: string, listener: JobEventListener): Unregister {
    return this.register(this.byJob, jobId, listener);
  }

  /** How many ids have streams registered: 0 once every stream has closed. */
  get size(): number {
    return this.byUser.size + this.byJob.size;
  }

  private register(
    index: Map<string, Set<JobEventListener>>,
    id: string,
    listener: JobEventListener,
  ): Unregister {
    if (this.ended) {
      listener.end();
      return () => undefined;
    }
    let listeners = index.get(id);
    if (!listeners) {
      listeners = new Set();
      index.set(id, listeners);
    }
    listeners.add(listener);
    return () => {
      // Looked up again: the set seen at registration may have been emptied and replaced since.
      const current = index.get(id);
      if (current?.delete(listener) && current.size === 0) index.delete(id);
    };
  }

  private route(event: JobEvent): void {
    this.byUser.get(event.userId)?.forEach((listener) => listener.receive(event));
    this.byJob.get(event.data.job.id)?.forEach((listener) => listener.receive(event));
  }

  private endAll(): void {
    this.ended = true;
    const listeners = [...this.byUser.values(), ...this.byJob.values()].flatMap((set) => [...set]);
    this.byUser.clear();
    this.byJob.clear();
    listeners.forEach((listener) => listener.end());
  }
}
