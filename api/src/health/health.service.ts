import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthCheckStatus, HealthResponse } from '@vidgen/contracts';
import { DataSource } from 'typeorm';

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check(): Promise<HealthResponse> {
    const checks = { database: await this.checkDatabase() };
    const healthy = Object.values(checks).every((status) => status === 'ok');
    return { status: healthy ? 'ok' : 'error', checks };
  }

  private async checkDatabase(): Promise<HealthCheckStatus> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'ok';
    } catch (error) {
      this.logger.error({ msg: 'Database health check failed', err: (error as Error).message });
      return 'error';
    }
  }
}
