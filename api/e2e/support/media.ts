import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestApp } from './app';

const run = promisify(execFile);

/** The binaries npm installed with the platform, the ones the app runs by default. */
export const FFMPEG = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
export const FFPROBE = (require('@ffprobe-installer/ffprobe') as { path: string }).path;

export interface ProbedMedia {
  width: number;
  height: number;
  durationSeconds: number;
  /** e.g. `h264`, `mjpeg` */
  codec: string;
  /** e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `image2` */
  formatName: string;
}

/** What ffprobe itself says about a file: the first video stream and the container. */
export async function ffprobe(path: string): Promise<ProbedMedia> {
  const { stdout } = await run(FFPROBE, [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    path,
  ]);
  const output = JSON.parse(stdout) as {
    streams: {
      codec_type: string;
      codec_name: string;
      width: number;
      height: number;
      duration?: string;
    }[];
    format: { format_name: string; duration?: string };
  };
  const stream = output.streams.find((s) => s.codec_type === 'video');
  if (!stream) throw new Error(`ffprobe found no video stream in ${path}: ${stdout}`);
  return {
    width: stream.width,
    height: stream.height,
    durationSeconds: Number(output.format.duration ?? stream.duration ?? NaN),
    codec: stream.codec_name,
    formatName: output.format.format_name,
  };
}

/** ffprobe on downloaded bytes (written to a temporary file, removed again). */
export async function ffprobeBytes(bytes: Buffer, extension: string): Promise<ProbedMedia> {
  const dir = await mkdtemp(join(tmpdir(), 'vidgen-e2e-probe-'));
  try {
    const file = join(dir, `download.${extension}`);
    await writeFile(file, bytes);
    return await ffprobe(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A JPEG starts with the SOI marker and a segment marker, and ends with EOI. */
export function isJpeg(bytes: Buffer): boolean {
  return (
    bytes.length > 4 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes[2] === 0xff &&
    bytes[bytes.length - 2] === 0xff &&
    bytes[bytes.length - 1] === 0xd9
  );
}

/** The names in a folder; none when it does not exist. */
export async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Where the app keeps a user's finished files: `<DATA_DIR>/videos/<userId>`. */
export function userVideoDir(api: TestApp, userId: string): string {
  return join(api.config.dataDir, 'videos', userId);
}

/** The folder of one video's files: `<DATA_DIR>/videos/<userId>/<videoId>`. */
export function videoDir(api: TestApp, userId: string, videoId: string): string {
  return join(userVideoDir(api, userId), videoId);
}

/** The stored files of one video (`<jobId>-<attempt>.mp4` and `.jpg` of its attempts, or partial files). */
export function storedFilesOf(api: TestApp, userId: string, videoId: string): Promise<string[]> {
  return filesIn(videoDir(api, userId, videoId));
}

/** The names of the video and thumbnail files one attempt of a job stores, sorted. */
export function storedNamesOf(job: { id: string; attempt: number }): string[] {
  const base = `${job.id}-${job.attempt}`;
  return [`${base}.jpg`, `${base}.mp4`];
}

/** The work folders of jobs (`<DATA_DIR>/work/<jobId>-<attempt>`) that exist now. */
export function workFolders(api: TestApp): Promise<string[]> {
  return filesIn(join(api.config.dataDir, 'work'));
}

/**
 * A stand-in for ffmpeg, for FFMPEG_PATH: a shell script named `ffmpeg` in a folder of its own.
 * `remove()` deletes the folder (call it after the app using it has stopped).
 */
export interface FakeFfmpeg {
  path: string;
  remove(): Promise<void>;
}

export async function fakeFfmpeg(script: string): Promise<FakeFfmpeg> {
  const dir = await mkdtemp(join(tmpdir(), 'vidgen-e2e-ffmpeg-'));
  const path = join(dir, 'ffmpeg');
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An ffmpeg that fails at once: exit code 1 with `message` on stderr. */
export function failingFfmpeg(message: string): Promise<FakeFfmpeg> {
  return fakeFfmpeg(`echo '${message.replace(/'/g, '')}' >&2\nexit 1`);
}

/**
 * An ffmpeg that never finishes (until killed). `exec`, so the kill reaches the sleeping process
 * itself and no orphan keeps the pipes open.
 */
export function hangingFfmpeg(): Promise<FakeFfmpeg> {
  return fakeFfmpeg('exec sleep 600');
}

/** Prompt markers understood by scriptedFfmpeg(). */
export const HANG = '[hang]';
export const FAIL = '[fail]';
export const FAIL_ONCE = '[fail-once]';

/**
 * The real ffmpeg, except where the prompt asks otherwise: the local provider writes the prompt
 * to `prompt.txt` in the job's work folder, where it runs ffmpeg. With `[hang]` in the prompt the
 * render never ends (a job that stays running as long as a test needs, without using the CPU),
 * `[fail]` fails it with a message on stderr, and `[fail-once]` fails the first render of that
 * prompt and lets later ones through (a flaky renderer, for retries). Thumbnails and everything
 * else go to the real ffmpeg.
 */
export function scriptedFfmpeg(): Promise<FakeFfmpeg> {
  return fakeFfmpeg(
    [
      'if [ -f prompt.txt ]; then',
      '  case "$(cat prompt.txt)" in',
      `    *'${HANG}'*) exec sleep 600 ;;`,
      `    *'${FAIL}'*) echo 'e2e ffmpeg: failing because the prompt asked for it' >&2; exit 1 ;;`,
      `    *'${FAIL_ONCE}'*)`,
      '      seen="$(dirname "$0")/seen-$(cksum < prompt.txt | cut -d " " -f 1)"',
      '      if [ ! -f "$seen" ]; then',
      '        touch "$seen"',
      "        echo 'e2e ffmpeg: failing the first render of this prompt' >&2",
      '        exit 1',
      '      fi ;;',
      '  esac',
      'fi',
      `exec '${FFMPEG}' "$@"`,
    ].join('\n'),
  );
}

/**
 * The processes whose working folder is `dir` or inside it (Linux /proc): a renderer the app
 * started in a job's work folder and should have stopped. Empty where /proc is not available.
 */
export async function processesIn(dir: string): Promise<number[]> {
  const pids = (await filesIn('/proc')).filter((name) => /^\d+$/.test(name));
  const found: number[] = [];
  for (const pid of pids) {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (cwd === dir || cwd.startsWith(`${dir}/`) || cwd.startsWith(`${dir} (deleted)`))
      found.push(Number(pid));
  }
  return found;
}

/** The work folder of one attempt of a job (`<DATA_DIR>/work/<jobId>-<attempt>`). */
export function workFolderOf(api: TestApp, jobId: string, attempt = 1): string {
  return join(api.config.dataDir, 'work', `${jobId}-${attempt}`);
}
