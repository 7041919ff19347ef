import { provideHttpClient, withInterceptors, withXsrfConfiguration } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import { provideRouter, TitleStrategy, withComponentInputBinding } from '@angular/router';
import { CSRF_COOKIE, CSRF_HEADER } from '@vidgen/contracts';
import { appRoutes } from './app.routes';
import { AuthService } from './core/auth/auth.service';
import { apiErrorInterceptor } from './core/http/api-error.interceptor';
import { provideIcons } from './core/icons/icons';
import { PageTitleStrategy } from './core/page-title.strategy';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(appRoutes, withComponentInputBinding()),
    provideHttpClient(
      withInterceptors([apiErrorInterceptor]),
      withXsrfConfiguration({
        cookieName: CSRF_COOKIE,
        headerName: CSRF_HEADER,
      }),
    ),
    // The first navigation waits for this, so guards already know who is logged in.
    provideAppInitializer(() => inject(AuthService).loadMe()),
    { provide: TitleStrategy, useClass: PageTitleStrategy },
    provideIcons(),
    {
      provide: MAT_FORM_FIELD_DEFAULT_OPTIONS,
      // 'dynamic': a hint or error that wraps pushes what follows down instead of running over
      // it; styles.scss keeps a line reserved under every field, so nothing jumps for one line.
      useValue: { appearance: 'outline', subscriptSizing: 'dynamic' },
    },
  ],
};
