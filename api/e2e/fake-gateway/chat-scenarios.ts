import { builtSince, ChatSettings } from './chat-dialects';
import { ChunkStream } from './chunk-stream';

/** What a streaming script needs to know about its generation. */
export interface StreamPlan {
  /** The request carried a data-URL image (image-to-video): two "Image Upload" chunks first. */
  withImage: boolean;
  /** Time between progress chunks (the real gateway: one at most every 30 s). */
  interval: number;
  /** Makes the clip of the model's shape, registers it with the file server, gives its URL. */
  resultUrl(): Promise<string>;
  /** How this build words its messages. */
  voice: SoraVoice;
}

/** The words of one sora-family build (sections A, C.1 and C.2 of the protocols page). */
export interface SoraVoice {
  begins: string;
  imageUpload: readonly [string, string];
  progress(percent: number, status: string): string;
  /** The messages between the last progress and the final chunk. */
  completed: readonly string[];
  /** The message announcing a refused prompt; null where the build has none. */
  policy: ((reason: string) => string) | null;
  /** The "failed, retrying" notice; null where the build never retries. */
  retryNotice: string | null;
  timeoutError: string;
}

type Script = (s: ChunkStream, plan: StreamPlan) => Promise<void>;

export const CONTENT_POLICY_REASON =
  'This content may violate our guardrails concerning similarity to third-party content.';
export const UPSTREAM_TIMEOUT = 'Upstream API timeout: Generation exceeded 3000 seconds limit';
export const UPSTREAM_TIMEOUT_1500 = 'Upstream API timeout: Generation exceeded 1500 seconds limit';
/**
 * Legacy builds before 2025-12-11 re-poll a moderated draft until the time limit, then fail on
 * an internal Python error (read from the code, never observed): a stand-in for its text.
 */
export const LEGACY_INTERNAL_ERROR = "'NoneType' object is not subscriptable";
export const NO_ACCOUNT =
  "No available tokens for video generation. All tokens are either disabled, cooling down, Sora2 quota exhausted, don't support Sora2, or expired.";
export const NO_URL_TEXT = 'Video generation finished, but no video was returned.';
export const RETRY_NOTICE = '生成失败，正在重试 (1/3)...\n';

/** The result forms, as gateways write them. */
export const resultContent = {
  fenced: (url: string) => `\`\`\`html\n<video src='${url}' controls></video>\n\`\`\``,
  doubleQuoted: (url: string) => `<video src="${url}" controls></video>`,
  bare: (url: string) => url,
};

const progress = (percent: number, status: string) =>
  `\n**Video Generation Progress**: ${percent}% (${status})\n`;
const estimated = (percent: number) =>
  `**Processing**\n\nGeneration in progress: ${percent}% completed (estimated)...\n`;
const bracket = (percent: number) => `[generation] (processing) ${percent}% ...\n`;
const SORA_VOICE: SoraVoice = {
  begins: '**Generation Process Begins**\n\nInitializing generation request...\n',
  imageUpload: [
    '**Image Upload Begins**\n\nUploading image to server...\n',
    'Image uploaded successfully. Proceeding to generation...\n',
  ],
  progress,
  completed: [
    '**Video Generation Completed**\n\nVideo generation successful. Now caching the video file...\n',
    'Video file cached successfully. Preparing final response...\n',
  ],
  policy: (reason) => `**Content Policy Violation**\n\n${reason}\n`,
  retryNotice: RETRY_NOTICE,
  timeoutError: UPSTREAM_TIMEOUT,
};

/** How a sora-family build words its stream. */
export function soraVoice(settings: ChatSettings): SoraVoice {
  if (settings.dialect === 'modified-sora2api') {
    return {
      begins: '[generation] (started) Initializing generation request...',
      imageUpload: ['[upload] (started) Uploading image...', '[upload] (completed) Image uploaded'],
      progress: (percent) =>
        `[generation] (processing) ${percent}% Video generation progress: ${percent}%`,
      completed: [
        '[generation] (completed) 100% Video generation completed',
        '[cache] (completed) Video cached',
      ],
      policy: (reason) => `[error] (error) Content policy violation: ${reason}`,
      retryNotice: null,
      timeoutError: UPSTREAM_TIMEOUT_1500,
    };
  }
  if (settings.dialect === 'sora2api-legacy') {
    return {
      ...SORA_VOICE,
      // No line break before the progress message until 2026-02-24.
      progress: (percent, status) => `**Video Generation Progress**: ${percent}% (${status})\n`,
      policy: builtSince(settings, '2025-12-11') ? SORA_VOICE.policy : null,
      retryNotice: null,
      timeoutError: builtSince(settings, '2025-12-24') ? UPSTREAM_TIMEOUT : UPSTREAM_TIMEOUT_1500,
    };
  }
  return SORA_VOICE;
}

