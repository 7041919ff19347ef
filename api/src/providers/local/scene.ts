import { Orientation } from '@vidgen/contracts';
import { createHash } from 'node:crypto';

export const FPS = 25;
export const PROMPT_FILE = 'prompt.txt';
export const LABEL_FILE = 'label.txt';
export const FONT_FILE = 'font.ttf';

export type PatternKind = 'life' | 'cellauto' | 'mandelbrot';

/** What the clip looks like; every value is derived from the prompt, so a prompt always looks the same. */
export interface Scene {
  width: number;
  height: number;
  pattern: PatternKind;
  filterGraph: string;
}

export interface TextStyle {
  fontSize: number;
  lineSpacing: number;
}

type Rgb = [number, number, number];

// The pattern is drawn at a quarter or eighth of the frame and scaled up: it is cheap to render,
// and its soft, larger cells cost x264 far less than pixel-sized noise.
const PATTERNS: PatternKind[] = ['life', 'cellauto', 'mandelbrot'];
const CELL_SIZES = [4, 8];
const CELLAUTO_RULES = [18, 30, 45, 73, 90, 105, 110, 150];
const MANDELBROT_POINTS: [number, number][] = [
  [-0.743643887037151, 0.13182590420533],
  [-0.7746806106269039, -0.1374168856037867],
  [-1.7687788, -0.0017389],
  [0.2549870375144766, -0.0005679790528465],
];

export function frameSize(orientation: Orientation): { width: number; height: number } {
  return orientation === Orientation.Landscape
    ? { width: 1280, height: 720 }
    : { width: 720, height: 1280 };
}

/** Where the prompt may be drawn: most of the frame, leaving room for the label and edges. */
export function textBox(orientation: Orientation): { width: number; height: number } {
  const { width, height } = frameSize(orientation);
  return {
    width: Math.round(width * 0.8),
    height: Math.round(height * (orientation === Orientation.Landscape ? 0.62 : 0.6)),
  };
}

export function planScene(
  prompt: string,
  orientation: Orientation,
  durationSeconds: number,
  text: TextStyle,
): Scene {
  const random = seededRandom(prompt);
  const { width, height } = frameSize(orientation);
  const pattern = pick(random, PATTERNS);
  // A fractal scaled up by 8 looks blocky; cellular automata look good at either size.
  const cell = pattern === 'mandelbrot' ? CELL_SIZES[0] : pick(random, CELL_SIZES);
  const [pw, ph] = [width / cell, height / cell];
  const baseHue = random() * 360;
  const from = hsl(baseHue, 0.55 + random() * 0.25, 0.22 + random() * 0.14);
  const to = hsl(baseHue + 60 + random() * 120, 0.55 + random() * 0.25, 0.3 + random() * 0.14);
  const ink = hsl(baseHue + 180, 0.75, 0.6 + random() * 0.1);
  const background = gradient(random, from, to, pw, ph);
  const foreground = patternSource(pattern, random, {
    pw,
    ph,
    ink,
    frames: Math.round(durationSeconds * FPS),
  });
  const opacity = (0.35 + random() * 0.3).toFixed(2);
  const hueSpeed = ((random() - 0.5) * 40).toFixed(1);
  const filterGraph = [
    `${background}[bg]`,
    `${foreground},format=gbrp[fg]`,
    [
      `[bg][fg]blend=all_mode=screen:all_opacity=${opacity}`,
      `format=yuv420p`,
      `hue=h=${hueSpeed}*t`,
      `scale=${width}:${height}:flags=bicubic`,
      promptText(text),
      labelText(Math.min(width, height)),
    ].join(',') + '[out]',
  ].join(';');
  return { width, height, pattern, filterGraph };
}

