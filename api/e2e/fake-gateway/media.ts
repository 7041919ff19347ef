import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Resolved once: a file still being made when a test file ends must not load modules then. */
const FFMPEG = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

/** Bump when the clips change: the cache folder is keyed by it. */
const MEDIA_VERSION = 'v1';
const CLIP_SECONDS = 2;

export type Orientation = 'portrait' | 'landscape';

export const DIMENSIONS: Record<Orientation, { width: number; height: number }> = {
  portrait: { width: 720, height: 1280 },
  landscape: { width: 1280, height: 720 },
};

/** Real H.264/AAC MP4 clips and JPEG stills, in memory, one of each per orientation. */
export interface Media {
  video: Record<Orientation, Buffer>;
  thumbnail: Record<Orientation, Buffer>;
}

let cached: Promise<Media> | undefined;

/**
 * Generates the clips with the bundled ffmpeg on first use and keeps them in the OS temp folder,
 * so later starts (every test file starts a gateway) cost a few file reads.
 */
export function loadMedia(): Promise<Media> {
  cached ??= buildMedia().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function buildMedia(): Promise<Media> {
  const dir = join(tmpdir(), `vidgen-fake-gateway-media-${MEDIA_VERSION}`);
  await mkdir(dir, { recursive: true });
  const [portrait, landscape, portraitStill, landscapeStill] = await Promise.all([
    ensureMedia(join(dir, 'portrait.mp4'), (out) => videoArgs('portrait', out)),
    ensureMedia(join(dir, 'landscape.mp4'), (out) => videoArgs('landscape', out)),
    ensureMedia(join(dir, 'portrait.jpg'), (out) => stillArgs('portrait', out)),
    ensureMedia(join(dir, 'landscape.jpg'), (out) => stillArgs('landscape', out)),
  ]);
  return {
    video: { portrait, landscape },
    thumbnail: { portrait: portraitStill, landscape: landscapeStill },
  };
}

/**
 * The file made by ffmpeg with `args(out)`, or as made before (kept across runs in the OS temp
 * folder). Its folder must exist.
 */
export async function ensureMedia(
  file: string,
  args: (out: string) => string[],
  timeoutMs = 60_000,
): Promise<Buffer> {
  if (await nonEmpty(file)) return readFile(file);
  // Written aside and renamed, so a concurrent start never reads half a file.
  const extension = file.slice(file.lastIndexOf('.'));
  const partial = `${file}.${process.pid}.${Date.now()}.partial${extension}`;
  try {
    await run(FFMPEG, args(partial), { timeout: timeoutMs });
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  return readFile(file);
}

async function nonEmpty(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}

function size(orientation: Orientation): string {
  const { width, height } = DIMENSIONS[orientation];
  return `${width}x${height}`;
}

/** A Sora-like result: H.264 yuv420p with an AAC track, moov atom first (+faststart). */
function videoArgs(orientation: Orientation, out: string): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${size(orientation)}:rate=24:duration=${CLIP_SECONDS}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${CLIP_SECONDS}`],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '64k', '-shortest', '-movflags', '+faststart', '-f', 'mp4', out],
  ];
}

function stillArgs(orientation: Orientation, out: string): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${size(orientation)}:rate=1:duration=1`],
    ...['-frames:v', '1', '-q:v', '4', '-f', 'image2', out],
  ];
}
