import { Injectable } from '@nestjs/common';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppConfig } from '../config/app-config';
import { MediaError, MediaInfo, MediaTool } from './media-tool';
import { ProcessFailure, lastErrorLine, runProcess } from './run-process';

const PROBE_TIMEOUT_MS = 30_000;
const THUMBNAIL_TIMEOUT_MS = 60_000;
const THUMBNAIL_LONG_SIDE = 360;
// Seeking to the very last instant finds no frame to decode; stay a little before it.
const THUMBNAIL_END_MARGIN_SECONDS = 0.1;

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

interface ProbeOutput {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string; size?: string };
}

/** MediaTool on the ffmpeg and ffprobe binaries named in the configuration. */
@Injectable()
export class FfmpegMediaTool extends MediaTool {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async probe(path: string): Promise<MediaInfo> {
    const name = basename(path);
    const size = await fileSize(path);
    let stdout: string;
    try {
      // -count_packets reads the whole file (demuxing only, no decoding): it is what tells a
      // truncated download from a whole one when the index (moov) sits at the start.
      const args = [
        '-v',
        'error',
        '-count_packets',
        '-print_format',
        'json',
        '-show_format',
        '-show_streams',
        path,
      ];
      ({ stdout } = await runProcess(this.config.ffprobePath, args, {
        timeoutMs: PROBE_TIMEOUT_MS,
      }));
    } catch (error) {
      throw asMediaError(error, `"${name}" is not a video`, path);
    }
    return readMediaInfo(parseJson(stdout, name), name, size);
  }

  async makeThumbnail(videoPath: string, imagePath: string, atSeconds: number): Promise<void> {
    const info = await this.probe(videoPath);
    const latest = Math.max(0, info.durationSeconds - THUMBNAIL_END_MARGIN_SECONDS);
    const at = Math.min(Math.max(Number.isFinite(atSeconds) ? atSeconds : 0, 0), latest);
    const scale =
      info.width >= info.height
        ? `scale=${THUMBNAIL_LONG_SIDE}:-2`
        : `scale=-2:${THUMBNAIL_LONG_SIDE}`;
    const args = [
      ...['-nostdin', '-v', 'error', '-y'],
      ...['-ss', at.toFixed(3), '-i', videoPath],
      ...['-frames:v', '1', '-vf', scale, '-c:v', 'mjpeg', '-q:v', '4', '-f', 'image2', imagePath],
    ];
    try {
      await runProcess(this.config.ffmpegPath, args, { timeoutMs: THUMBNAIL_TIMEOUT_MS });
    } catch (error) {
      throw asMediaError(
        error,
        `Could not make a thumbnail of "${basename(videoPath)}"`,
        videoPath,
      );
    }
    // ffmpeg exits 0 without writing anything when the seek lands past the last frame.
    if ((await fileSize(imagePath).catch(() => 0)) === 0) {
      throw new MediaError(
        `Could not make a thumbnail of "${basename(videoPath)}": no frame at ${at.toFixed(2)} s`,
      );
    }
  }
}

function readMediaInfo(output: ProbeOutput, name: string, sizeBytes: number): MediaInfo {
  const notVideo = (why: string) => new MediaError(`"${name}" is not a video: ${why}`);
  const format = output.format ?? {};
  const formatName = format.format_name ?? '';
  const stream = (output.streams ?? []).find(
    (s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1,
  );
  // Still images are demuxed as one-frame "video" streams by image2/*_pipe; they have no duration.
  if (!stream || formatName === 'image2' || formatName.endsWith('_pipe')) {
    throw notVideo(`it holds no video stream (${formatName || 'unknown format'})`);
  }
  const durationSeconds = Number(format.duration ?? stream.duration);
  if (!(durationSeconds > 0) || !stream.width || !stream.height || !stream.codec_name) {
    throw notVideo('its video stream has no duration or size');
  }
  const expected = Number(stream.nb_frames);
  const read = Number(stream.nb_read_packets);
  if (expected > 0 && read < expected) {
    throw notVideo(`the file is truncated (${read} of ${expected} frames)`);
  }
  const [width, height] = isQuarterTurn(stream)
    ? [stream.height, stream.width]
    : [stream.width, stream.height];
  return { width, height, durationSeconds, videoCodec: stream.codec_name, formatName, sizeBytes };
}

/** Phones store portrait video as landscape frames plus a rotation; players show it turned. */
function isQuarterTurn(stream: ProbeStream): boolean {
  const rotation = Number(
    stream.tags?.rotate ??
      stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ??
      0,
  );
  return Math.abs(rotation) % 180 === 90;
}

function parseJson(stdout: string, name: string): ProbeOutput {
  try {
    return JSON.parse(stdout) as ProbeOutput;
  } catch {
    throw new MediaError(`"${name}" could not be inspected: ffprobe gave no readable answer`);
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new MediaError(`"${basename(path)}" is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw new MediaError(`"${basename(path)}" does not exist or cannot be read`);
  }
}

/** The message names the file, never its full path: it may be stored and shown to its owner. */
function asMediaError(error: unknown, prefix: string, path: string): MediaError {
  if (error instanceof ProcessFailure) {
    const line = error.kind === 'exit' ? lastErrorLine(error.stderr) : error.message;
    const detail = line.split(path).join(basename(path));
    return new MediaError(detail ? `${prefix}: ${detail}` : prefix);
  }
  return new MediaError(`${prefix}: ${error instanceof Error ? error.message : String(error)}`);
}
