import { Injectable } from '@nestjs/common';
import { DEFAULT_DURATION_SECONDS, MIN_DURATION_SECONDS } from '@vidgen/contracts';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { ProcessFailure, runProcess } from '../../media/run-process';
import {
  GenerationProgress,
  GenerationRequest,
  GenerationResult,
  ProviderError,
  VideoProvider,
} from '../video-provider';
import { bundledFontPath } from './bundled-font';
import { FfmpegProgressParser, renderedFraction } from './ffmpeg-progress';
import {
  ProgressReporter,
  STAGE_FINISHING,
  STAGE_PREPARING,
  STAGE_RENDERING,
} from './progress-reporter';
import { layoutPrompt } from './prompt-text';
import { FONT_FILE, FPS, LABEL_FILE, PROMPT_FILE, Scene, planScene, textBox } from './scene';

export const LOCAL_OUTPUT_FILE = 'output.mp4';
export const LOCAL_PREVIEW_LABEL = 'Local preview';
const LOCAL_MODEL = 'local-preview';
const LOCAL_MAX_DURATION_SECONDS = 20;

// Percentages of the whole job: encoding takes up to 95, moving the index to the front
// (+faststart) happens after ffmpeg reports `progress=end`.
const RENDER_SHARE = 95;
const END_OF_ENCODING = 97;

/**
 * Renders a real H.264 clip on this machine with ffmpeg: no AI, no account, works offline.
 * Pattern, colours and motion come from a hash of the prompt; the prompt itself is drawn on it.
 */
@Injectable()
export class LocalVideoProvider implements VideoProvider {
  readonly name = 'local';
  readonly label = 'Local preview (not AI)';
  readonly isLocalPreview = true;
  readonly durationOptions = [DEFAULT_DURATION_SECONDS, 10, 15];

  /** Any whole length up to 20 s: the renderer has no fixed lengths, but a preview needs no more. */
  acceptsDuration(seconds: number): boolean {
    return (
      Number.isInteger(seconds) &&
      seconds >= MIN_DURATION_SECONDS &&
      seconds <= LOCAL_MAX_DURATION_SECONDS
    );
  }

  constructor(private readonly config: AppConfig) {}

  async generate(
    request: GenerationRequest,
    onProgress: (progress: GenerationProgress) => void,
    signal: AbortSignal,
  ): Promise<GenerationResult> {
    signal.throwIfAborted();
    const reporter = new ProgressReporter(onProgress);
    reporter.report(0, STAGE_PREPARING);
    const scene = await this.prepare(request);
    signal.throwIfAborted();

    const parser = new FfmpegProgressParser();
    const onStdout = (chunk: string): void => {
      for (const sample of parser.push(chunk)) {
        if (sample.done) reporter.report(END_OF_ENCODING, STAGE_FINISHING);
        else
          reporter.report(
            renderedFraction(sample.outTimeSeconds, request.durationSeconds) * RENDER_SHARE,
            STAGE_RENDERING,
          );
      }
    };
    try {
      await runProcess(this.config.ffmpegPath, renderArgs(scene, request.durationSeconds), {
        cwd: request.workDir,
        signal,
        timeoutMs: this.config.jobTimeoutSeconds * 1000,
        onStdout,
        background: true,
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (error instanceof ProcessFailure) {
        throw new ProviderError(
          'RENDER_FAILED',
          `The local preview could not be rendered: ${error.message}`,
        );
      }
      throw error;
    }
    reporter.finish(STAGE_FINISHING);
    return { kind: 'file', path: join(request.workDir, LOCAL_OUTPUT_FILE), model: LOCAL_MODEL };
  }

  /**
   * Writes the texts and the font into the job's folder, where ffmpeg runs: the filter graph
   * then names only fixed, plain file names, and nothing from the prompt or a path is escaped.
   */
  private async prepare(request: GenerationRequest): Promise<Scene> {
    const layout = layoutPrompt(request.prompt, textBox(request.orientation));
    await mkdir(request.workDir, { recursive: true });
    await Promise.all([
      writeFile(join(request.workDir, PROMPT_FILE), layout.text, 'utf8'),
      writeFile(join(request.workDir, LABEL_FILE), LOCAL_PREVIEW_LABEL, 'utf8'),
      copyFile(bundledFontPath(), join(request.workDir, FONT_FILE)),
    ]);
    return planScene(request.prompt, request.orientation, request.durationSeconds, layout);
  }
}

function renderArgs(scene: Scene, durationSeconds: number): string[] {
  return [
    ...['-nostdin', '-hide_banner', '-v', 'error', '-y'],
    ...['-filter_complex', scene.filterGraph, '-map', '[out]'],
    // A frame count, not -t: the clip is exactly as long as asked.
    ...['-frames:v', String(Math.round(durationSeconds * FPS))],
    ...[
      '-c:v',
      'libx264',
      '-preset',
      'superfast',
      '-crf',
      '26',
      '-pix_fmt',
      'yuv420p',
      '-g',
      String(FPS * 2),
    ],
    ...['-movflags', '+faststart', '-an'],
    ...['-progress', 'pipe:1', '-nostats'],
    LOCAL_OUTPUT_FILE,
  ];
}
