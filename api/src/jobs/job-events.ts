import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { JobEventData, JobEventType } from '@vidgen/contracts';
import { Observable, Subject } from 'rxjs';

export interface JobEvent {
  userId: string;
  type: JobEventType;
  data: JobEventData;
}

/** The port through which job changes reach the SSE streams, in this process or across many. */
export abstract class JobEvents {
  abstract publish(event: JobEvent): void;
  abstract events(): Observable<JobEvent>;
}

/** The embedded adapter: an RxJS subject, for a single process. */
@Injectable()
export class InProcessJobEvents extends JobEvents implements OnModuleDestroy {
  private readonly subject = new Subject<JobEvent>();

  publish(event: JobEvent): void {
    this.subject.next(event);
  }

  events(): Observable<JobEvent> {
    return this.subject.asObservable();
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}
