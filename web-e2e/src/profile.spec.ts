import { expect, test, type Page } from '@playwright/test';
import {
  expectLoginRefused,
  expectProfileOf,
  fieldError,
  logIn,
  expectLoggedOut,
  logOut,
  newAccount,
  openProfile,
  register,
  submitLogin,
} from './support/accounts';
import { saveScreenshot } from './support/screenshots';

/** Resolves when the API has answered the request the form just sent. */
function apiAnswer(page: Page, method: string, path: string) {
  return page.waitForResponse(
    (response) =>
      response.request().method() === method && new URL(response.url()).pathname === path,
  );
}

test('a changed display name is saved and survives a reload', async ({ page }) => {
  const account = newAccount();
  await register(page, account);
  await openProfile(page, account);
  const renamed = { ...account, displayName: `Grace ${account.displayName.slice(4)}` };

  await page.getByLabel('Display name', { exact: true }).fill(renamed.displayName);
  const saved = apiAnswer(page, 'PATCH', '/api/users/me');
  await page.getByRole('button', { name: 'Save' }).click();
  expect((await saved).ok()).toBe(true);

  await page.reload();
  await expectProfileOf(page, renamed);
  await page.getByRole('button', { name: 'Account menu' }).click();
  await expect(page.getByRole('menu')).toContainText(renamed.displayName);
});

test('after a password change only the new password logs in', async ({ page }) => {
  const account = newAccount();
  await register(page, account);
  await openProfile(page, account);
  const newPassword = `${account.password} renewed`;

  await page.getByLabel('Current password', { exact: true }).fill(account.password);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  const changed = apiAnswer(page, 'POST', '/api/users/me/password');
  await page.getByRole('button', { name: 'Change password' }).click();
  expect((await changed).ok()).toBe(true);

  // The profile's own Log out button, besides the one in the account menu.
  await page.getByRole('button', { name: 'Log out' }).click();
  await expectLoggedOut(page);
  await submitLogin(page, account.email, account.password);
  await expectLoginRefused(page);
  await logIn(page, { ...account, password: newPassword });
});

test('a wrong current password is refused under its field and changes nothing', async ({
  page,
}) => {
  const account = newAccount();
  await register(page, account);
  await openProfile(page, account);

  await page.getByLabel('Current password', { exact: true }).fill(`${account.password}-wrong`);
  await page.getByLabel('New password', { exact: true }).fill(`${account.password} renewed`);
  await page.getByRole('button', { name: 'Change password' }).click();

  await expect(fieldError(page, 'Current password')).toContainText(/incorrect/i);
  await saveScreenshot(page, 'profile-wrong-password');
  await logOut(page);
  await logIn(page, account);
});

test('deleting the account asks for confirmation, then the account is gone', async ({ page }) => {
  const account = newAccount();
  await register(page, account);
  await openProfile(page, account);

  await page.getByRole('button', { name: 'Delete account' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expectProfileOf(page, account);

  await page.getByRole('button', { name: 'Delete account' }).click();
  await dialog.getByLabel('Password', { exact: true }).fill(`${account.password}-wrong`);
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(fieldError(dialog, 'Password')).toContainText(/incorrect/i);
  await saveScreenshot(page, 'delete-account-dialog', { fullPage: false });

  await dialog.getByLabel('Password', { exact: true }).fill(account.password);
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).not.toHaveURL(/\/profile/);

  await page.goto('/login');
  await submitLogin(page, account.email, account.password);
  await expectLoginRefused(page);
});
