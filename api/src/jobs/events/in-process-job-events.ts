import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { JobEvent, JobEvents } from './job-events';

/** The embedded adapter: an RxJS subject, for a single process. */
@Injectable()
export class InProcessJobEvents extends JobEvents implements BeforeApplicationShutdown {
  private readonly subject = new Subject<JobEvent>();

  publish(event: JobEvent): void {
    this.subject.next(event);
  }

  events(): Observable<JobEvent> {
    return this.subject.asObservable();
  }

  async check(): Promise<void> {
    // Nothing outside this process to reach.
  }

  beforeApplicationShutdown(): void {
    this.subject.complete();
  }
}
