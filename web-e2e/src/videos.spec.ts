import { stat } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { fieldError, newAccount, register } from './support/accounts';
import { saveScreenshot } from './support/screenshots';
import {
  expectGenerationReady,
  expectPlayable,
  expectProgressUnderway,
  expectReadyCard,
  FRAME_SIZE,
  generate,
  generationProgress,
  libraryCard,
  libraryList,
  newPrompt,
  openLibrary,
  progressValue,
  readProgress,
  recordProgress,
  RENDER_TIMEOUT,
  watchedJobId,
} from './support/videos';

// The whole flow through the browser, against real renders by the server's local provider. Each
// test has an account of its own, so they run in parallel without seeing each other's videos.

test.describe.configure({ timeout: 120_000 });

test('a portrait and a landscape video: live progress, playback, the Library, the Video page', async ({
  page,
}) => {
  await register(page, newAccount());
  const portrait = newPrompt('A paper boat on a rainy street');
  const landscape = newPrompt('A lighthouse in a storm');

  await test.step('portrait is the default, and five seconds is offered', async () => {
    const orientation = page.getByRole('radiogroup', { name: 'Orientation' });
    await expect(orientation.getByRole('radio', { name: 'Portrait' })).toBeChecked();
    await expect(orientation.getByRole('radio', { name: 'Landscape' })).not.toBeChecked();
    await expect(page.getByRole('combobox', { name: 'Duration' })).toHaveText('5 seconds');
  });

  await test.step('the progress bar moves, with the stage in words, until the player appears', async () => {
    await recordProgress(page);
    await generate(page, { prompt: portrait });

    await expect(generationProgress(page)).toBeVisible();
    await expect(
      page.getByText(/^(Waiting in the queue|Starting|Preparing|Rendering frames)$/),
    ).toBeVisible();
    await expect(page.getByText(/^Elapsed \d\d:\d\d$/)).toBeVisible();
    const video = await expectGenerationReady(page);

    const { values, stages } = await readProgress(page);
    const underway = values.filter((value) => value > 0 && value < 100);
    expect(underway.length, `progress seen: ${values.join(', ')}`).toBeGreaterThanOrEqual(2);
    expect(values, 'progress never goes back').toEqual([...values].sort((a, b) => a - b));
    expect(stages).toContain('Rendering frames');

    await expectPlayable(page, video, FRAME_SIZE.Portrait);
    await expect(page.getByText('Made by Local preview (not AI)')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Open in library' })).toBeVisible();
  });

  await test.step('"Generate another" clears the form for a landscape video', async () => {
    await page.getByRole('button', { name: 'Generate another' }).click();
    await expect(page).toHaveURL(/\/create$/);
    await expect(page.getByRole('textbox', { name: 'Prompt' })).toHaveValue('');
    await expect(page.getByRole('textbox', { name: 'Prompt' })).toBeFocused();

    await generate(page, { prompt: landscape, orientation: 'Landscape', seconds: 5 });
    await expectProgressUnderway(generationProgress(page));
    const video = await expectGenerationReady(page);
    await expectPlayable(page, video, FRAME_SIZE.Landscape);
  });

  await test.step('both are in the Library, ready, with thumbnails', async () => {
    await openLibrary(page);
    await expect(libraryList(page).getByRole('listitem')).toHaveCount(2);
    // Newest first.
    await expect(libraryList(page).getByRole('heading', { level: 2 })).toHaveText([
      landscape,
      portrait,
    ]);
    await expectReadyCard(libraryCard(page, portrait));
    await expectReadyCard(libraryCard(page, landscape));
  });

  const renamed = newPrompt('Paper boat, renamed');
  await test.step('the Video page plays the video and saves a new title', async () => {
    await libraryCard(page, portrait).getByRole('link', { name: portrait }).click();
    await expect(page).toHaveURL(/\/videos\/[^/]+$/);
    await expect(page.getByRole('heading', { level: 1, name: portrait })).toBeVisible();
    await expect(page.getByText('720 × 1280')).toBeVisible();
    await expectPlayable(page, page.locator('video'), FRAME_SIZE.Portrait);

    await page.getByRole('textbox', { name: 'Title' }).fill(renamed);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: renamed })).toBeVisible();
    await expect(page).toHaveTitle(new RegExp(`^${renamed}\\b`));
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: renamed })).toBeVisible();
  });

  await test.step('Download saves the MP4', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.mp4$/);
    const file = await download.path();
    expect((await stat(file)).size).toBeGreaterThan(0);
  });

  await test.step('deleting the other one asks first, then it is gone from the Library', async () => {
    await openLibrary(page);
    await expect(libraryCard(page, renamed)).toBeVisible();
    await libraryCard(page, landscape).getByRole('link', { name: landscape }).click();
    await expect(page.getByRole('heading', { level: 1, name: landscape })).toBeVisible();
    const videoUrl = page.url();

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete video?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(videoUrl);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(dialog).toContainText(landscape);
    await saveScreenshot(page, 'delete-video-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page).toHaveURL(/\/library$/);
    await expect(libraryCard(page, renamed)).toBeVisible();
    await expect(libraryCard(page, landscape)).toHaveCount(0);

    await page.reload();
    await expect(libraryCard(page, renamed)).toBeVisible();
    await expect(libraryList(page).getByRole('listitem')).toHaveCount(1);
    await page.goto(videoUrl);
    await expect(page.getByRole('heading', { level: 1, name: 'Video not found' })).toBeVisible();
  });
});

