import { expect, test, type Page } from '@playwright/test';
import { ApiRoutes, WEBHOOK_SECRET_PREFIX, WEBHOOK_TEST_EVENT_TYPE } from '@vidgen/contracts';
import { Webhook as SignatureVerifier } from 'standardwebhooks';
import { newAccount, register } from './support/accounts';
import { horizontalOverflow, saveScreenshot } from './support/screenshots';
import { WebhookReceiver } from './support/webhook-receiver';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 720 };

/** Screenshots at a desktop and a phone width, where nothing may stick out sideways. */
async function screenshotBothWidths(page: Page, name: string) {
  await saveScreenshot(page, name);
  await page.setViewportSize(PHONE);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await saveScreenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

let receiver: WebhookReceiver;

test.beforeEach(async () => {
  receiver = await WebhookReceiver.start();
});

test.afterEach(async () => {
  await receiver.close();
});

test('an endpoint added on the page gets a signed test event, and the log shows it', async ({
  page,
}) => {
  await page.setViewportSize(DESKTOP);
  await register(page, newAccount());

  await test.step('the account menu leads to the Webhooks page', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menu').getByRole('menuitem', { name: 'Webhooks' }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
    await expect(page.getByText('No endpoints yet.')).toBeVisible();
  });

  const secret = await test.step('adding it shows the signing secret once', async () => {
    const form = page.getByRole('form', { name: 'New endpoint' });
    await form.getByRole('textbox', { name: 'Endpoint URL' }).fill(receiver.url);
    await expect(form.getByRole('checkbox', { name: 'video.completed' })).toBeChecked();
    await expect(form.getByRole('checkbox', { name: 'video.failed' })).toBeChecked();
    const created = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' &&
        new URL(response.url()).pathname === ApiRoutes.webhooks,
    );
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    expect((await created).status()).toBe(201);

    const box = page.getByRole('region', { name: 'Signing secret of your new endpoint' });
    await expect(box).toBeFocused();
    await expect(box).toContainText('It will not be shown again.');
    const shown = (await box.locator('code.secret').innerText()).trim();
    expect(shown.startsWith(WEBHOOK_SECRET_PREFIX)).toBe(true);

    await box.getByRole('button', { name: 'Done' }).click();
    await expect(box).toHaveCount(0);
    await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toBeFocused();
    await page.reload();
    await expect(page.getByRole('heading', { level: 3, name: receiver.url })).toBeVisible();
    await expect(page.locator('body')).not.toContainText(shown);
    return shown;
  });

  const endpoint = page.getByRole('article', { name: receiver.url });

  await test.step('a test event is delivered, and the log says so', async () => {
    await expect(endpoint).toContainText('Enabled');
    await expect(endpoint.getByText('No deliveries yet.')).toBeVisible();
    await endpoint.getByRole('button', { name: 'Send test event' }).click();

    const delivery = endpoint.getByRole('listitem').filter({ hasText: WEBHOOK_TEST_EVENT_TYPE });
    await expect(delivery).toContainText('Succeeded');
    await expect(delivery.getByRole('listitem')).toHaveText(/Attempt 1 · .+ · HTTP 200 · \d+\sms/);
    await expect(delivery).not.toContainText('Next try');
    const confirmation = page.getByText('Test event delivered');
    await expect(confirmation).toBeVisible();
    // Gone before the screenshots, which it would cover.
    await expect(confirmation).toBeHidden();
    await screenshotBothWidths(page, 'webhooks');
  });

  await test.step('the receiver got it, signed with the secret shown once', async () => {
    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received;
    const id = String(headers['webhook-id']);
    expect(String(headers['webhook-signature'])).toMatch(/^v1,/);
    const event = new SignatureVerifier(secret).verify(body, {
      'webhook-id': id,
      'webhook-timestamp': String(headers['webhook-timestamp']),
      'webhook-signature': String(headers['webhook-signature']),
    });
    expect(event).toMatchObject({ object: 'event', type: WEBHOOK_TEST_EVENT_TYPE });

    await page.reload();
    const delivery = endpoint.getByRole('listitem').filter({ hasText: WEBHOOK_TEST_EVENT_TYPE });
    await expect(delivery).toContainText(`ID ${id}`);
    await expect(delivery).toContainText('Succeeded');
  });
});
