import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

export const authGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthService).isAuthenticated()) return true;
  return inject(Router).createUrlTree(['/login'], {
    queryParams: { returnUrl: state.url },
  });
};

/** Where a logged-in person starts: making a video is what the app is for. */
export const HOME_URL = '/create';

/** Keeps logged-in people away from the login and register pages. */
export const guestGuard: CanActivateFn = () => {
  if (!inject(AuthService).isAuthenticated()) return true;
  return inject(Router).parseUrl(HOME_URL);
};

/** Only paths inside this app, so a crafted link cannot bounce someone to another site. */
export function safeReturnUrl(value: string | null | undefined, fallback = HOME_URL): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  if (value.startsWith('/login') || value.startsWith('/register')) return fallback;
  return value;
}
