import { randomUUID } from 'node:crypto';
import { expect, type Browser, type Locator, type Page } from '@playwright/test';

export interface Account {
  email: string;
  password: string;
  displayName: string;
}

/** A new, unique account per test, so tests never depend on each other or on the order they run. */
export function newAccount(): Account {
  const id = randomUUID().slice(0, 8);
  return {
    email: `e2e-${Date.now().toString(36)}-${id}@example.com`,
    password: `correct horse ${id}`,
    displayName: `Ada ${id}`,
  };
}

/** Registers through the form; a new account starts on the Create page. */
export async function register(page: Page, account: Account): Promise<void> {
  await page.goto('/register');
  await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Display name', { exact: true }).fill(account.displayName);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectCreatePage(page);
}

/** Registers in a browser context of its own, leaving `page` logged out. */
export async function createAccount(browser: Browser, account: Account): Promise<void> {
  const context = await browser.newContext();
  try {
    await register(await context.newPage(), account);
  } finally {
    await context.close();
  }
}

/** Fills and submits the login form of the page currently shown. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

export async function logIn(page: Page, account: Account): Promise<void> {
  await page.goto('/login');
  await submitLogin(page, account.email, account.password);
  await expectCreatePage(page);
}

/** Logs out through the account menu, which every page shows. */
export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Log out' }).click();
  await expectLoggedOut(page);
}

export async function expectLoggedOut(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
}

/** Where a logged-in person starts, after registering or logging in. */
export async function expectCreatePage(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/create(\?|$)/);
  await expect(page.getByRole('heading', { level: 1, name: 'Create a video' })).toBeVisible();
}

export async function openProfile(page: Page, account: Account): Promise<void> {
  await page.goto('/profile');
  await expectProfileOf(page, account);
}

export async function expectProfileOf(page: Page, account: Account): Promise<void> {
  await expect(page).toHaveURL(/\/profile(\?|$)/);
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  await expect(page.getByLabel('Display name', { exact: true })).toHaveValue(account.displayName);
}

export const WRONG_CREDENTIALS = 'Email or password is incorrect.';

export async function expectLoginRefused(page: Page): Promise<void> {
  await expect(page.getByRole('alert').filter({ hasText: WRONG_CREDENTIALS })).toBeVisible();
  await expect(page).toHaveURL(/\/login(\?|$)/);
}

/** The validation message(s) Angular Material shows under the field with this label in `scope`. */
export function fieldError(scope: Page | Locator, label: string): Locator {
  const page = 'page' in scope ? scope.page() : scope;
  return scope
    .locator('mat-form-field')
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator('mat-error');
}
