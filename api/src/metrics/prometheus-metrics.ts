import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { JobOutcome, Metrics } from './metrics';

/**
 * Keeps the metrics in prom-client instruments of a registry of its own, never prom-client's
 * global one: several apps in one process (the e2e suites) would otherwise share, or clash on,
 * the same names.
 */
export class PrometheusMetrics extends Metrics {
  readonly registry = new Registry();

  private readonly jobDuration = new Histogram({
    name: 'vidgen_job_duration_seconds',
    help: 'Time from a job turning running to its end, by provider and outcome.',
    labelNames: ['provider', 'outcome'] as const,
    // Local renders take seconds; upstream generations minutes.
    buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 3600],
    registers: [this.registry],
  });

  private readonly streamsOpen = new Gauge({
    name: 'vidgen_sse_streams_open',
    help: 'Job event streams (SSE) this process is serving.',
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'vidgen_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status class (2xx, 4xx...).',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    super();
    collectDefaultMetrics({ register: this.registry });
  }

  jobEnded(provider: string, outcome: JobOutcome, seconds: number): void {
    this.jobDuration.observe({ provider, outcome }, seconds);
  }

  streamOpened(): void {
    this.streamsOpen.inc();
  }

  streamClosed(): void {
    this.streamsOpen.dec();
  }

  httpAnswered(method: string, route: string, statusCode: number, seconds: number): void {
    const status = `${Math.floor(statusCode / 100)}xx`;
    this.httpDuration.observe({ method, route, status }, seconds);
  }
}
