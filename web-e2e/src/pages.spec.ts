import { expect, test, type Page } from '@playwright/test';
import { newAccount, openProfile, register } from './support/accounts';
import { backgroundLuminance, horizontalOverflow, saveScreenshot } from './support/screenshots';

// Screenshots of every page, kept under web-e2e/test-output/screenshots/ for people to look at; the
// assertions check what a screenshot would show: the page rendered, in the requested scheme, and
// fitting a phone's width.

async function showLogin(page: Page) {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
  await expect(page).toHaveTitle(/^Log in\b/);
}

async function showRegister(page: Page) {
  await page.goto('/register');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
  await expect(page).toHaveTitle(/^Create your account\b/);
}

async function showProfile(page: Page) {
  const account = newAccount();
  await register(page, account);
  await openProfile(page, account);
  await expect(page.getByRole('button', { name: 'Account menu' })).toBeVisible();
  await expect(page).toHaveTitle(/^Profile\b/);
}

async function showNotFound(page: Page) {
  const response = await page.goto('/no-such-page');
  // The server hands unknown paths to the web app, which renders its own not-found page.
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/no-such-page$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page).toHaveTitle(/^Page not found\b/);
}

const pages = {
  login: showLogin,
  register: showRegister,
  profile: showProfile,
  'not-found': showNotFound,
};

test.describe('light scheme', () => {
  test.use({ colorScheme: 'light' });

  for (const [name, show] of Object.entries(pages)) {
    test(`${name} page`, async ({ page }) => {
      await show(page);
      expect(await backgroundLuminance(page)).toBeGreaterThan(0.5);
      await saveScreenshot(page, name);
    });
  }
});

test.describe('dark scheme', () => {
  test.use({ colorScheme: 'dark' });

  for (const [name, show] of Object.entries(pages)) {
    test(`${name} page`, async ({ page }) => {
      await show(page);
      expect(await backgroundLuminance(page)).toBeLessThan(0.5);
      await saveScreenshot(page, `${name}-dark`);
    });
  }
});

test.describe('phone width', () => {
  test.use({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });

  for (const [name, show] of Object.entries({
    login: showLogin,
    register: showRegister,
    profile: showProfile,
    'not-found': showNotFound,
  })) {
    test(`${name} page fits the screen`, async ({ page }) => {
      await show(page);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await saveScreenshot(page, `${name}-phone`);
    });
  }

  test('the toolbar links are compact icon buttons, still named, with tooltips', async ({
    page,
  }) => {
    await register(page, newAccount());
    const nav = page.getByRole('navigation', { name: 'Main' });

    await expect(nav.getByRole('link', { name: 'Create', exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    for (const name of ['Create', 'Library']) {
      const link = nav.getByRole('link', { name, exact: true });
      await expect(link).toBeVisible();
      // The icon alone: no words beside it taking the toolbar's width.
      await expect(link.locator('mat-icon svg')).toBeVisible();
      await expect(link).toHaveText('');
      expect((await link.boundingBox())?.width).toBeLessThanOrEqual(48);

      await link.hover();
      await expect(page.locator('.mat-mdc-tooltip').getByText(name, { exact: true })).toBeVisible();
    }
    await saveScreenshot(page, 'toolbar-tooltip-phone', { fullPage: false });
  });
});
