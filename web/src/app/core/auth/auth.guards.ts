import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

export const authGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthService).isAuthenticated()) return true;
  return inject(Router).createUrlTree(['/login'], {
    queryParams: { returnUrl: state.url },
  });
};

/** Keeps logged-in people away from the login and register pages. */
export const guestGuard: CanActivateFn = () => {
  if (!inject(AuthService).isAuthenticated()) return true;
  return inject(Router).createUrlTree(['/profile']);
};

/** Only paths inside this app, so a crafted link cannot bounce someone to another site. */
export function safeReturnUrl(
  value: string | null | undefined,
  fallback = '/profile',
): string {
  if (
    !value ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  ) {
    return fallback;
  }
  if (value.startsWith('/login') || value.startsWith('/register'))
    return fallback;
  return value;
}
