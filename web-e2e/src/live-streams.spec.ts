import { expect, test } from '@playwright/test';
import { ApiRoutes, JobStatus } from '@vidgen/contracts';
import {
  expectCreatePage,
  expectLoggedOut,
  newAccount,
  register,
  submitLogin,
} from './support/accounts';
import { ApiSession } from './support/api';
import { saveScreenshot } from './support/screenshots';
import { CHAT_STREAM_APP_PORT, CHAT_STREAM_APP_URL, LOCAL_APP_URL } from './support/servers';
import { TcpProxy } from './support/tcp-proxy';
import {
  expectReadyCard,
  libraryCard,
  newPrompt,
  openLibrary,
  progressValue,
  RENDER_TIMEOUT,
} from './support/videos';

// The Library's live stream across what breaks it in real life: a connection cut while a job runs,
// and a session that ends while the page is open.

test.describe.configure({ timeout: 90_000 });

/**
 * How long an open stream takes to notice a session that ended elsewhere: the server checks it
 * again every SSE_HEARTBEAT_SECONDS (the default 15 s: playwright.config.ts leaves it) and ends the
 * stream; the browser reconnects after the server's retry hint (at most 7 s) and is refused.
 */
const SESSION_END_NOTICED = 40_000;

test('the Library card of a job that ended while the stream was cut shows the result after the reconnect', async ({
  page,
  request,
}) => {
  // The chat-stream app, whose fake gateway takes a few seconds a job, one progress step a second:
  // long enough to cut the line in the middle.
  const proxy = await TcpProxy.start(CHAT_STREAM_APP_PORT);
  try {
    const account = newAccount();
    const elsewhere = await ApiSession.register(request, CHAT_STREAM_APP_URL, account);
    await page.goto(`${proxy.url}/login`);
    await submitLogin(page, account.email, account.password);
    await expectCreatePage(page);
    await page.goto(`${proxy.url}/library`);
    await expect(page.getByRole('heading', { level: 2, name: 'No videos yet' })).toBeVisible();
    let pageLoads = 0;
    page.on('load', () => pageLoads++);

    // Made elsewhere, it reaches the page through the stream alone.
    const prompt = newPrompt('A heron fishing at dawn');
    const { job } = await elsewhere.createVideo({ prompt });
    const card = libraryCard(page, prompt);
    const progress = card.getByRole('progressbar', { name: `Progress of ${prompt}` });
    await expect
      .poll(() => progressValue(progress), { timeout: RENDER_TIMEOUT, intervals: [100] })
      .toBeGreaterThan(0);

    proxy.cut();
    await expect
      .poll(async () => (await elsewhere.job(job.id)).status, { timeout: RENDER_TIMEOUT })
      .toBe(JobStatus.Succeeded);
    // The page cannot know yet.
    await expect(card.getByText('Generating', { exact: true })).toBeVisible();
    await saveScreenshot(page, 'live-streams-library-cut');

    // Whether the server replays what was missed or sends only the active jobs, the page asks
    // for what it shows again.
    const refetched = page.waitForRequest(
      (sent) => new URL(sent.url()).pathname === ApiRoutes.videos,
    );
    proxy.restore();
    await refetched;
    await expectReadyCard(card);
    await expect(progress).toHaveCount(0);
    expect(pageLoads, 'the page was not reloaded').toBe(0);
    await saveScreenshot(page, 'live-streams-library-reconnected');
  } finally {
    await proxy.close();
  }
});

test('an expired session on the Library page lands on the login page', async ({
  page,
  request,
}) => {
  const account = newAccount();
  await register(page, account);
  // Once the page has its list and its stream, only the stream can tell that the session ended.
  const answered = (path: string) =>
    page.waitForResponse((response) => new URL(response.url()).pathname === path);
  const loaded = Promise.all([
    answered(ApiRoutes.videos),
    answered(ApiRoutes.jobs),
    answered(ApiRoutes.jobsStream),
  ]);
  await openLibrary(page);
  for (const response of await loaded) expect(response.status()).toBe(200);

  // A password change from another device logs every other session out, this page's included.
  const elsewhere = await ApiSession.logIn(request, LOCAL_APP_URL, account);
  const newPassword = `${account.password} renewed`;
  await elsewhere.changePassword(account.password, newPassword);

  // Through the same path as any request's 401: back to the Library after logging in again.
  await expect(page).toHaveURL(/\/login\?returnUrl=%2Flibrary$/, {
    timeout: SESSION_END_NOTICED,
  });
  await expectLoggedOut(page);
  await saveScreenshot(page, 'live-streams-session-ended');

  await submitLogin(page, account.email, newPassword);
  await expect(page).toHaveURL(/\/library$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
});
