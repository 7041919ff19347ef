import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Resolved once: a clip still being made when a test file ends must not load modules then. */
const FFMPEG = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

/** Bump when the clips change: the cache folder is keyed by it. */
const CLIPS_VERSION = 'v1';
/** Few frames and a coarse encoding keep a 20 s clip under a megabyte and quick to make. */
const FRAME_RATE = 6;

/** What a generation really made: its frame size and length. */
export interface ClipShape {
  width: number;
  height: number;
  seconds: number;
}

const made = new Map<string, Promise<Buffer>>();

/**
 * An MP4 of exactly this shape (H.264 yuv420p with an AAC track, moov atom first, as the
 * media.ts clips), so that a platform that asked the gateway the wrong way gets the shape the
 * gateway really makes. Made with the bundled ffmpeg on first use, kept in the OS temp folder.
 */
export function loadClip(shape: ClipShape): Promise<Buffer> {
  const name = `${shape.width}x${shape.height}-${shape.seconds}s.mp4`;
  let clip = made.get(name);
  if (!clip) {
    clip = ensureClip(name, shape);
    clip.catch(() => made.delete(name));
    made.set(name, clip);
  }
  return clip;
}

async function ensureClip(name: string, shape: ClipShape): Promise<Buffer> {
  const dir = join(tmpdir(), `vidgen-fake-gateway-sized-clips-${CLIPS_VERSION}`);
  const file = join(dir, name);
  if (await nonEmpty(file)) return readFile(file);
  await mkdir(dir, { recursive: true });
  // Written aside and renamed, so a concurrent start never reads half a file.
  const partial = `${file}.${process.pid}.${Date.now()}.partial.mp4`;
  try {
    await run(FFMPEG, clipArgs(shape, partial), { timeout: 120_000 });
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

function clipArgs({ width, height, seconds }: ClipShape, out: string): string[] {
  const source = `testsrc2=size=${width}x${height}:rate=${FRAME_RATE}:duration=${seconds}`;
  return [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', source],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '45', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '32k', '-shortest', '-movflags', '+faststart', '-f', 'mp4', out],
  ];
}
