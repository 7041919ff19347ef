export type HealthCheckStatus = 'ok' | 'error';

/**
 * `degraded`: the process answers reads and streams, but new jobs cannot be queued or events
 * cross processes right now (Redis is away); `error`: the database or the storage is away.
 */
export type HealthStatus = 'ok' | 'degraded' | 'error';

export interface HealthResponse {
  status: HealthStatus;
  checks: Record<string, HealthCheckStatus>;
}
