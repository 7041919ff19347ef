import { ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { AppConfig, loadConfig } from '../config/app-config';
import { MetricsTokenGuard } from './metrics-token.guard';
import { PrometheusMetrics } from './prometheus-metrics';

describe('PrometheusMetrics', () => {
  it('keeps each instance to a registry of its own, so several apps in a process never clash', async () => {
    const first = new PrometheusMetrics();
    const second = new PrometheusMetrics();
    first.jobEnded('local', 'succeeded', 3);

    expect(await first.registry.metrics()).toContain(
      'vidgen_job_duration_seconds_count{provider="local",outcome="succeeded"} 1',
    );
    expect(await second.registry.metrics()).not.toContain('outcome="succeeded"');
  });

  it('counts open streams up and down, and labels HTTP answers by status class', async () => {
    const metrics = new PrometheusMetrics();
    metrics.streamOpened();
    metrics.streamOpened();
    metrics.streamClosed();
    metrics.httpAnswered('GET', '/api/videos/:id', 404, 0.01);
    metrics.httpAnswered('GET', '/api/videos/:id', 200, 0.02);

    const text = await metrics.registry.metrics();

    expect(text).toContain('vidgen_sse_streams_open 1');
    expect(text).toContain(
      'vidgen_http_request_duration_seconds_count{method="GET",route="/api/videos/:id",status="4xx"} 1',
    );
    expect(text).toContain(
      'vidgen_http_request_duration_seconds_count{method="GET",route="/api/videos/:id",status="2xx"} 1',
    );
    // prom-client's process metrics come along.
    expect(text).toContain('process_cpu_seconds_total');
  });
});

describe('MetricsTokenGuard', () => {
  const TOKEN = 'metrics-token-of-the-test';
  const guard = (config: AppConfig) => new MetricsTokenGuard(config);
  const request = (authorization?: string) =>
    ({
      switchToHttp: () => ({ getRequest: () => ({ headers: { authorization } }) }),
    }) as unknown as ExecutionContext;

  it('lets everyone through when no token is set', () => {
    expect(guard(loadConfig({})).canActivate(request())).toBe(true);
  });

  it('lets through only the Bearer token when one is set', () => {
    const withToken = guard(loadConfig({ METRICS_TOKEN: TOKEN }));
    expect(withToken.canActivate(request(`Bearer ${TOKEN}`))).toBe(true);
    expect(withToken.canActivate(request(`bearer ${TOKEN}`))).toBe(true);
    for (const header of [
      undefined,
      '',
      TOKEN,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${TOKEN}`,
      'Bearer ',
    ]) {
      expect(() => withToken.canActivate(request(header))).toThrow(UnauthenticatedError);
    }
  });
});
