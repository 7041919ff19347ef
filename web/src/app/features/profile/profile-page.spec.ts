import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ApiRoutes, ErrorCode, ProfileResponse } from '@vidgen/contracts';
import {
  accessibleText,
  alertText,
  errorUnder,
  getButton,
  getField,
  heading,
  queryButton,
  settle,
  typeInto,
} from '../../../testing/dom';
import { aUser, errorBody, stubRoutes, testProviders } from '../../../testing/providers';
import { AuthService } from '../../core/auth/auth.service';
import { ProfilePage } from './profile-page';

describe('ProfilePage', () => {
  let harness: RouterTestingHarness;
  let page: HTMLElement;
  let httpTesting: HttpTestingController;
  let auth: AuthService;
  const user = aUser();
  const profile: ProfileResponse = {
    user,
    stats: { videoCount: 3, storageBytes: 1_500_000 },
  };

  function fact(term: string): string {
    const dt = [...page.querySelectorAll('dt')].find((d) => accessibleText(d) === term);
    return dt?.nextElementSibling ? accessibleText(dt.nextElementSibling) : '';
  }

  /** Visible text; the snack bar keeps it aria-hidden until its live region announces it. */
  function snackBarText(): string {
    return document.querySelector('mat-snack-bar-container')?.textContent?.trim() ?? '';
  }

  async function submit(buttonName: string, root: ParentNode = page) {
    getButton(root, buttonName).click();
    await settle(harness.fixture);
  }

  async function respond(url: string, body: object | null, status = 200) {
    httpTesting.expectOne(url).flush(body, { status, statusText: 'Status' });
    await settle(harness.fixture);
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: testProviders([{ path: 'profile', component: ProfilePage }, ...stubRoutes]),
    });
    httpTesting = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
    auth.setUser(user);
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/profile', ProfilePage);
    page = harness.routeNativeElement as HTMLElement;
    await respond(ApiRoutes.profile, profile);
    await respond(ApiRoutes.apiKeys, { items: [] });
  });

  afterEach(() => httpTesting.verify());

  it('shows the account, when it was created and what it stores', () => {
    expect(heading(page)).toBe('Profile');
    expect(fact('Display name')).toBe('Ada Lovelace');
    expect(fact('Email')).toBe('ada@example.com');
    // The date is shown in the viewer's time zone, like the browser itself would write it.
    const day = new Date(user.createdAt).toLocaleDateString('en-US', {
      dateStyle: 'long',
    });
    expect(fact('Member since')).toBe(day);
    expect(fact('Videos')).toBe('3');
    expect(fact('Storage used')).toBe('1.5 MB');
    expect(getField(page, 'Display name').value).toBe('Ada Lovelace');
    expect(heading(page, 2)).toContain('API keys');
  });

  it('saves a new display name and shows it everywhere', async () => {
    typeInto(getField(page, 'Display name'), '  Countess Ada ');
    await submit('Save');

    const req = httpTesting.expectOne(ApiRoutes.profile);
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ displayName: 'Countess Ada' });
    req.flush({ user: { ...user, displayName: 'Countess Ada' } });
    await settle(harness.fixture);

    expect(fact('Display name')).toBe('Countess Ada');
    expect(auth.user()?.displayName).toBe('Countess Ada');
    expect(snackBarText()).toContain('Display name saved');
  });

  it('does not save a blank display name', async () => {
    typeInto(getField(page, 'Display name'), '   ');
    await submit('Save');

    expect(errorUnder(page, 'Display name')).toBe('Display name is required.');
    httpTesting.expectNone(ApiRoutes.profile);
  });

  it('changes the password and says so', async () => {
    typeInto(getField(page, 'Current password'), 'correct horse');
    typeInto(getField(page, 'New password'), 'battery staple');
    await submit('Change password');

    const req = httpTesting.expectOne(ApiRoutes.changePassword);
    expect(req.request.body).toEqual({
      currentPassword: 'correct horse',
      newPassword: 'battery staple',
    });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle(harness.fixture);

    expect(snackBarText()).toContain('Password changed');
    expect(getField(page, 'Current password').value).toBe('');
    expect(errorUnder(page, 'Current password')).toBe('');
  });

  it('shows a wrong current password under that field', async () => {
    typeInto(getField(page, 'Current password'), 'not it');
    typeInto(getField(page, 'New password'), 'battery staple');
    await submit('Change password');
    await respond(
      ApiRoutes.changePassword,
      errorBody(400, ErrorCode.WrongPassword, 'The current password is wrong.', [
        {
          field: 'currentPassword',
          message: 'The current password is wrong.',
        },
      ]),
      400,
    );

    expect(errorUnder(page, 'Current password')).toBe('The current password is wrong.');
    expect(snackBarText()).toBe('');
  });

  it('asks for a new password of at least 8 characters', async () => {
    typeInto(getField(page, 'Current password'), 'correct horse');
    typeInto(getField(page, 'New password'), 'short');
    await submit('Change password');

    expect(errorUnder(page, 'New password')).toBe('Use at least 8 characters.');
    httpTesting.expectNone(ApiRoutes.changePassword);
  });

  it('logs out', async () => {
    await submit('Log out');
    await respond(ApiRoutes.logout, null, 204);

    expect(auth.isAuthenticated()).toBe(false);
    expect(TestBed.inject(Router).url).toBe('/login');
  });

  describe('deleting the account', () => {
    function dialog(): HTMLElement {
      const element = document.querySelector<HTMLElement>('[role="dialog"]');
      if (!element) throw new Error('No dialog open');
      return element;
    }

    beforeEach(async () => {
      await submit('Delete account');
    });

    it('asks for the password first, and Cancel keeps everything', async () => {
      expect(accessibleText(dialog())).toContain('Delete your account?');
      expect(getField(dialog(), 'Password')).toBeTruthy();

      await submit('Cancel', dialog());

      expect(document.querySelector('[role="dialog"]')).toBeNull();
      expect(auth.isAuthenticated()).toBe(true);
      httpTesting.expectNone(ApiRoutes.profile);
    });

    it('shows a wrong password in the dialog and keeps the account', async () => {
      typeInto(getField(dialog(), 'Password'), 'not it');
      await submit('Delete my account', dialog());
      await respond(
        ApiRoutes.profile,
        errorBody(400, ErrorCode.WrongPassword, 'The password is wrong.'),
        400,
      );

      expect(errorUnder(dialog(), 'Password')).toBe('The password is wrong.');
      expect(auth.isAuthenticated()).toBe(true);
    });

    it('deletes with the password, then lands on register with a note', async () => {
      typeInto(getField(dialog(), 'Password'), 'correct horse');
      await submit('Delete my account', dialog());

      expect(queryButton(dialog(), 'Delete my account')?.disabled).toBe(true);
      const req = httpTesting.expectOne(ApiRoutes.profile);
      expect(req.request.method).toBe('DELETE');
      expect(req.request.body).toEqual({ password: 'correct horse' });
      req.flush(null, { status: 204, statusText: 'No Content' });
      await settle(harness.fixture);

      expect(document.querySelector('[role="dialog"]')).toBeNull();
      expect(auth.isAuthenticated()).toBe(false);
      expect(TestBed.inject(Router).url).toBe('/register');
      expect(snackBarText()).toContain('Your account has been deleted.');
    });
  });
});

describe('ProfilePage when the profile cannot be loaded', () => {
  it('says so and offers to try again', async () => {
    TestBed.configureTestingModule({
      providers: testProviders([{ path: 'profile', component: ProfilePage }, ...stubRoutes]),
    });
    const httpTesting = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).setUser(aUser());
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl('/profile', ProfilePage);
    const page = harness.routeNativeElement as HTMLElement;

    httpTesting.expectOne(ApiRoutes.profile).error(new ProgressEvent('error'));
    await settle(harness.fixture);

    expect(alertText(page)).toMatch(/Can't reach the server/);
    getButton(page, 'Try again').click();
    httpTesting
      .expectOne(ApiRoutes.profile)
      .flush({ user: aUser(), stats: { videoCount: 0, storageBytes: 0 } });
    await settle(harness.fixture);

    expect(alertText(page)).toBe('');
    expect(page.textContent).toContain('0 bytes');
  });
});
