import { Injectable } from '@nestjs/common';

/** The running jobs of this process, by id, so a cancel request can stop the work at once. */
@Injectable()
export class JobCancellations {
  private readonly controllers = new Map<string, AbortController>();

  register(jobId: string): AbortController {
    const controller = new AbortController();
    this.controllers.set(jobId, controller);
    return controller;
  }

  unregister(jobId: string): void {
    this.controllers.delete(jobId);
  }

  abort(jobId: string, reason: Error): void {
    this.controllers.get(jobId)?.abort(reason);
  }

  abortAll(reason: Error): void {
    for (const controller of this.controllers.values()) controller.abort(reason);
  }
}

/** The abort reason of a job the user cancelled. */
export class JobCancelledError extends Error {
  constructor() {
    super('Cancelled by the user.');
    this.name = 'JobCancelledError';
  }
}

/** The abort reason of a job stopped because the process is shutting down; it resumes at restart. */
export class ShutdownError extends Error {
  constructor() {
    super('The server is shutting down.');
    this.name = 'ShutdownError';
  }
}
