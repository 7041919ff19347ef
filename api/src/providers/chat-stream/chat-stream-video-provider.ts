import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { progressUpdates, ProgressUpdate } from '../upstream/progress-updates';
import { readSseEvents } from '../upstream/sse-parser';
import { UpstreamClient, UpstreamResponse } from '../upstream/upstream-client';
import {
  GenerationProgress,
  GenerationRequest,
  GenerationResult,
  ProviderError,
  VideoProvider,
} from '../video-provider';
import { upstreamModel } from '../upstream/model-names';
import { chatStreamDurations, chatStreamVideoConfig } from './chat-stream-models';
import { ChatStreamInterpreter, ChatStreamOutcome } from './chunk-interpreter';

export const STAGE_CONNECTING = 'Sending the request to the video service';

/**
 * Sora- and Grok-compatible gateways (sora2api and its forks, grok2api): one streaming chat
 * completion per video. The model name picks orientation and length on sora2api, `video_config`
 * on grok2api; progress arrives as text in the stream, and the final chunk holds a link to the
 * video, which the job runner downloads.
 *
 * There is no upstream job id to resume: the gateway forgets the work when the stream closes,
 * so a job interrupted by a restart starts a new generation.
 */
@Injectable()
export class ChatStreamVideoProvider implements VideoProvider {
  readonly name = 'chat-stream';
  readonly label = 'Sora (chat-stream gateway)';
  readonly isLocalPreview = false;
  readonly durationOptions: readonly number[];
  private readonly logger = new Logger(ChatStreamVideoProvider.name);
  private readonly client: UpstreamClient;

  constructor(private readonly config: AppConfig) {
    this.durationOptions = chatStreamDurations(config.upstream);
    this.client = UpstreamClient.fromConfig(config.upstream, this.logger);
  }

  acceptsDuration(seconds: number): boolean {
    return this.durationOptions.includes(seconds);
  }

  async generate(
    request: GenerationRequest,
    onProgress: (progress: GenerationProgress) => void,
    signal: AbortSignal,
  ): Promise<GenerationResult> {
    signal.throwIfAborted();
    const model = upstreamModel(this.config.upstream, request.orientation, request.durationSeconds);
    const report = progressUpdates(onProgress, STAGE_CONNECTING);
    report({ percent: 0, stage: STAGE_CONNECTING });

    const response = await this.client.request('/chat/completions', {
      method: 'POST',
      // Only the last message counts, and without `stream: true` the gateway generates nothing.
      json: {
        model,
        messages: [{ role: 'user', content: request.prompt }],
        stream: true,
        video_config: chatStreamVideoConfig(request.orientation, request.durationSeconds),
      },
      accept: 'text/event-stream',
      signal,
    });
    const interpreter = new ChatStreamInterpreter(this.config.upstream.baseUrl);
    const outcome =
      response.contentType === 'application/json'
        ? await readPlainAnswer(response, interpreter)
        : await readStream(response, interpreter, report);
    signal.throwIfAborted();
    if (outcome.kind === 'video') return { kind: 'url', url: outcome.url, model };
    throw new ProviderError(outcome.code, outcome.message);
  }
}

/** Follows the stream until it says how it ends; a connection that breaks off is a cut stream. */
async function readStream(
  response: UpstreamResponse,
  interpreter: ChatStreamInterpreter,
  report: (progress: ProgressUpdate) => void,
): Promise<ChatStreamOutcome> {
  try {
    for await (const event of readSseEvents(response.body)) {
      const progress = interpreter.push(event);
      if (progress) report(progress);
      // Leaving the loop closes the connection: nothing after the outcome matters.
      if (interpreter.outcome) return interpreter.outcome;
    }
  } catch (error) {
    if (!(error instanceof ProviderError && error.code === 'UPSTREAM_STREAM_CUT')) throw error;
  }
  return interpreter.end();
}

/** A gateway that ignored `stream: true` answers one chat completion; it is read the same way. */
async function readPlainAnswer(
  response: UpstreamResponse,
  interpreter: ChatStreamInterpreter,
): Promise<ChatStreamOutcome> {
  interpreter.push({ event: 'message', data: await response.text(), id: '' });
  return interpreter.finish();
}
