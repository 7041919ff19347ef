export interface User {
  id: string;
  email: string;
  displayName: string;
  /** ISO-8601 UTC */
  createdAt: string;
}

export interface RegisterRequest {
  email: string;
  password: string;
  displayName?: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface AuthResponse {
  user: User;
  accessToken: string;
  /** Lifetime of the access token in seconds. */
  expiresIn: number;
}

export interface MeResponse {
  user: User;
}

/** Names of the cookies the API sets for browsers. */
export const SESSION_COOKIE = 'vidgen_session';
/** Readable by the page's script, echoed back in CSRF_HEADER on cookie-authenticated writes. */
export const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_HEADER = 'X-XSRF-TOKEN';
