import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { API_KEY_PREFIX, ApiRoutes } from '@vidgen/contracts';
import { newAccount, openProfile, register } from './support/accounts';
import { horizontalOverflow, saveScreenshot } from './support/screenshots';
import { LOCAL_APP_URL } from './support/servers';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 720 };

/** The Profile page's card for API keys. */
function keysSection(page: Page) {
  return page
    .locator('mat-card')
    .filter({ has: page.getByRole('heading', { level: 2, name: 'API keys' }) });
}

/** The API as a program calls it: no cookie, only the key. */
function listVideosWith(request: APIRequestContext, secret: string) {
  return request.get(LOCAL_APP_URL + ApiRoutes.videos, {
    headers: { Authorization: `Bearer ${secret}` },
  });
}

/** Screenshots at a desktop and a phone width, where nothing may stick out sideways. */
async function screenshotBothWidths(page: Page, name: string) {
  await saveScreenshot(page, name);
  await page.setViewportSize(PHONE);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await saveScreenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

test('a key is shown once, then only by its prefix; it works until it is revoked', async ({
  page,
  request,
}) => {
  await page.setViewportSize(DESKTOP);
  const account = newAccount();
  await register(page, account);
  await openProfile(page, account);
  const section = keysSection(page);
  const name = `Script ${account.displayName.slice(4)}`;
  await expect(section.getByText('No keys yet.')).toBeVisible();

  const secret = await test.step('creating it shows the secret once', async () => {
    await section.getByLabel('Key name', { exact: true }).fill(name);
    await section.getByRole('combobox', { name: 'Expires' }).click();
    await page.getByRole('option', { name: 'In 90 days' }).click();
    const created = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' &&
        new URL(response.url()).pathname === ApiRoutes.apiKeys,
    );
    await section.getByRole('button', { name: 'Create key' }).click();
    expect((await created).status()).toBe(201);

    const box = section.getByRole('region', { name: `Your new key “${name}”` });
    await expect(box).toBeFocused();
    await expect(box).toContainText('It will not be shown again.');
    const shown = (await box.locator('code').innerText()).trim();
    expect(shown).toMatch(new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{32,}$`));
    await screenshotBothWidths(page, 'api-keys-secret');
    return shown;
  });

  const row = section.getByRole('listitem').filter({ hasText: name });

  await test.step('after Done, and after a reload, only the prefix is left', async () => {
    await section.getByRole('button', { name: 'Done' }).click();
    await expect(section.getByRole('region')).toHaveCount(0);
    await expect(section.getByLabel('Key name', { exact: true })).toBeFocused();

    await page.reload();
    await expect(row).toBeVisible();
    await expect(page.locator('body')).not.toContainText(secret);
    const prefix = (await row.locator('code').innerText()).trim().replace(/…$/, '');
    expect(prefix.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(prefix.length).toBeLessThan(secret.length);
    expect(secret.startsWith(prefix)).toBe(true);
    await expect(row).toContainText(/Last used\s*Never/);
    await expect(row).toContainText(/Expires\s*\w{3} \d{1,2}, \d{4}/);
  });

  await test.step('a program can use it', async () => {
    expect((await listVideosWith(request, secret)).status()).toBe(200);
    await page.reload();
    await expect(row).toBeVisible();
    await screenshotBothWidths(page, 'api-keys-list');
  });

  await test.step('revoking asks first, then the key is gone and refused', async () => {
    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('Revoke API key?');
    await saveScreenshot(page, 'api-keys-revoke-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toBeVisible();
    expect((await listVideosWith(request, secret)).status()).toBe(200);

    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toHaveCount(0);
    await expect(section.getByText('No keys yet.')).toBeVisible();
    expect((await listVideosWith(request, secret)).status()).toBe(401);

    await page.reload();
    await expect(section.getByText('No keys yet.')).toBeVisible();
  });
});
