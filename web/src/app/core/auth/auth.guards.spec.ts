import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { aUser, StubPage, testProviders } from '../../../testing/providers';
import { authGuard, guestGuard, safeReturnUrl } from './auth.guards';
import { AuthService } from './auth.service';

describe('guards', () => {
  let auth: AuthService;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: testProviders([
        { path: 'login', component: StubPage, canActivate: [guestGuard] },
        { path: 'register', component: StubPage, canActivate: [guestGuard] },
        { path: 'profile', component: StubPage, canActivate: [authGuard] },
        { path: 'create', component: StubPage, canActivate: [authGuard] },
      ]),
    });
    auth = TestBed.inject(AuthService);
    router = TestBed.inject(Router);
  });

  it('authGuard sends a visitor to log in, remembering where they were going', async () => {
    await RouterTestingHarness.create('/profile?from=mail');

    expect(router.url).toBe('/login?returnUrl=%2Fprofile%3Ffrom%3Dmail');
  });

  it('authGuard lets a logged-in person through', async () => {
    auth.setUser(aUser());
    await RouterTestingHarness.create('/profile');

    expect(router.url).toBe('/profile');
  });

  it.each(['/login', '/register'])(
    'guestGuard sends a logged-in person from %s to Create',
    async (url) => {
      auth.setUser(aUser());
      await RouterTestingHarness.create(url);

      expect(router.url).toBe('/create');
    },
  );

  it('guestGuard shows the login page to a visitor', async () => {
    await RouterTestingHarness.create('/login');

    expect(router.url).toBe('/login');
  });
});

describe('safeReturnUrl', () => {
  it('keeps paths inside the app', () => {
    expect(safeReturnUrl('/profile?from=mail')).toBe('/profile?from=mail');
  });

  it.each([
    null,
    undefined,
    '',
    'https://evil.example',
    '//evil.example',
    '/\\evil.example',
    '/login',
  ])('falls back to Create for %p', (value) => {
    expect(safeReturnUrl(value)).toBe('/create');
  });
});
