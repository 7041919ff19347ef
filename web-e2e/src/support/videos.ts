import { randomUUID } from 'node:crypto';
import { expect, type Locator, type Page } from '@playwright/test';

// Generations run on the server's built-in `local` provider, which renders real H.264 clips with
// ffmpeg: a 5 s clip takes a few seconds, longer ones a little more, and more on a busy machine.

/** How long to wait for a clip to be rendered, stored and shown. */
export const RENDER_TIMEOUT = 60_000;

export type OrientationName = 'Portrait' | 'Landscape';

/** The frame size the local provider renders for each orientation. */
export const FRAME_SIZE: Record<OrientationName, { width: number; height: number }> = {
  Portrait: { width: 720, height: 1280 },
  Landscape: { width: 1280, height: 720 },
};

/**
 * A prompt unique to the test, short enough to be the video's title as it is (titles are the
 * prompt's first 60 characters).
 */
export function newPrompt(subject: string): string {
  return `${subject} ${randomUUID().slice(0, 8)}`;
}

export interface GenerateOptions {
  prompt: string;
  /** Left as the page has it (portrait by default) when not given. */
  orientation?: OrientationName;
  /** Whole seconds, as the Duration list offers them; left as the page has it when not given. */
  seconds?: number;
}

/** Fills the Create form and submits it; resolves with the job id once the page watches it. */
export async function generate(page: Page, options: GenerateOptions): Promise<string> {
  await page.getByRole('textbox', { name: 'Prompt' }).fill(options.prompt);
  if (options.orientation) {
    await page
      .getByRole('radiogroup', { name: 'Orientation' })
      .getByRole('radio', { name: options.orientation })
      .click();
  }
  if (options.seconds !== undefined) {
    await chooseOption(page, 'Duration', `${options.seconds} seconds`);
  }
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  return watchedJobId(page);
}

/** The job the Create page is watching, from `/create?job=<id>`. */
export async function watchedJobId(page: Page): Promise<string> {
  await expect(page).toHaveURL(/\/create\?job=[^&]+$/);
  return new URL(page.url()).searchParams.get('job') as string;
}

export async function chooseOption(page: Page, combobox: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect(page.getByRole('combobox', { name: combobox })).toHaveText(option);
}

export function generationProgress(page: Page): Locator {
  return page.getByRole('progressbar', { name: 'Generation progress' });
}

/**
 * aria-valuenow of a progress bar, as a number (NaN when it has none). Fails after a second when
 * the bar is not there, rather than waiting for one that may be gone for good.
 */
export async function progressValue(bar: Locator): Promise<number> {
  return Number(await bar.getAttribute('aria-valuenow', { timeout: 1_000 }));
}

/** Waits until the bar shows real progress, more than 0 and less than 100; returns that value. */
export async function expectProgressUnderway(bar: Locator): Promise<number> {
  let value = Number.NaN;
  await expect
    .poll(async () => (value = await progressValue(bar)), {
      timeout: RENDER_TIMEOUT,
      intervals: [100],
    })
    .toBeGreaterThan(0);
  expect(value).toBeLessThan(100);
  return value;
}

export interface ProgressRecord {
  values: number[];
  stages: string[];
}

/**
 * Starts noting every value the Create page's progress bar and stage line take, from the DOM's
 * own mutations, so no step is missed between two polls. Read it back with `readProgress`.
 */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record = { values: [] as number[], stages: [] as string[] };
    (window as unknown as { progressRecord: typeof record }).progressRecord = record;
    const note = () => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Generation progress"]');
      const now = bar?.getAttribute('aria-valuenow');
      if (now != null && record.values.at(-1) !== Number(now)) record.values.push(Number(now));
      const stage = bar?.parentElement?.querySelector('[aria-live]')?.textContent?.trim();
      if (stage && record.stages.at(-1) !== stage) record.stages.push(stage);
    };
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  });
}

export function readProgress(page: Page): Promise<ProgressRecord> {
  return page.evaluate(
    () =>
      (window as unknown as { progressRecord: { values: number[]; stages: string[] } })
        .progressRecord,
  );
}

/** The Create page's panel once the video is ready: heading, player, and its links. */
export async function expectGenerationReady(page: Page): Promise<Locator> {
  await expect(page.getByRole('heading', { level: 2, name: 'Your video is ready' })).toBeVisible({
    timeout: RENDER_TIMEOUT,
  });
  const video = page.locator('video');
  await expect(video).toBeVisible();
  await expect(video).toHaveAttribute('controls', '');
  return video;
}

/**
 * Plays the clip (muted, as browsers allow without a gesture) until the element has enough data
 * to play through (readyState 4, HAVE_ENOUGH_DATA), and checks the frame size it decoded.
 */
export async function expectPlayable(
  page: Page,
  video: Locator,
  size: { width: number; height: number },
): Promise<void> {
  await video.evaluate(async (element: HTMLVideoElement) => {
    element.muted = true;
    await element.play();
  });
  const handle = await video.elementHandle();
  await page.waitForFunction((element) => (element as HTMLVideoElement).readyState === 4, handle, {
    timeout: 20_000,
  });
  const decoded = await video.evaluate((element: HTMLVideoElement) => ({
    width: element.videoWidth,
    height: element.videoHeight,
    error: element.error?.message ?? null,
  }));
  expect(decoded).toEqual({ ...size, error: null });
}

/**
 * Waits until the player shows its first frame and has stopped fetching, so a screenshot shows
 * neither a black box nor the loading spinner.
 */
export async function expectFirstFrame(page: Page, video: Locator): Promise<void> {
  const handle = await video.elementHandle();
  await page.waitForFunction(
    (element) => {
      const player = element as HTMLVideoElement;
      return (
        player.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA &&
        player.networkState !== HTMLMediaElement.NETWORK_LOADING
      );
    },
    handle,
    { timeout: 20_000 },
  );
  // Chromium's built-in controls let the spinner finish its turn before hiding it, and the page
  // cannot see into them; a screenshot taken at once would still show it.
  // eslint-disable-next-line playwright/no-wait-for-timeout
  await page.waitForTimeout(1_500);
}

/** The Library's list of video cards. */
export function libraryList(page: Page): Locator {
  return page.getByRole('list', { name: 'Videos' });
}

/** The Library card whose title link reads `title`. */
export function libraryCard(page: Page, title: string): Locator {
  return libraryList(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 2, name: title, exact: true }) });
}

export async function openLibrary(page: Page): Promise<void> {
  await page.goto('/library');
  await expect(page.getByRole('heading', { level: 1, name: 'Library' })).toBeVisible();
}

/** The card says Ready and shows a thumbnail that really loaded. */
export async function expectReadyCard(card: Locator): Promise<void> {
  await expect(card.getByText('Ready', { exact: true })).toBeVisible({ timeout: RENDER_TIMEOUT });
  const thumbnail = card.locator('img');
  await expect(thumbnail).toBeVisible();
  await expect
    .poll(() =>
      thumbnail.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth),
    )
    .toBeGreaterThan(0);
}