/** A two-colour wave that drifts over time, computed on a tiny frame and scaled up smoothly. */
function gradient(random: () => number, from: Rgb, to: Rgb, pw: number, ph: number): string {
  const kx = (1 + random() * 3).toFixed(2);
  const ky = (1 + random() * 3).toFixed(2);
  const speed = (0.5 + random() * 1.2).toFixed(2);
  const phase = (random() * 6.28).toFixed(2);
  const mix = `(0.5+0.5*sin(${kx}*X/W+${ky}*Y/H+${speed}*T+${phase}))`;
  const channel = (i: number) => `'${from[i]}+(${to[i] - from[i]})*${mix}'`;
  const small = `${Math.max(2, Math.round(pw / 5))}x${Math.max(2, Math.round(ph / 5))}`;
  return [
    `nullsrc=s=${small}:r=${FPS}`,
    'format=gbrp',
    `geq=r=${channel(0)}:g=${channel(1)}:b=${channel(2)}`,
    `scale=${pw}:${ph}:flags=bicubic`,
  ].join(',');
}

interface PatternSize {
  pw: number;
  ph: number;
  ink: Rgb;
  frames: number;
}

function patternSource(
  kind: PatternKind,
  random: () => number,
  { pw, ph, ink, frames }: PatternSize,
): string {
  const size = `s=${pw}x${ph}:r=${FPS}`;
  const seed = Math.floor(random() * 2 ** 31);
  const ratio = (0.1 + random() * 0.3).toFixed(2);
  switch (kind) {
    case 'life':
      return `life=${size}:seed=${seed}:ratio=${ratio}:mold=${Math.floor(random() * 24)}:life_color=${hex(ink)}:death_color=black:mold_color=${hex(ink.map((c) => Math.round(c / 4)) as Rgb)}`;
    case 'cellauto': {
      const [r, g, b] = ink.map((c) => (c / 255).toFixed(3));
      return `cellauto=${size}:rule=${pick(random, CELLAUTO_RULES)}:seed=${seed}:ratio=${ratio}:scroll=1,format=rgb24,colorchannelmixer=rr=${r}:gg=${g}:bb=${b}`;
    }
    case 'mandelbrot': {
      const [x, y] = pick(random, MANDELBROT_POINTS);
      const endScale = (0.3 * 0.05 ** (0.5 + random() * 0.5)).toFixed(5);
      return `mandelbrot=${size}:start_x=${x}:start_y=${y}:start_scale=3:end_scale=${endScale}:end_pts=${frames}:maxiter=${200 + Math.floor(random() * 200)}`;
    }
  }
}

/** The prompt (from a file: nothing in it is parsed), centred on a dark band that fades in. */
function promptText({ fontSize, lineSpacing }: TextStyle): string {
  const pad = Math.round(fontSize * 0.5);
  return (
    `drawtext=fontfile=${FONT_FILE}:textfile=${PROMPT_FILE}:expansion=none:fontsize=${fontSize}` +
    `:line_spacing=${lineSpacing}:fontcolor=white:box=1:boxcolor=black@0.45:boxborderw=${pad}` +
    `:x=(w-text_w)/2:y=(h-text_h)/2:alpha='min(1,t/0.6)'`
  );
}

/** The "Local preview" mark, the same size in both orientations. */
function labelText(shortSide: number): string {
  const fontSize = Math.round(shortSide * 0.03);
  const margin = Math.round(shortSide * 0.03);
  return (
    `drawtext=fontfile=${FONT_FILE}:textfile=${LABEL_FILE}:expansion=none:fontsize=${fontSize}` +
    `:fontcolor=white@0.9:box=1:boxcolor=black@0.55:boxborderw=${Math.round(fontSize * 0.4)}:x=${margin}:y=${margin}`
  );
}

/** A small PRNG (mulberry32) seeded from the prompt's SHA-256. */
function seededRandom(prompt: string): () => number {
  let state = createHash('sha256').update(prompt, 'utf8').digest().readUInt32BE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 60;
  const c = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const m = lightness - c / 2;
  const [r, g, b] =
    h < 1
      ? [c, x, 0]
      : h < 2
        ? [x, c, 0]
        : h < 3
          ? [0, c, x]
          : h < 4
            ? [0, x, c]
            : h < 5
              ? [x, 0, c]
              : [c, 0, x];
  return [r, g, b].map((v) => Math.round((v + m) * 255)) as Rgb;
}

function hex([r, g, b]: Rgb): string {
  return `0x${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
