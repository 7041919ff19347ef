import { TestingModule } from '@nestjs/testing';
import { JobStatus, Orientation } from '@vidgen/contracts';
import { AuthService } from '../auth/auth.service';
import { createTestingAppModule } from '../testing/test-app-module';
import { VideosService } from '../videos/videos.service';
import { JobRun, JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { VideoJobEntity } from './video-job.entity';

const LEASE_MS = 30_000;

/** The rules that let several workers share one database: leases, take-over, stale runs. */
describe('job leases', () => {
  let moduleRef: TestingModule;
  let jobs: JobsService;
  let repository: JobsRepository;
  let userId: string;

  beforeAll(async () => {
    moduleRef = await createTestingAppModule();
    jobs = moduleRef.get(JobsService);
    repository = moduleRef.get(JobsRepository);
    ({
      user: { id: userId },
    } = await moduleRef
      .get(AuthService)
      .register({ email: 'lease@example.com', password: 'password-1' }));
  });

  afterAll(() => moduleRef.close());

  /** A job as the worker `workerId` started it at `now`, holding a lease until now + 30 s. */
  async function startedBy(workerId: string, now = new Date()): Promise<VideoJobEntity> {
    const { job } = await moduleRef.get(VideosService).create(userId, {
      prompt: `Leased by ${workerId}`,
      orientation: Orientation.Portrait,
      durationSeconds: 5,
    });
    const queued = (await repository.findById(job.id)) as VideoJobEntity;
    const moved = await jobs.transition(queued, JobStatus.Running, {
      startedAt: now,
      workerId,
      leaseExpiresAt: new Date(now.getTime() + LEASE_MS),
    });
    expect(moved).not.toBeNull();
    return (await repository.findById(job.id)) as VideoJobEntity;
  }

  const runOf = (job: VideoJobEntity): JobRun => ({
    jobId: job.id,
    attempt: job.attempt,
    workerId: job.workerId as string,
  });
  const later = (ms: number) => new Date(Date.now() + ms);
  // Finished so that the per-user cap never fills up across tests.
  const finish = async (job: VideoJobEntity) => {
    const row = (await repository.findById(job.id)) as VideoJobEntity;
    if (row.status === JobStatus.Queued || row.status === JobStatus.Running) {
      await jobs.cancel(job.id, userId);
    }
  };

  it('renews only for the run that holds the job', async () => {
    const job = await startedBy('worker-1');
    try {
      expect(await repository.renewLease(runOf(job), later(LEASE_MS))).toBe(true);
      expect(await repository.renewLease({ ...runOf(job), workerId: 'worker-2' }, later(1))).toBe(
        false,
      );
      expect(await repository.renewLease({ ...runOf(job), attempt: 2 }, later(1))).toBe(false);
    } finally {
      await finish(job);
    }
  });

  it('counts a job as orphaned only once its lease ran out, unless no other process can run it', async () => {
    const job = await startedBy('worker-1');
    try {
      const orphanedIds = async (at?: Date) =>
        (await repository.listOrphaned(at)).map((each) => each.id);
      expect(await orphanedIds(new Date())).not.toContain(job.id);
      expect(await orphanedIds(later(LEASE_MS + 1000))).toContain(job.id);
      expect(await orphanedIds()).toContain(job.id);
    } finally {
      await finish(job);
    }
  });

  it('never takes over a live lease; an expired one comes back queued as the next attempt', async () => {
    const job = await startedBy('worker-1');
    try {
      expect(await jobs.requeue(job, 'Restarting', new Date())).toBeNull();
      expect(await repository.findById(job.id)).toMatchObject({
        status: JobStatus.Running,
        attempt: 1,
        workerId: 'worker-1',
      });

      const moved = await jobs.requeue(job, 'Restarting', later(LEASE_MS + 1000));

      expect(moved?.job).toMatchObject({ status: JobStatus.Queued, attempt: 2, progress: 0 });
      expect(await repository.findById(job.id)).toMatchObject({
        status: JobStatus.Queued,
        attempt: 2,
        workerId: null,
        leaseExpiresAt: null,
        startedAt: null,
      });
    } finally {
      await finish(job);
    }
  });

  it('lets exactly one of several workers take over an expired job', async () => {
    const job = await startedBy('worker-1');
    try {
      const at = later(LEASE_MS + 1000);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => jobs.requeue(job, 'Restarting', at)),
      );
      expect(results.filter((result) => result !== null)).toHaveLength(1);
      expect(await repository.findById(job.id)).toMatchObject({ attempt: 2 });
    } finally {
      await finish(job);
    }
  });

  it('drops every write of a run whose job was taken over', async () => {
    const stale = await startedBy('worker-1');
    try {
      await jobs.requeue(stale, 'Restarting', later(LEASE_MS + 1000));
      const second = (await repository.findById(stale.id)) as VideoJobEntity;
      await jobs.transition(second, JobStatus.Running, {
        workerId: 'worker-2',
        leaseExpiresAt: later(LEASE_MS),
        progress: 5,
        stage: 'Rendering',
      });

      // The first worker, alive after all, tries to go on.
      await repository.saveProgress(runOf(stale), 80, 'Stale progress');
      expect(await repository.renewLease(runOf(stale), later(LEASE_MS))).toBe(false);
      expect(
        await jobs.transition(stale, JobStatus.Succeeded, { progress: 100, stage: 'Done' }),
      ).toBeNull();
      expect(await jobs.transition(stale, JobStatus.Failed, { stage: 'Failed' })).toBeNull();

      expect(await repository.findById(stale.id)).toMatchObject({
        status: JobStatus.Running,
        attempt: 2,
        workerId: 'worker-2',
        progress: 5,
        stage: 'Rendering',
      });
    } finally {
      await finish(stale);
    }
  });
});
