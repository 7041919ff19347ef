import { Injectable } from '@nestjs/common';

/**
 * The jobs this process runs or is about to start, by id, so a cancel or a shutdown stops the
 * work at once. A runner registers before its job turns running: one that registered after
 * would miss a cancel or shutdown arriving in between and run the generation to its end.
 */
@Injectable()
export class JobCancellations {
  private readonly controllers = new Map<string, AbortController>();

  /** Null when this process already runs the job: a repeated delivery, which must not start it twice. */
  register(jobId: string): AbortController | null {
    if (this.controllers.has(jobId)) return null;
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
