import { ChunkStream } from './chunk-stream';

/** What a streaming script needs to know about its generation. */
export interface StreamPlan {
  /** The request carried a data-URL image (image-to-video): two "Image Upload" chunks first. */
  withImage: boolean;
  /** Time between progress chunks (the real gateway: one at most every 30 s). */
  interval: number;
  /** The result URL, already registered with the file server. */
  resultUrl: string;
}

type Script = (s: ChunkStream, plan: StreamPlan) => Promise<void>;

export const CONTENT_POLICY_REASON =
  'This content may violate our guardrails concerning similarity to third-party content.';
export const UPSTREAM_TIMEOUT = 'Upstream API timeout: Generation exceeded 3000 seconds limit';
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
const STANDARD = [progress(0, 'queued'), progress(37, 'running'), progress(76, 'processing')];

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
  jump: (s, p) => generation(s, p, [progress(0, 'queued'), progress(90, 'processing')]),
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

async function begin(s: ChunkStream, plan: StreamPlan, first = true): Promise<void> {
  let role: 'assistant' | undefined = first ? 'assistant' : undefined;
  if (plan.withImage && first) {
    s.sora({ role, reasoning: '**Image Upload Begins**\n\nUploading image to server...\n' });
    await s.wait(plan.interval / 4);
    s.sora({ reasoning: 'Image uploaded successfully. Proceeding to generation...\n' });
    role = undefined;
  }
  s.sora({
    role,
    reasoning: '**Generation Process Begins**\n\nInitializing generation request...\n',
  });
}

async function reasoningSteps(s: ChunkStream, plan: StreamPlan, texts: string[]): Promise<void> {
  for (const text of texts) {
    await s.wait(plan.interval);
    s.sora({ reasoning: text });
  }
}

/** "Completed", the gateway caching the file, then the final chunk with the URL. */
async function complete(
  s: ChunkStream,
  plan: StreamPlan,
  content: string,
  malformedDone: boolean,
): Promise<void> {
  await s.wait(plan.interval / 2);
  s.sora({
    reasoning:
      '**Video Generation Completed**\n\nVideo generation successful. Now caching the video file...\n',
  });
  await s.wait(plan.interval / 4);
  s.sora({ reasoning: 'Video file cached successfully. Preparing final response...\n' });
  s.sora({ content }, 'STOP');
  if (!malformedDone) return s.done();
  // A gateway path that escaped its newlines once too often: `data: [DONE]\n\n` as literal text.
  s.write('data: [DONE]\\n\\n');
  s.end();
}

async function generation(
  s: ChunkStream,
  plan: StreamPlan,
  steps: string[],
  form: (url: string) => string = resultContent.fenced,
  malformedDone = false,
): Promise<void> {
  await begin(s, plan);
  // Without progress chunks the job still takes a while, just less than one 30 s window.
  if (steps.length === 0) await s.wait(plan.interval * 0.8);
  await reasoningSteps(s, plan, steps);
  await complete(s, plan, form(plan.resultUrl), malformedDone);
}

async function retryThenSucceed(s: ChunkStream, plan: StreamPlan): Promise<void> {
  await begin(s, plan);
  await reasoningSteps(s, plan, [progress(0, 'queued'), RETRY_NOTICE]);
  await begin(s, plan, false);
  await reasoningSteps(s, plan, [progress(41, 'running'), progress(83, 'processing')]);
  await complete(s, plan, resultContent.fenced(plan.resultUrl), false);
}

async function failsInBand(s: ChunkStream, plan: StreamPlan, eventLine: boolean): Promise<void> {
  await begin(s, plan);
  await reasoningSteps(s, plan, [progress(0, 'queued')]);
  await s.wait(plan.interval);
  s.soraError(UPSTREAM_TIMEOUT, eventLine);
  s.done();
}

async function contentPolicy(s: ChunkStream, plan: StreamPlan): Promise<void> {
  await begin(s, plan);
  await reasoningSteps(s, plan, [
    progress(0, 'preprocessing'),
    `**Content Policy Violation**\n\n${CONTENT_POLICY_REASON}\n`,
  ]);
  s.sora({ content: `❌ 生成失败: ${CONTENT_POLICY_REASON}` }, 'STOP');
  s.done();
}

async function noUrl(s: ChunkStream, plan: StreamPlan): Promise<void> {
  await begin(s, plan);
  await reasoningSteps(s, plan, [progress(0, 'queued')]);
  await s.wait(plan.interval / 2);
  s.sora({ content: NO_URL_TEXT }, 'STOP');
  s.done();
}

/** Dies in the middle of a chunk: no [DONE], no terminating zero-length chunk. */
async function cut(s: ChunkStream, plan: StreamPlan): Promise<void> {
  await begin(s, plan);
  await reasoningSteps(s, plan, [progress(0, 'queued'), progress(37, 'running')]);
  await s.wait(plan.interval);
  s.write('data: {"id": "chatcmpl-');
  await s.wait(10);
  s.cut();
}

/**
 * The older grok2api style: progress as text inside `content` between `<think>` and `</think>`,
 * an SSE comment as heartbeat, the video tag in double quotes, then an empty delta with a
 * lower-case "stop".
 */
async function grokStyle(s: ChunkStream, plan: StreamPlan): Promise<void> {
  s.grok('<think>视频已生成1%\n');
  await s.wait(plan.interval);
  s.write(': heartbeat\n\n');
  await s.wait(plan.interval);
  s.grok('视频已生成45%\n');
  await s.wait(plan.interval);
  s.grok('视频已生成100%</think>\n');
  await s.wait(plan.interval / 4);
  s.grok(`<video src="${plan.resultUrl}" controls="controls" width="500" height="300"></video>\n`);
  s.grok('', 'stop');
  s.done();
}
