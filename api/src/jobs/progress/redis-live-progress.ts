import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { FAIL_FAST, OutageLog, RedisConnections } from '../../redis/redis-connections';
import { JobProgress, LiveProgress } from './live-progress';

/**
 * Long enough to outlast the gap between two upstream updates, short enough that a runner that
 * died without `forget` leaves nothing behind for long.
 */
const PROGRESS_TTL_MS = 60_000;

/** The scaled adapter: one short-lived key per running job, read by every API process. */
@Injectable()
export class RedisLiveProgress extends LiveProgress implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisLiveProgress.name);
  private readonly outage = new OutageLog(
    this.logger,
    'Live progress',
    'reads fall back to the saved rows',
  );
  private readonly client: Redis;
  private readonly keyPrefix: string;
  constructor(private readonly redis: RedisConnections) {
    super();
    this.client = redis.create('live-progress', FAIL_FAST);
    this.keyPrefix = `${redis.keyPrefix}:job-progress:`;
  }

  set(jobId: string, progress: JobProgress): void {
    this.settle(this.client.set(this.key(jobId), JSON.stringify(progress), 'PX', PROGRESS_TTL_MS));
  }

  forget(jobId: string): void {
    this.settle(this.client.del(this.key(jobId)));
  }

  async read(jobIds: string[]): Promise<Map<string, JobProgress>> {
    const found = new Map<string, JobProgress>();
    if (jobIds.length === 0) return found;
    let values: (string | null)[];
    try {
      values = await this.client.mget(jobIds.map((id) => this.key(id)));
      this.outage.recovered();
    } catch (error) {
      this.outage.failed(error);
      return found;
    }
    values.forEach((value, index) => {
      if (value !== null) found.set(jobIds[index], JSON.parse(value) as JobProgress);
    });
    return found;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.close(this.client);
  }

  private key(jobId: string): string {
    return this.keyPrefix + jobId;
  }

  private settle(write: Promise<unknown>): void {
    write.then(
      () => this.outage.recovered(),
      (error) => this.outage.failed(error),
    );
  }
}
