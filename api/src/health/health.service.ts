import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthCheckStatus, HealthResponse } from '@vidgen/contracts';
import { DataSource } from 'typeorm';
import { JobEvents } from '../jobs/events/job-events';
import { JobQueue } from '../jobs/queue/job-queue';
import { VideoStorage } from '../storage/video-storage';

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly events: JobEvents,
    private readonly storage: VideoStorage,
  ) {}

  /**
   * Without the database or the storage nothing works; without the queue or the events (Redis)
   * reads and open streams still do, so a load balancer should keep sending them (degraded).
   */
  async check(): Promise<HealthResponse> {
    const [database, storage, queue, events] = await Promise.all([
      this.probe('database', () => this.dataSource.query('SELECT 1')),
      this.probe('storage', () => this.storage.check()),
      this.probe('queue', () => this.queue.check()),
      this.probe('events', () => this.events.check()),
    ]);
    const checks = { database, storage, queue, events };
    const status =
      database !== 'ok' || storage !== 'ok'
        ? 'error'
        : queue !== 'ok' || events !== 'ok'
          ? 'degraded'
          : 'ok';
    return { status, checks };
  }

  private async probe(name: string, check: () => Promise<unknown>): Promise<HealthCheckStatus> {
    try {
      await check();
      return 'ok';
    } catch (error) {
      this.logger.error({ msg: `Health check failed: ${name}`, err: (error as Error).message });
      return 'error';
    }
  }
}
