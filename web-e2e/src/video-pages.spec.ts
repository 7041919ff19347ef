import { expect, test, type Page } from '@playwright/test';
import { newAccount, register } from './support/accounts';
import { backgroundLuminance, horizontalOverflow, saveScreenshot } from './support/screenshots';
import {
  expectFirstFrame,
  expectGenerationReady,
  expectProgressUnderway,
  expectReadyCard,
  generate,
  generationProgress,
  libraryCard,
  newPrompt,
  openLibrary,
} from './support/videos';

// Screenshots of the Create page (idle, in progress, done), the Library with cards and the Video
// page of each orientation, in the light and dark schemes and at a phone's width. One test per
// look, each with its own account and two short renders; the checks are what a screenshot would
// show: the page drawn in the requested scheme, fitting the screen.

test.describe.configure({ timeout: 120_000 });

interface Look {
  name: string;
  suffix: string;
  check: (page: Page) => Promise<void>;
}

const looks: (Look & { use: Parameters<typeof test.use>[0] })[] = [
  {
    name: 'light scheme',
    suffix: '',
    use: { colorScheme: 'light' },
    check: async (page) => expect(await backgroundLuminance(page)).toBeGreaterThan(0.5),
  },
  {
    name: 'dark scheme',
    suffix: '-dark',
    use: { colorScheme: 'dark' },
    check: async (page) => expect(await backgroundLuminance(page)).toBeLessThan(0.5),
  },
  {
    name: 'phone width',
    suffix: '-phone',
    use: {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    },
    check: async (page) => expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0),
  },
];

for (const look of looks) {
  test.describe(`${look.name}`, () => {
    test.use(look.use);

    test('Create, Library and Video pages', async ({ page }) => {
      const shoot = async (name: string, options?: { fullPage?: boolean }) => {
        await look.check(page);
        await saveScreenshot(page, `${name}${look.suffix}`, options);
      };
      await register(page, newAccount());
      const portrait = newPrompt('A paper boat drifting down a rainy street at dusk');
      const landscape = newPrompt('A lighthouse in a storm');

      await shoot('create');

      // Ten seconds, so the job is still running while the screenshot is taken.
      await generate(page, { prompt: portrait, seconds: 10 });
      await expectProgressUnderway(generationProgress(page));
      await shoot('create-progress');
      await expect(generationProgress(page)).toBeVisible();

      const video = await expectGenerationReady(page);
      await expectFirstFrame(page, video);
      await shoot('create-done');

      await page.getByRole('button', { name: 'Generate another' }).click();
      await generate(page, { prompt: landscape, orientation: 'Landscape', seconds: 5 });
      await expectGenerationReady(page);

      await openLibrary(page);
      await expectReadyCard(libraryCard(page, portrait));
      await expectReadyCard(libraryCard(page, landscape));
      await shoot('library');

      for (const [title, name] of [
        [portrait, 'video'],
        [landscape, 'video-landscape'],
      ]) {
        await openLibrary(page);
        await libraryCard(page, title).getByRole('link', { name: title }).click();
        await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
        await expectFirstFrame(page, page.locator('video'));
        await shoot(name);
      }
    });
  });
}
