import { createRequire } from 'node:module';
import { ProviderError } from '../video-provider';

const FONT_MODULE = 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf';

/**
 * drawtext needs a font file. The static ffmpeg's fontconfig can't be relied on to find system
 * fonts (a slim container has none) and its FreeType can't read WOFF2, so the font comes from
 * an npm package as a TrueType file. DejaVu Sans covers Latin, Greek, Cyrillic and many symbols.
 */
export function bundledFontPath(): string {
  try {
    // Not a literal `require.resolve`: webpack would turn that into a module id, not a path.
    return createRequire(__filename).resolve(FONT_MODULE);
  } catch {
    throw new ProviderError(
      'RENDER_FAILED',
      'The local preview needs the font package "dejavu-fonts-ttf"; run npm ci',
    );
  }
}
