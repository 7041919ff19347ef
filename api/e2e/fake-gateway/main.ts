/**
 * `npm run dev:gateway`: the fake gateway on a fixed port, for trying the real adapters locally.
 * FAKE_GATEWAY_PORT (default 8000), FAKE_GATEWAY_KEY (default dev-key),
 * FAKE_GATEWAY_PROGRESS_MS (default 2000), FAKE_GATEWAY_JOB_MS (default 10000).
 */
import { startFakeGateway } from './fake-gateway';
import { HTTP_SCENARIOS } from './chat-completions';
import { STREAM_SCRIPTS } from './chat-scenarios';
import { VIDEO_SCENARIOS } from './videos-api';

async function main(): Promise<void> {
  const gateway = await startFakeGateway({
    port: Number(process.env['FAKE_GATEWAY_PORT'] ?? 8000),
    apiKey: process.env['FAKE_GATEWAY_KEY'] ?? 'dev-key',
    progressIntervalMs: Number(process.env['FAKE_GATEWAY_PROGRESS_MS'] ?? 2000),
    jobDurationMs: Number(process.env['FAKE_GATEWAY_JOB_MS'] ?? 10_000),
  });
  const lines = [
    `Fake video gateway listening on ${gateway.url} (API key: ${gateway.apiKey})`,
    '',
    'Point the platform at it:',
    `  VIDEO_PROVIDER=chat-stream VIDEO_API_BASE_URL=${gateway.url} VIDEO_API_KEY=${gateway.apiKey} npm start`,
    `  VIDEO_PROVIDER=openai-videos VIDEO_API_BASE_URL=${gateway.url} VIDEO_API_KEY=${gateway.apiKey} npm start`,
    '',
    'Pick a scenario by writing [scenario:NAME] in the prompt (default: success).',
    `  chat-stream:   ${[...Object.keys(STREAM_SCRIPTS), ...HTTP_SCENARIOS].join(', ')}`,
    `  openai-videos: ${VIDEO_SCENARIOS.join(', ')}`,
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
