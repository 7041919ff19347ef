import { JobEventType, JobStatus, TERMINAL_JOB_STATUSES, VideoStatus } from '@vidgen/contracts';

const ALLOWED: Record<JobStatus, readonly JobStatus[]> = {
  [JobStatus.Queued]: [JobStatus.Running, JobStatus.Cancelled, JobStatus.Failed],
  // Back to queued only when a restart finds the job orphaned by a process that died.
  [JobStatus.Running]: [
    JobStatus.Succeeded,
    JobStatus.Failed,
    JobStatus.Cancelled,
    JobStatus.Queued,
  ],
  [JobStatus.Succeeded]: [],
  [JobStatus.Failed]: [],
  [JobStatus.Cancelled]: [],
};

export class InvalidJobTransitionError extends Error {
  constructor(
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    super(`A ${from} job cannot become ${to}.`);
  }
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return ALLOWED[from].includes(to);
}

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}

export function isActive(status: JobStatus): boolean {
  return status === JobStatus.Queued || status === JobStatus.Running;
}

/** The video shows the state of its current job. */
export function videoStatusFor(status: JobStatus): VideoStatus {
  switch (status) {
    case JobStatus.Queued:
      return VideoStatus.Queued;
    case JobStatus.Running:
      return VideoStatus.Running;
    case JobStatus.Succeeded:
      return VideoStatus.Ready;
    case JobStatus.Failed:
      return VideoStatus.Failed;
    case JobStatus.Cancelled:
      return VideoStatus.Cancelled;
  }
}

export function eventTypeFor(status: JobStatus): JobEventType {
  switch (status) {
    case JobStatus.Succeeded:
      return JobEventType.Succeeded;
    case JobStatus.Failed:
      return JobEventType.Failed;
    case JobStatus.Cancelled:
      return JobEventType.Cancelled;
    default:
      return JobEventType.Status;
  }
}
