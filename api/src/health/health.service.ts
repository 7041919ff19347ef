import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthCheckStatus, HealthResponse } from '@vidgen/contracts';
import { DataSource } from 'typeorm';
import { JobQueue } from '../jobs/job-queue';
import { VideoStorage } from '../storage/video-storage';

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly storage: VideoStorage,
  ) {}

  async check(): Promise<HealthResponse> {
    const [database, queue, storage] = await Promise.all([
      this.probe('database', () => this.dataSource.query('SELECT 1')),
      this.probe('queue', () => this.queue.check()),
      this.probe('storage', () => this.storage.check()),
    ]);
    const checks = { database, queue, storage };
    const healthy = Object.values(checks).every((status) => status === 'ok');
    return { status: healthy ? 'ok' : 'error', checks };
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