test('the Create page asks for a prompt and counts its characters', async ({ page }) => {
  await register(page, newAccount());
  const prompt = page.getByRole('textbox', { name: 'Prompt' });

  await prompt.fill('   ');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();

  await expect(fieldError(page, 'Prompt')).toHaveText('Prompt is required.');
  await expect(page).toHaveURL(/\/create$/);
  await expect(generationProgress(page)).toHaveCount(0);
  await saveScreenshot(page, 'create-invalid');

  await prompt.fill('A red kite');
  await expect(fieldError(page, 'Prompt')).toHaveCount(0);
  await expect(page.getByText('10 / 4000')).toBeVisible();
});

test('reloading the Create page mid-job shows the live progress again', async ({ page }) => {
  await register(page, newAccount());
  const prompt = newPrompt('A slow sunrise over hills');
  const jobId = await generate(page, { prompt, seconds: 15 });
  const before = await expectProgressUnderway(generationProgress(page));

  await page.reload();

  await expect(page).toHaveURL(new RegExp(`/create\\?job=${jobId}$`));
  await expect(
    page.getByRole('heading', { level: 2, name: 'Generating your video' }),
  ).toBeVisible();
  const bar = generationProgress(page);
  await expect(bar).toBeVisible();
  // The snapshot carries on from where the job is, and the stream keeps it moving.
  const after = await progressValue(bar);
  expect(after).toBeGreaterThanOrEqual(before);
  await expect.poll(() => progressValue(bar), { timeout: RENDER_TIMEOUT }).toBeGreaterThan(after);
  await expect(page.getByRole('textbox', { name: 'Prompt' })).toHaveValue(prompt);

  await expectGenerationReady(page);
});

test('the Library shows a running generation live, until it is ready', async ({ page }) => {
  await register(page, newAccount());
  const prompt = newPrompt('Fireflies over a pond');
  await generate(page, { prompt, seconds: 10 });

  // A client-side move: the card can only change through the live stream.
  await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Library' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();

  const card = libraryCard(page, prompt);
  const bar = card.getByRole('progressbar', { name: `Progress of ${prompt}` });
  await expect(bar).toBeVisible();
  await expect(card.getByText(/^(Queued|Generating)$/)).toBeVisible();
  await expectProgressUnderway(bar);
  await saveScreenshot(page, 'library-generating');

  await expectReadyCard(card);
  await expect(bar).toBeHidden();
  expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(
    true,
  );
});

test('Cancel stops a generation, and Try again makes it anew', async ({ page }) => {
  await register(page, newAccount());
  const prompt = newPrompt('A train crossing a bridge');
  const firstJob = await generate(page, { prompt, seconds: 15 });
  await expectProgressUnderway(generationProgress(page));

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Generation cancelled' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'cancelled' })).toHaveText(
    'The generation was cancelled before it finished.',
  );
  await expect(generationProgress(page)).toBeHidden();
  await saveScreenshot(page, 'create-cancelled');

  await page.getByRole('button', { name: 'Try again' }).click();

  // The new attempt is a new job, which the page watches in its place.
  await expect(page).not.toHaveURL(new RegExp(`job=${firstJob}`));
  await watchedJobId(page);
  await expect(
    page.getByRole('heading', { level: 2, name: 'Generating your video' }),
  ).toBeVisible();
  await expectProgressUnderway(generationProgress(page));
  const video = await expectGenerationReady(page);
  await expectPlayable(page, video, FRAME_SIZE.Portrait);

  await openLibrary(page);
  const cards = libraryList(page).getByRole('listitem');
  await expect(cards).toHaveCount(1);
  await expectReadyCard(cards.first());
});
