import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { FfmpegMediaTool } from './ffmpeg-media-tool';
import { MediaError } from './media-tool';
import { runProcess } from './run-process';

const config = loadConfig({ LOG_LEVEL: 'silent' });
const tool = new FfmpegMediaTool(config);
let dir: string;

/** A real clip from ffmpeg's test source; `faststart` puts the index (moov) before the frames. */
async function makeClip(name: string, size: string, faststart: boolean): Promise<string> {
  const path = join(dir, name);
  const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${size}:r=25:d=2`];
  const flags = faststart ? ['-movflags', '+faststart'] : [];
  await runProcess(
    config.ffmpegPath,
    [...args, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...flags, path],
    {
      timeoutMs: 60_000,
    },
  );
  return path;
}

async function truncated(source: string, name: string): Promise<string> {
  const bytes = await readFile(source);
  const path = join(dir, name);
  await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
  return path;
}

/** Width and height from a baseline JPEG's SOF0 marker. */
function jpegSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  for (let i = 2; i < bytes.length - 8; ) {
    const marker = bytes[i + 1];
    if (marker >= 0xc0 && marker <= 0xc2)
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  throw new Error('no SOF marker');
}

let portrait: string;
let landscape: string;
let moovAtEnd: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vidgen-media-'));
  [portrait, landscape, moovAtEnd] = await Promise.all([
    makeClip('portrait.mp4', '360x640', true),
    makeClip('landscape.mp4', '640x360', true),
    makeClip('moov-at-end.mp4', '320x240', false),
  ]);
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('FfmpegMediaTool.probe', () => {
  it('reads the first video stream', async () => {
    const info = await tool.probe(portrait);
    expect(info).toMatchObject({
      width: 360,
      height: 640,
      videoCodec: 'h264',
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    });
    expect(info.durationSeconds).toBeCloseTo(2, 1);
    expect(info.sizeBytes).toBe((await readFile(portrait)).length);
  });

  // The orientation check of a job's result compares this size with the request.
  it('gives a quarter-turned file the size players show: landscape frames turned are portrait', async () => {
    const turned = join(dir, 'turned.mp4');
    await runProcess(
      config.ffmpegPath,
      ['-v', 'error', '-y', '-i', landscape, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', turned],
      { timeoutMs: 60_000 },
    );

    expect(await tool.probe(turned)).toMatchObject({ width: 360, height: 640 });
  });

  it('rejects a text file', async () => {
    const path = join(dir, 'notes.mp4');
    await writeFile(path, 'just some words\n');
    await expect(tool.probe(path)).rejects.toThrow(MediaError);
    await expect(tool.probe(path)).rejects.toThrow(
      /^"notes.mp4" is not a video: notes.mp4: Invalid data/,
    );
  });

  it('rejects an image', async () => {
    const path = join(dir, 'still.jpg');
    await tool.makeThumbnail(landscape, path, 1);
    await expect(tool.probe(path)).rejects.toThrow(
      /"still.jpg" is not a video: it holds no video stream/,
    );
  });

  it('rejects an MP4 cut short before its index', async () => {
    const path = await truncated(moovAtEnd, 'cut-index.mp4');
    await expect(tool.probe(path)).rejects.toThrow(
      /"cut-index.mp4" is not a video: cut-index.mp4: Invalid data found/,
    );
  });

  it('rejects an MP4 whose frames are cut short, even with its index intact', async () => {
    const path = await truncated(portrait, 'cut-frames.mp4');
    await expect(tool.probe(path)).rejects.toThrow(
      /"cut-frames.mp4" is not a video: the file is truncated \(\d+ of 50 frames\)/,
    );
  });

  it('rejects a missing file', async () => {
    await expect(tool.probe(join(dir, 'gone.mp4'))).rejects.toThrow(
      '"gone.mp4" does not exist or cannot be read',
    );
  });
});

describe('FfmpegMediaTool.makeThumbnail', () => {
  it.each([
    ['portrait', () => portrait, { width: 202, height: 360 }],
    ['landscape', () => landscape, { width: 360, height: 202 }],
  ])(
    'writes a JPEG of a %s clip, 360 px on the long side with its aspect',
    async (name, video, expected) => {
      const path = join(dir, `${name}.jpg`);
      await tool.makeThumbnail(video(), path, 1);
      expect(jpegSize(await readFile(path))).toEqual(expected);
    },
  );

  it('takes the last frame when asked for a time past the end', async () => {
    const path = join(dir, 'late.jpg');
    await tool.makeThumbnail(landscape, path, 99);
    expect(jpegSize(await readFile(path))).toEqual({ width: 360, height: 202 });
  });

  it('rejects a file that is not a video', async () => {
    const path = join(dir, 'readme.txt');
    await writeFile(path, 'hello');
    await expect(tool.makeThumbnail(path, join(dir, 'x.jpg'), 0)).rejects.toThrow(MediaError);
  });
});
