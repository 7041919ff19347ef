import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, EnvironmentProviders, Provider } from '@angular/core';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter, Routes, withComponentInputBinding } from '@angular/router';
import { ApiErrorBody, ErrorCode, FieldError, User } from '@vidgen/contracts';
import { apiErrorInterceptor } from '../app/core/http/api-error.interceptor';
import { provideIcons } from '../app/core/icons/icons';

@Component({ template: '<h1>Stub page</h1>' })
export class StubPage {}

/** Stand-ins for the pages a component navigates to. */
export const stubRoutes: Routes = [
  { path: 'login', component: StubPage },
  { path: 'register', component: StubPage },
  { path: 'profile', component: StubPage },
  { path: 'create', component: StubPage },
];

/** The app's HTTP setup against HttpTestingController, a router, its icons, and instant animations. */
export function testProviders(routes: Routes = stubRoutes): (Provider | EnvironmentProviders)[] {
  return [
    provideHttpClient(withInterceptors([apiErrorInterceptor])),
    provideHttpClientTesting(),
    provideRouter(routes, withComponentInputBinding()),
    { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
    provideIcons(),
  ];
}

export function aUser(overrides: Partial<User> = {}): User {
  return {
    id: '0b7d5c1e-2f43-4d7a-9a55-0c1f7a3e9b10',
    email: 'ada@example.com',
    displayName: 'Ada Lovelace',
    createdAt: '2026-03-14T09:26:53.000Z',
    ...overrides,
  };
}

export function errorBody(
  statusCode: number,
  code: ErrorCode,
  message: string,
  details?: FieldError[],
): ApiErrorBody {
  return {
    statusCode,
    error: 'Error',
    message,
    code,
    ...(details ? { details } : {}),
    requestId: 'req-test',
  };
}
