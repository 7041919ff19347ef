/**
 * `npm run dev:gateway`: the fake gateway on a fixed port, for trying the real adapters locally.
 * FAKE_GATEWAY_PORT (default 8000), FAKE_GATEWAY_KEY (default dev-key),
 * FAKE_GATEWAY_PROGRESS_MS (default 2000), FAKE_GATEWAY_JOB_MS (default 10000),
 * FAKE_GATEWAY_VIDEOS_DIALECT (default openai; see README.md), FAKE_GATEWAY_CHAT_DIALECT
 * (default sora2api), FAKE_GATEWAY_CHAT_BUILD (YYYY-MM-DD, default the dialect's newest) and
 * FAKE_GATEWAY_GROK_VIDEO_FORMAT (grok2api v2's `features.video_format`, default grok_url).
 */
import { startFakeGateway } from './fake-gateway';
import { ChatDialect, GrokVideoFormat } from './chat-dialects';
import { ERROR_BODY_SCENARIOS } from './error-bodies';
import { isVideosDialect } from './videos-api';

async function main(): Promise<void> {
  const videosDialect = process.env['FAKE_GATEWAY_VIDEOS_DIALECT'] || 'openai';
  if (!isVideosDialect(videosDialect))
    throw new Error(`FAKE_GATEWAY_VIDEOS_DIALECT: no dialect "${videosDialect}"`);
  const gateway = await startFakeGateway({
    port: Number(process.env['FAKE_GATEWAY_PORT'] ?? 8000),
    apiKey: process.env['FAKE_GATEWAY_KEY'] ?? 'dev-key',
    progressIntervalMs: Number(process.env['FAKE_GATEWAY_PROGRESS_MS'] ?? 2000),
    jobDurationMs: Number(process.env['FAKE_GATEWAY_JOB_MS'] ?? 10_000),
    videosDialect,
    chatDialect: {
      dialect: (process.env['FAKE_GATEWAY_CHAT_DIALECT'] || undefined) as ChatDialect | undefined,
      build: process.env['FAKE_GATEWAY_CHAT_BUILD'] || undefined,
      videoFormat: (process.env['FAKE_GATEWAY_GROK_VIDEO_FORMAT'] || undefined) as
        | GrokVideoFormat
        | undefined,
    },
  });
  const lines = [
    `Fake video gateway listening on ${gateway.url} (API key: ${gateway.apiKey})`,
    '',
    'Point the platform at it:',
    `  VIDEO_PROVIDER=chat-stream VIDEO_API_BASE_URL=${gateway.url} VIDEO_API_KEY=${gateway.apiKey} npm start`,
    `  VIDEO_PROVIDER=openai-videos VIDEO_API_BASE_URL=${gateway.url} VIDEO_API_KEY=${gateway.apiKey} npm start`,
    '',
    'Pick a scenario by writing [scenario:NAME] in the prompt (default: success).',
    `  chat-stream:   ${gateway.chatScenarios.join(', ')}`,
    `  openai-videos (${videosDialect}): ${gateway.videoScenarios.join(', ')}`,
    `  both (refusals in words): ${ERROR_BODY_SCENARIOS.join(', ')}`,
    '',
    'Ctrl+C stops it.',
  ];
  console.log(lines.join('\n'));
  const shutdown = (signal: string): void => {
    console.log(`\n${signal}: stopping the fake gateway`);
    void gateway.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
