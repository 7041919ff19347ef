import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobStatus } from '@vidgen/contracts';
import { Gauge } from 'prom-client';
import { JobQueue } from '../jobs/queue/job-queue';
import { JobsRepository } from '../jobs/jobs.repository';
import { PrometheusMetrics } from './prometheus-metrics';

/**
 * Gauges read at each scrape from where the truth is: the job rows (shared by every process, so
 * any process tells the same) and the queue. Nothing to keep in step as jobs move.
 */
@Injectable()
export class JobGauges implements OnModuleInit {
  constructor(
    private readonly metrics: PrometheusMetrics,
    private readonly repository: JobsRepository,
    private readonly queue: JobQueue,
  ) {}

  onModuleInit(): void {
    const { registry } = this.metrics;
    const repository = this.repository;
    const queue = this.queue;
    new Gauge({
      name: 'vidgen_jobs',
      help: 'Jobs by state, counted in the database.',
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        // A scrape while the database is away keeps the last counts: the other series are what
        // tells that story, and one failed collector would fail the whole scrape.
        const counts = await repository.countByStatus().catch(() => null);
        if (!counts) return;
        // Every state, zeros included, so a graph shows a state emptying rather than a gap.
        for (const state of Object.values(JobStatus)) this.set({ state }, counts[state] ?? 0);
      },
    });
    new Gauge({
      name: 'vidgen_queue_depth',
      help: 'Jobs waiting in the queue for a worker.',
      registers: [registry],
      async collect() {
        this.set(await queue.depth());
      },
    });
  }
}
