import { test, type Page } from '@playwright/test';
import * as path from 'node:path';

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'test-output', 'screenshots');

/**
 * Saves a screenshot as a kept artifact and attaches it to the HTML report. Whole page by default;
 * `{ fullPage: false }` for overlays (dialogs, menus), which cover the viewport only.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  { fullPage = true } = {},
): Promise<void> {
  // Self-hosted fonts load asynchronously; a screenshot taken before would show fallback glyphs.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // A full-page capture does not scroll, so lazy images below the fold would stay empty.
  await page.evaluate(() =>
    Promise.all(
      [...document.images].map((image) => {
        image.loading = 'eager';
        return image.decode().catch(() => undefined);
      }),
    ).then(() => undefined),
  );
  // A full-page capture of a scrolled page draws the sticky toolbar where the viewport was.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage, animations: 'disabled' });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}

/**
 * Relative luminance (0 black .. 1 white) of the page's painted background: the first opaque
 * background of body or html. The colour is normalised through a canvas, so any CSS colour syntax
 * (rgb, color(), oklch) works. Null when neither paints a background.
 */
export function backgroundLuminance(page: Page): Promise<number | null> {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) return null;
    for (const element of [document.body, document.documentElement]) {
      context.clearRect(0, 0, 1, 1);
      context.fillStyle = getComputedStyle(element).backgroundColor;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
      if (a === 255) return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    }
    return null;
  });
}

/** How far the page is wider than the viewport (a horizontal scrollbar on a phone). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
