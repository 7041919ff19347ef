/** Every API path lives under this prefix, but for the two protocols below. */
export const API_PREFIX = 'api';

/** The OpenAI-compatible Videos API: `/v1/videos`, `/v1/models` (for API keys). */
export const OPENAI_PREFIX = 'v1';

/** The MCP server (Streamable HTTP, for API keys). */
export const MCP_PATH = '/mcp';

export const ApiRoutes = {
  register: '/api/auth/register',
  login: '/api/auth/login',
  logout: '/api/auth/logout',
  me: '/api/auth/me',
  profile: '/api/users/me',
  changePassword: '/api/users/me/password',
  health: '/api/health',
  providers: '/api/providers',
  videos: '/api/videos',
  video: (id: string) => `/api/videos/${id}`,
  videoContent: (id: string) => `/api/videos/${id}/content`,
  videoThumbnail: (id: string) => `/api/videos/${id}/thumbnail`,
  jobs: '/api/jobs',
  job: (id: string) => `/api/jobs/${id}`,
  jobCancel: (id: string) => `/api/jobs/${id}/cancel`,
  jobRetry: (id: string) => `/api/jobs/${id}/retry`,
  jobStream: (id: string) => `/api/jobs/${id}/stream`,
  jobsStream: '/api/jobs/stream',
  apiKeys: '/api/api-keys',
  apiKey: (id: string) => `/api/api-keys/${id}`,
  webhooks: '/api/webhooks',
  webhook: (id: string) => `/api/webhooks/${id}`,
  webhookTest: (id: string) => `/api/webhooks/${id}/test`,
  webhookDeliveries: (id: string) => `/api/webhooks/${id}/deliveries`,
} as const;
