import { HttpContext, HttpContextToken } from '@angular/common/http';

/**
 * Marks requests whose 401 is an expected answer (wrong password at login, no session at
 * start-up) rather than a session that ran out, so the interceptor leaves navigation alone.
 */
export const EXPECTS_UNAUTHENTICATED = new HttpContextToken<boolean>(() => false);

export function expectsUnauthenticated(): HttpContext {
  return new HttpContext().set(EXPECTS_UNAUTHENTICATED, true);
}