/** Scenarios of the variant forms of section A, spoken by the current sora2api fake only. */
export const VARIANT_SCENARIOS = ['estimated', 'bracket', 'double-quotes', 'bare-url', 'think'];

const STANDARD = [
  { percent: 0, status: 'queued' },
  { percent: 37, status: 'running' },
  { percent: 76, status: 'processing' },
];
type Step = { percent: number; status: string } | string;

/** Scripts by scenario name; the HTTP-level scenarios never get this far. */
export const STREAM_SCRIPTS: Record<string, Script> = {
  success: (s, p) => generation(s, p, STANDARD),
  'private-url': (s, p) => generation(s, p, STANDARD),
  'redirect-private': (s, p) => generation(s, p, STANDARD),
  oversized: (s, p) => generation(s, p, STANDARD),
  'not-video': (s, p) => generation(s, p, STANDARD),
  'wrong-type': (s, p) => generation(s, p, STANDARD),
  drip: (s, p) => generation(s, p, STANDARD),
  'no-progress': (s, p) => generation(s, p, []),
  jump: (s, p) =>
    generation(s, p, [
      { percent: 0, status: 'queued' },
      { percent: 90, status: 'processing' },
    ]),
  estimated: (s, p) => generation(s, p, [estimated(20), estimated(40)]),
  bracket: (s, p) => generation(s, p, [bracket(15), bracket(45)]),
  'double-quotes': (s, p) => generation(s, p, STANDARD, resultContent.doubleQuoted),
  'bare-url': (s, p) => generation(s, p, STANDARD, resultContent.bare),
  'malformed-done': (s, p) => generation(s, p, STANDARD, resultContent.fenced, true),
  'retry-chinese': retryThenSucceed,
  'error-chunk': (s, p) => failsInBand(s, p, false),
  'error-event': (s, p) => failsInBand(s, p, true),
  'no-account': async (s) => {
    s.soraError(NO_ACCOUNT);
    s.done();
  },
  'content-policy': contentPolicy,
  'no-url': noUrl,
  cut,
  stall: async (s, p) => {
    await begin(s, p);
    await s.hold();
  },
  think: grokStyle,
};

/** Whether a build has the scenario at all: legacy builds never retried, for one. */
export function soraScenarioExists(scenario: string, settings: ChatSettings): boolean {
  if (!STREAM_SCRIPTS[scenario]) return false;
  if (settings.dialect === 'sora2api') return true;
  return !VARIANT_SCENARIOS.includes(scenario) && scenario !== 'retry-chinese';
}

async function begin(s: ChunkStream, plan: StreamPlan, first = true): Promise<void> {
  let role: 'assistant' | undefined = first ? 'assistant' : undefined;
  if (plan.withImage && first) {
    s.sora({ role, reasoning: plan.voice.imageUpload[0] });
    await s.wait(plan.interval / 4);
    s.sora({ reasoning: plan.voice.imageUpload[1] });
    role = undefined;
  }
  s.sora({ role, reasoning: plan.voice.begins });
}

async function reasoningSteps(s: ChunkStream, plan: StreamPlan, steps: Step[]): Promise<void> {
  for (const step of steps) {
    await s.wait(plan.interval);
    s.sora({
      reasoning: typeof step === 'string' ? step : plan.voice.progress(step.percent, step.status),
    });
  }
}

