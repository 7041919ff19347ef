import { Orientation } from '@vidgen/contracts';

export interface GenerationRequest {
  jobId: string;
  prompt: string;
  orientation: Orientation;
  durationSeconds: number;
  /** A folder of this job's own for partial files; the runner removes it afterwards. */
  workDir: string;
  /**
   * The upstream's id for this job when an earlier attempt got that far: an adapter that can,
   * resumes following it instead of paying for a new generation.
   */
  upstreamJobId?: string | null;
  /** Saves the upstream's id as soon as the upstream accepted the work, for `upstreamJobId`. */
  rememberUpstreamJob?: (id: string) => Promise<void>;
}

export interface GenerationProgress {
  /** 0..100 */
  percent: number;
  /** What is happening, in words a person understands ("Rendering frames"). */
  stage: string;
}

/** Where the finished video is: a file in the work folder, or an upstream URL to download. */
export type GenerationResult =
  | { kind: 'file'; path: string; model: string | null }
  | { kind: 'url'; url: string; model: string | null };

/**
 * The port every generation service is behind. `generate` reports progress as it goes, stops
 * promptly when `signal` aborts (rejecting with the signal's reason), and rejects with a
 * ProviderError that says why when generation fails.
 */
export interface VideoProvider {
  /** Stable name stored on each video, e.g. `local`. */
  readonly name: string;
  /** Shown to people, e.g. "Local preview (not AI)". */
  readonly label: string;
  /** True for the built-in renderer, which is labelled everywhere as not AI. */
  readonly isLocalPreview: boolean;
  /** The lengths, in seconds, the UI offers; the first is the default. */
  readonly durationOptions: readonly number[];
  /** Whether a requested length can be made (the UI's options, or more). */
  acceptsDuration(seconds: number): boolean;
  generate(
    request: GenerationRequest,
    onProgress: (progress: GenerationProgress) => void,
    signal: AbortSignal,
  ): Promise<GenerationResult>;
}

export const VIDEO_PROVIDER = Symbol('VIDEO_PROVIDER');

/** A generation failure with a stable code and a message a person can act on. */
export class ProviderError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
