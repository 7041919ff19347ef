/** Every API path lives under this prefix. */
export const API_PREFIX = 'api';

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
} as const;
