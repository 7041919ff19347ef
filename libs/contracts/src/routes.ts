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
} as const;
