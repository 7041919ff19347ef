import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMedia } from './media';

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
  await mkdir(dir, { recursive: true });
  return ensureMedia(join(dir, name), (out) => clipArgs(shape, out), 120_000);
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