/** "Completed", the gateway caching the file, then the final chunk with the URL. */
async function complete(
  s: ChunkStream,
  plan: StreamPlan,
  form: (url: string) => string,
  malformedDone: boolean,
): Promise<void> {
  await s.wait(plan.interval / 2);
  const [completed, ...rest] = plan.voice.completed;
  s.sora({ reasoning: completed });
  const url = await plan.resultUrl();
  await s.wait(plan.interval / 4);
  for (const text of rest) s.sora({ reasoning: text });
  s.sora({ content: form(url) }, 'STOP');
  if (!malformedDone) return s.done();
  // A gateway path that escaped its newlines once too often: `data: [DONE]\n\n` as literal text.
  s.write('data: [DONE]\\n\\n');
  s.end();
}

async function generation(
  s: ChunkStream,
  plan: StreamPlan,
  steps: Step[],
  form: (url: string) => string = resultContent.fenced,
  malformedDone = false,
): Promise<void> {
  await begin(s, plan);
  // Without progress chunks the job still takes a while, just less than one 30 s window.
  if (steps.length === 0) await s.wait(plan.interval * 0.8);
  await reasoningSteps(s, plan, steps);
  await complete(s, plan, form, malformedDone);
}

async function retryThenSucceed(s: ChunkStream, plan: StreamPlan): Promise<void> {
  await begin(s, plan);
  await reasoningSteps(s, plan, [{ percent: 0, status: 'queued' }, RETRY_NOTICE]);
  await begin(s, plan, false);
  await reasoningSteps(s, plan, [
    { percent: 41, status: 'running' },
    { percent: 83, status: 'processing' },
  ]);
  await complete(s, plan, resultContent.fenced, false);
}

async function failsInBand(s: ChunkStream, plan: StreamPlan, eventLine: boolean): Promise<void> {
  await begin(s, plan);
  await reasoningSteps(s, plan, [{ percent: 0, status: 'queued' }]);
  await s.wait(plan.interval);
  s.soraError(plan.voice.timeoutError, eventLine);
  s.done();
}

async function contentPolicy(s: ChunkStream, plan: StreamPlan): Promise<void> {
  await begin(s, plan);
  const { policy } = plan.voice;
  if (!policy) {
    await reasoningSteps(s, plan, [{ percent: 0, status: 'preprocessing' }]);
    await s.wait(plan.interval);
    s.soraError(LEGACY_INTERNAL_ERROR);
    return s.done();
  }
  await reasoningSteps(s, plan, [
    { percent: 0, status: 'preprocessing' },
    policy(CONTENT_POLICY_REASON),
  ]);
  s.sora({ content: `❌ 生成失败: ${CONTENT_POLICY_REASON}` }, 'STOP');
  s.done();
}

async function noUrl(s: ChunkStream, plan: StreamPlan): Promise<void> {
  await begin(s, plan);
  await reasoningSteps(s, plan, [{ percent: 0, status: 'queued' }]);
  await s.wait(plan.interval / 2);
  s.sora({ content: NO_URL_TEXT }, 'STOP');
  s.done();
}

/** Dies in the middle of a chunk: no [DONE], no terminating zero-length chunk. */
async function cut(s: ChunkStream, plan: StreamPlan): Promise<void> {
  await begin(s, plan);
  await reasoningSteps(s, plan, [
    { percent: 0, status: 'queued' },
    { percent: 37, status: 'running' },
  ]);
  await s.wait(plan.interval);
  s.write('data: {"id": "chatcmpl-');
  await s.wait(10);
  s.cut();
}

/**
 * The older grok2api style inside a sora2api fake: progress as text inside `content` between
 * `<think>` and `</think>`, an SSE comment as heartbeat, the video tag in double quotes, then an
 * empty delta with a lower-case "stop". (The grok2api dialects themselves: grok-scenarios.ts.)
 */
async function grokStyle(s: ChunkStream, plan: StreamPlan): Promise<void> {
  s.grok('<think>视频已生成1%\n');
  await s.wait(plan.interval);
  s.write(': heartbeat\n\n');
  await s.wait(plan.interval);
  s.grok('视频已生成45%\n');
  await s.wait(plan.interval);
  s.grok('视频已生成100%</think>\n');
  const url = await plan.resultUrl();
  await s.wait(plan.interval / 4);
  s.grok(`<video src="${url}" controls="controls" width="500" height="300"></video>\n`);
  s.grok('', 'stop');
  s.done();
}
