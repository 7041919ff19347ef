import { Route } from '@angular/router';
import { authGuard, guestGuard } from './core/auth/auth.guards';

export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', redirectTo: 'create' },
  {
    path: 'login',
    title: 'Log in',
    canActivate: [guestGuard],
    loadComponent: () => import('./features/auth/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'register',
    title: 'Create your account',
    canActivate: [guestGuard],
    loadComponent: () => import('./features/auth/register-page').then((m) => m.RegisterPage),
  },
  {
    path: 'create',
    title: 'Create',
    canActivate: [authGuard],
    loadComponent: () => import('./features/create/create-page').then((m) => m.CreatePage),
  },
  {
    path: 'library',
    title: 'Library',
    canActivate: [authGuard],
    loadComponent: () => import('./features/library/library-page').then((m) => m.LibraryPage),
  },
  {
    path: 'videos/:id',
    // The page puts the video's own title in its place once loaded.
    title: 'Video',
    canActivate: [authGuard],
    loadComponent: () => import('./features/video/video-page').then((m) => m.VideoPage),
  },
  {
    path: 'profile',
    title: 'Profile',
    canActivate: [authGuard],
    loadComponent: () => import('./features/profile/profile-page').then((m) => m.ProfilePage),
  },
  {
    path: 'webhooks',
    title: 'Webhooks',
    canActivate: [authGuard],
    loadComponent: () => import('./features/webhooks/webhooks-page').then((m) => m.WebhooksPage),
  },
  {
    path: '**',
    title: 'Page not found',
    loadComponent: () => import('./features/not-found/not-found-page').then((m) => m.NotFoundPage),
  },
];
