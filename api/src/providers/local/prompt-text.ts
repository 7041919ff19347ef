export interface TextBox {
  width: number;
  height: number;
}

export interface PromptLayout {
  /** Lines joined with `\n`, for drawtext's `textfile`. */
  text: string;
  lineCount: number;
  fontSize: number;
  lineSpacing: number;
}

// Largest first: a short prompt is drawn big, a long one smaller, then cut with an ellipsis.
const FONT_SIZES = [64, 56, 48, 42, 36, 32];
const LINE_HEIGHT_EM = 1.17; // DejaVu Sans ascent + descent
const LINE_SPACING_EM = 0.25;
const ELLIPSIS = '…';

/**
 * Makes a prompt safe to draw: control and format characters (tabs, newlines, bidi overrides,
 * lone surrogates) become spaces, runs of space collapse. The text reaches ffmpeg through a
 * file with expansion off, so no character has a meaning to escape.
 */
export function cleanPromptText(prompt: string): string {
  return prompt
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Advance width of a character in ems, rounded up from DejaVu Sans' metrics by class, so a
 * wrapped line never comes out wider than its box.
 */
export function charWidthEm(char: string): number {
  if (char === ' ') return 0.32;
  if (/^[iIjl.,:;'|!`()[\]{}ft]$/.test(char)) return 0.42;
  if (/^[mwMW@%]$/.test(char)) return 1.0;
  if (/^[A-Z]$/.test(char)) return 0.78;
  if (char.length === 1 && char.charCodeAt(0) < 0x250) return 0.66;
  return 1.0;
}

export function textWidthEm(text: string): number {
  let width = 0;
  for (const char of text) width += charWidthEm(char);
  return width;
}

/** Greedy word wrap to `maxEm` per line; a word longer than a line is broken where it must. */
export function wrapText(text: string, maxEm: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (textWidthEm(candidate) <= maxEm) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    for (const char of word) {
      if (line && textWidthEm(line + char) > maxEm) {
        lines.push(line);
        line = '';
      }
      line += char;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Picks the largest font size at which the prompt fits the box, or cuts it at the smallest. */
export function layoutPrompt(prompt: string, box: TextBox): PromptLayout {
  const text = cleanPromptText(prompt) || ELLIPSIS;
  for (const fontSize of FONT_SIZES) {
    const lineSpacing = Math.round(fontSize * LINE_SPACING_EM);
    const maxLines = Math.max(
      1,
      Math.floor((box.height + lineSpacing) / (fontSize * LINE_HEIGHT_EM + lineSpacing)),
    );
    const lines = wrapText(text, box.width / fontSize);
    const smallest = fontSize === FONT_SIZES[FONT_SIZES.length - 1];
    if (lines.length <= maxLines || smallest) {
      const shown =
        lines.length <= maxLines ? lines : truncate(lines, maxLines, box.width / fontSize);
      return { text: shown.join('\n'), lineCount: shown.length, fontSize, lineSpacing };
    }
  }
  throw new Error('unreachable: the smallest font size always returns');
}

function truncate(lines: string[], maxLines: number, maxEm: number): string[] {
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1];
  while (last && textWidthEm(`${last}${ELLIPSIS}`) > maxEm)
    last = Array.from(last).slice(0, -1).join('');
  kept[maxLines - 1] = `${last.trimEnd()}${ELLIPSIS}`;
  return kept;
}
