import { rmSync } from 'node:fs';
import { SCREENSHOT_DIR } from './screenshots';

/** Screenshots are replaced per run, so none is left over from a page or test that is gone. */
export default function globalSetup(): void {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
}
