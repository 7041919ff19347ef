export type HealthCheckStatus = 'ok' | 'error';

export interface HealthResponse {
  status: 'ok' | 'error';
  checks: Record<string, HealthCheckStatus>;
}
