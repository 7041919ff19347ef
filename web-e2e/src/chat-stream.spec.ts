import { expect, test } from '@playwright/test';
import { newAccount, register } from './support/accounts';
import { saveScreenshot } from './support/screenshots';
import { CHAT_STREAM_APP_URL } from './support/servers';
import {
  expectFirstFrame,
  expectGenerationReady,
  expectPlayable,
  expectReadyCard,
  FRAME_SIZE,
  generate,
  generationProgress,
  libraryCard,
  libraryList,
  newPrompt,
  openLibrary,
  readProgress,
  recordProgress,
  RENDER_TIMEOUT,
} from './support/videos';

// The app as it runs against a Sora-compatible gateway (VIDEO_PROVIDER=chat-stream): here the
// repository's fake gateway, which streams its progress one second apart and answers with a real
// 2-second MP4 (playwright.config.ts starts both). The stages on the page are the upstream's words.

test.use({ baseURL: CHAT_STREAM_APP_URL });
test.describe.configure({ timeout: 90_000 });

const PROVIDER_LABEL = 'Sora (chat-stream gateway)';

/** The progress lines of the gateway's `success` script, as the page shows them, in order. */
const UPSTREAM_STAGES = [
  'Video Generation Progress: 0% (queued)',
  'Video Generation Progress: 37% (running)',
  'Video Generation Progress: 76% (processing)',
];
const RUNNING = UPSTREAM_STAGES[1];

/** The reason the gateway's `content-policy` script gives for refusing a prompt. */
const POLICY_REASON =
  'This content may violate our guardrails concerning similarity to third-party content.';

test("a portrait and a landscape video through the gateway, with the upstream's stages live", async ({
  page,
}) => {
  await register(page, newAccount());
  const portrait = newPrompt('A heron fishing at dawn');
  const landscape = newPrompt('A tram climbing a hill');

  await test.step('the Create page names the gateway and offers its one length', async () => {
    await expect(page.getByText(`Made with ${PROVIDER_LABEL}`)).toBeVisible();
    await expect(page.getByRole('combobox', { name: 'Duration' })).toHaveText('15 seconds');
  });

  await test.step("the upstream's stages and percentages appear as it streams them", async () => {
    await recordProgress(page);
    await generate(page, { prompt: portrait });

    await expect(page.getByText(RUNNING, { exact: true })).toBeVisible({ timeout: RENDER_TIMEOUT });
    await saveScreenshot(page, 'chat-stream-create-progress');
    const video = await expectGenerationReady(page);

    const { values, stages } = await readProgress(page);
    expect(
      stages.filter((stage) => UPSTREAM_STAGES.includes(stage)),
      `stages seen: ${stages.join(' | ')}`,
    ).toEqual(UPSTREAM_STAGES);
    expect(values, `progress seen: ${values.join(', ')}`).toEqual(expect.arrayContaining([37, 76]));
    expect(values, 'progress never goes back').toEqual([...values].sort((a, b) => a - b));

    await expectPlayable(page, video, FRAME_SIZE.Portrait);
    await expect(page.getByText(`Made by ${PROVIDER_LABEL}`)).toBeVisible();
    await expectFirstFrame(page, video);
    await saveScreenshot(page, 'chat-stream-create-ready');
  });

  await test.step('a landscape video comes back landscape', async () => {
    await page.getByRole('button', { name: 'Generate another' }).click();
    await generate(page, { prompt: landscape, orientation: 'Landscape' });
    await expect(page.getByText(RUNNING, { exact: true })).toBeVisible({ timeout: RENDER_TIMEOUT });
    const video = await expectGenerationReady(page);
    await expectPlayable(page, video, FRAME_SIZE.Landscape);
  });

  await test.step('both are in the Library, and the Video page names the model', async () => {
    await openLibrary(page);
    await expect(libraryList(page).getByRole('heading', { level: 2 })).toHaveText([
      landscape,
      portrait,
    ]);
    await expectReadyCard(libraryCard(page, portrait));
    await expectReadyCard(libraryCard(page, landscape));

    await libraryCard(page, portrait).getByRole('link', { name: portrait }).click();
    await expect(page.getByRole('heading', { level: 1, name: portrait })).toBeVisible();
    await expect(page.getByText(PROVIDER_LABEL, { exact: true })).toBeVisible();
    await expect(page.getByText('sora2-portrait-15s', { exact: true })).toBeVisible();
    await expect(page.getByText('720 × 1280')).toBeVisible();
    await expectPlayable(page, page.locator('video'), FRAME_SIZE.Portrait);
  });
});

test('a prompt the gateway refuses ends as failed, with its reason', async ({ page }) => {
  await register(page, newAccount());
  const prompt = newPrompt('A famous cartoon mouse [scenario:content-policy]');

  await generate(page, { prompt });
  await expect(generationProgress(page)).toBeVisible();

  await expect(page.getByRole('heading', { level: 2, name: 'Generation failed' })).toBeVisible({
    timeout: RENDER_TIMEOUT,
  });
  const problem = page.getByRole('alert').filter({ hasText: 'content policy' });
  await expect(problem).toContainText('content policy');
  await expect(problem).toContainText(POLICY_REASON);
  await expect(problem).not.toContainText('生成失败');
  await expect(generationProgress(page)).toBeHidden();
  await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  await saveScreenshot(page, 'chat-stream-create-failed');

  await openLibrary(page);
  const card = libraryCard(page, prompt);
  await expect(card.getByText('Failed', { exact: true })).toBeVisible();
  await card.getByRole('link', { name: prompt }).click();
  await expect(page.getByRole('alert').filter({ hasText: POLICY_REASON })).toBeVisible();
});
