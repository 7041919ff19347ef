import { JobEventType, JobStatus } from '@vidgen/contracts';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApiKeyPrincipal } from '../auth/authenticated-user';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { InProcessJobEvents } from '../jobs/events/in-process-job-events';
import { JobView } from '../jobs/job.presenter';
import { JobsService } from '../jobs/jobs.service';
import { eventually } from '../testing/eventually';
import { UserEntity } from '../users/user.entity';
import { JobFollower } from './job-follower';

const caller: ApiKeyPrincipal = {
  user: { id: 'alice' } as UserEntity,
  apiKeyId: 'key-1',
  expiresAt: null,
  via: 'api-key',
};

function job(overrides: Partial<JobView> = {}): JobView {
  return {
    id: 'job-1',
    videoId: 'video-1',
    status: JobStatus.Running,
    progress: 0,
    stage: 'Starting',
    queuePosition: null,
    attempt: 1,
    error: null,
    createdAt: '2025-06-01T12:00:00.000Z',
    startedAt: '2025-06-01T12:00:01.000Z',
    finishedAt: null,
    ...overrides,
  };
}

describe('JobFollower', () => {
  let events: InProcessJobEvents;
  let row: JobView;
  let keyActive: boolean;
  let follower: JobFollower;
  let steps: JobView[];
  let abort: AbortController;

  beforeEach(() => {
    events = new InProcessJobEvents();
    row = job();
    keyActive = true;
    const jobs = { get: async () => row } as unknown as JobsService;
    const apiKeys = { isActive: async () => keyActive } as unknown as ApiKeysService;
    follower = new JobFollower(events, jobs, apiKeys);
    steps = [];
    abort = new AbortController();
  });

  afterEach(() => events.beforeApplicationShutdown());

  const follow = () =>
    follower.follow('job-1', caller, async (step) => void steps.push(step), abort.signal);

  const publish = (type: JobEventType, changes: Partial<JobView>, userId = 'alice') =>
    events.publish({ userId, type, data: { job: job(changes) } });

  it("reports the job's state now, then each step forward, and ends with the job", async () => {
    const following = follow();
    await eventually(() => expect(steps).toHaveLength(1));

    publish(JobEventType.Progress, { progress: 30, stage: 'Rendering frames' });
    // Behind what was reported (a row saved before the last event): not reported again.
    publish(JobEventType.Progress, { progress: 20 });
    // Another job, another user's: not this follow's.
    publish(JobEventType.Progress, { id: 'job-2', progress: 60 });
    publish(JobEventType.Progress, { progress: 70 }, 'bob');
    publish(JobEventType.Succeeded, { status: JobStatus.Succeeded, progress: 100, stage: 'Done' });

    expect(await following).toMatchObject({ status: JobStatus.Succeeded, progress: 100 });
    expect(steps.map(({ progress, stage }) => [progress, stage])).toEqual([
      [0, 'Starting'],
      [30, 'Rendering frames'],
      [100, 'Done'],
    ]);
  });

  it('ends at once for a job that has ended already', async () => {
    row = job({ status: JobStatus.Failed, progress: 40 });

    expect(await follow()).toMatchObject({ status: JobStatus.Failed });
    expect(steps).toHaveLength(1);
  });

  it('stops when the request is aborted, with the last state seen', async () => {
    const following = follow();
    await eventually(() => expect(steps).toHaveLength(1));
    publish(JobEventType.Progress, { progress: 30 });

    abort.abort();

    expect(await following).toMatchObject({ status: JobStatus.Running, progress: 30 });
  });

  it('stops when the process shuts down (the events end)', async () => {
    const following = follow();
    await eventually(() => expect(steps).toHaveLength(1));

    events.beforeApplicationShutdown();

    expect(await following).toMatchObject({ status: JobStatus.Running, progress: 0 });
  });

  it("fails once the caller's key is no longer valid", async () => {
    keyActive = false;

    await expect(follow()).rejects.toThrow(UnauthenticatedError);
    expect(steps).toEqual([]);
  });
});
