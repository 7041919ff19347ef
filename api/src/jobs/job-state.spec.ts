import { JobEventType, JobStatus, VideoStatus } from '@vidgen/contracts';
import { canTransition, eventTypeFor, isActive, isTerminal, videoStatusFor } from './job-state';

describe('job state', () => {
  const { Queued, Running, Succeeded, Failed, Cancelled } = JobStatus;

  it.each([
    [Queued, Running],
    [Queued, Cancelled],
    [Queued, Failed],
    [Running, Succeeded],
    [Running, Failed],
    [Running, Cancelled],
    [Running, Queued],
  ])('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each([
    [Queued, Succeeded],
    [Queued, Queued],
    [Succeeded, Running],
    [Succeeded, Failed],
    [Failed, Running],
    [Failed, Queued],
    [Cancelled, Running],
    [Cancelled, Succeeded],
  ])('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('finished jobs are terminal, the others active', () => {
    expect([Succeeded, Failed, Cancelled].every(isTerminal)).toBe(true);
    expect([Queued, Running].some(isTerminal)).toBe(false);
    expect([Queued, Running].every(isActive)).toBe(true);
  });

  it('maps a job state to its video state and its event', () => {
    expect(videoStatusFor(Succeeded)).toBe(VideoStatus.Ready);
    expect(videoStatusFor(Running)).toBe(VideoStatus.Running);
    expect(eventTypeFor(Succeeded)).toBe(JobEventType.Succeeded);
    expect(eventTypeFor(Cancelled)).toBe(JobEventType.Cancelled);
    expect(eventTypeFor(Running)).toBe(JobEventType.Status);
  });
});
