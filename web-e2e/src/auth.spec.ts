import { expect, test } from '@playwright/test';
import {
  createAccount,
  expectCreatePage,
  expectLoggedOut,
  expectLoginRefused,
  expectProfileOf,
  fieldError,
  logIn,
  logOut,
  newAccount,
  openProfile,
  register,
  submitLogin,
} from './support/accounts';
import { saveScreenshot } from './support/screenshots';

test('registering lands on Create, and the profile shows the new account', async ({ page }) => {
  const account = newAccount();

  await register(page, account);
  await page.reload();
  await expectCreatePage(page);

  await openProfile(page, account);
  await expect(page.getByText(account.email).first()).toBeVisible();
});

test('logging out ends the session, and logging in again restores it', async ({ page }) => {
  const account = newAccount();
  await register(page, account);

  await logOut(page);
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/login\?returnUrl=/);

  await logIn(page, account);
});

test('the account menu names the person and logs out', async ({ page }) => {
  const account = newAccount();
  await register(page, account);

  await page.getByRole('button', { name: 'Account menu' }).click();
  const menu = page.getByRole('menu');
  await expect(menu).toContainText(account.displayName);
  await expect(menu).toContainText(account.email);
  await saveScreenshot(page, 'account-menu', { fullPage: false });
  await menu.getByRole('menuitem', { name: 'Log out' }).click();

  await expectLoggedOut(page);
  await expect(page.getByRole('button', { name: 'Account menu' })).toBeHidden();
});

test('a logged-in person who opens the login or register page is taken to Create', async ({
  page,
}) => {
  const account = newAccount();
  await register(page, account);
  await page.goto('/profile');

  await page.goto('/login');
  await expectCreatePage(page);

  await page.goto('/register');
  await expectCreatePage(page);
});

test('a wrong password and an unknown email are refused with the same message', async ({
  page,
  browser,
}) => {
  const account = newAccount();
  await createAccount(browser, account);
  await page.goto('/login');

  await submitLogin(page, account.email, `${account.password}-wrong`);
  await expectLoginRefused(page);
  await saveScreenshot(page, 'login-refused');

  await submitLogin(page, newAccount().email, account.password);
  await expectLoginRefused(page);
});

test('a protected page sends a visitor to log in, then back to that page', async ({
  page,
  browser,
}) => {
  const account = newAccount();
  await createAccount(browser, account);

  // The query string makes the page distinguishable from where a plain login lands.
  await page.goto('/profile?from=e2e');
  await expect(page).toHaveURL(/\/login\?returnUrl=%2Fprofile%3Ffrom%3De2e$/);

  await submitLogin(page, account.email, account.password);
  await expect(page).toHaveURL(/\/profile\?from=e2e$/);
  await expectProfileOf(page, account);
});

test('the register form explains bad input under each field', async ({ page }) => {
  await page.goto('/register');

  await page.getByLabel('Email', { exact: true }).fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(fieldError(page, 'Email')).toContainText(/valid email/i);
  await expect(fieldError(page, 'Password')).toContainText(/8 characters/i);
  await expect(page).toHaveURL(/\/register$/);
  await saveScreenshot(page, 'register-invalid');
});

test('the login form asks for what is missing', async ({ page }) => {
  await page.goto('/login');

  await page.getByRole('button', { name: 'Log in', exact: true }).click();

  await expect(fieldError(page, 'Email')).toBeVisible();
  await expect(fieldError(page, 'Password')).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test('an email already registered is reported under Email', async ({ page, browser }) => {
  const account = newAccount();
  await createAccount(browser, account);
  await page.goto('/register');

  // Emails are case-insensitive: the upper-case spelling is the same account.
  await page.getByLabel('Email', { exact: true }).fill(account.email.toUpperCase());
  await page.getByLabel('Password', { exact: true }).fill('another password');
  await page.getByLabel('Display name', { exact: true }).fill('Someone else');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(fieldError(page, 'Email')).toContainText(/already/i);
  await expect(page).toHaveURL(/\/register$/);
  await saveScreenshot(page, 'register-email-taken');
});

test('the login and register pages link to each other', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();

  await page.getByRole('link', { name: 'Log in instead' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
});

test('the home page leads a visitor to log in', async ({ page }) => {
  await page.goto('/');

  await expect(page).toHaveURL(/\/login\?returnUrl=/);
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
});
