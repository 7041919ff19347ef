/** One block of ffmpeg's `-progress` output, which ends with a `progress=continue|end` line. */
export interface FfmpegProgressSample {
  /** Media time written so far, or null while ffmpeg reports N/A (or a negative start value). */
  outTimeSeconds: number | null;
  frame: number | null;
  /** `progress=end`: encoding is over; the muxer may still be finishing (e.g. `+faststart`). */
  done: boolean;
}

/**
 * Reads ffmpeg's `-progress` key=value stream. Chunks from a pipe split lines anywhere, so a
 * partial line is kept until its newline arrives.
 */
export class FfmpegProgressParser {
  private pending = '';
  private fields = new Map<string, string>();

  /** Feeds a chunk of output; returns the samples whose blocks this chunk completed. */
  push(chunk: string): FfmpegProgressSample[] {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    const samples: FfmpegProgressSample[] = [];
    for (const raw of lines) {
      const line = raw.trim();
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (key === 'progress') {
        samples.push(this.sample(value === 'end'));
        this.fields = new Map();
      } else {
        this.fields.set(key, value);
      }
    }
    return samples;
  }

  private sample(done: boolean): FfmpegProgressSample {
    const frame = parseNumber(this.fields.get('frame'));
    return { outTimeSeconds: this.outTime(), frame, done };
  }

  private outTime(): number | null {
    // `out_time_ms` is in microseconds too, despite its name (an ffmpeg bug kept for
    // compatibility); `out_time_us` was added later to say so. Prefer it, fall back to either.
    const micros =
      parseNumber(this.fields.get('out_time_us')) ?? parseNumber(this.fields.get('out_time_ms'));
    const seconds = micros !== null ? micros / 1_000_000 : parseClock(this.fields.get('out_time'));
    // ffmpeg prints a huge negative time before the first frame is written.
    return seconds !== null && seconds >= 0 ? seconds : null;
  }
}

function parseNumber(value: string | undefined): number | null {
  if (value === undefined || value === '' || value === 'N/A') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** `HH:MM:SS.micro`, as in `out_time=00:00:01.480000`. */
function parseClock(value: string | undefined): number | null {
  const match = /^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value ?? '');
  if (!match) return null;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
  return match[1] === '-' ? -seconds : seconds;
}

/** Share of the clip written, 0..1, for a sample's media time against the clip's duration. */
export function renderedFraction(outTimeSeconds: number | null, durationSeconds: number): number {
  if (outTimeSeconds === null || !(durationSeconds > 0)) return 0;
  return Math.min(1, Math.max(0, outTimeSeconds / durationSeconds));
}
