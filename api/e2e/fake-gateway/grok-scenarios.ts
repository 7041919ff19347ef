import { builtSince, ChatSettings } from './chat-dialects';
import { ChunkStream } from './chunk-stream';
import { ClipShape } from './clips';

/** What a grok2api script needs to know about its generation. */
export interface GrokPlan {
  settings: ChatSettings;
  interval: number;
  /** Makes the clip of `shape` and serves it: at `localUrl`, and at the returned provider link. */
  serve(): Promise<string>;
  /** The gateway's cached copy: relative unless its public URL setting is set. */
  localUrl: string;
  responseId: string;
  shape: ClipShape;
}

export const GROK_V1_SCENARIOS = [
  'success',
  'error',
  'exception',
  'timeout',
  'no-token',
  'ip-blocked',
  'cut',
  'stall',
];

/** grok2api v2's in-band errors (`event: error`), by scenario: message, type, code. */
const V2_ERRORS: Record<string, [string, string, string]> = {
  'no-account': [
    'No available accounts for video generation',
    'rate_limit_error',
    'rate_limit_exceeded',
  ],
  moderated: ['Video generation returned no final video URL', 'upstream_error', 'upstream_error'],
  'upstream-status': ['Video upstream returned 403', 'upstream_error', 'upstream_error'],
  'stream-error': [
    'Upstream stream error: peer closed connection without sending complete message body',
    'upstream_error',
    'upstream_error',
  ],
};

/** The scenarios a v2 build has: the failure forms of the older builds are not documented. */
export function grokV2Scenarios(settings: ChatSettings): string[] {
  if (builtSince(settings, '2026-04-08'))
    return ['success', ...Object.keys(V2_ERRORS), 'cut', 'stall'];
  if (builtSince(settings, '2026-04-03')) return ['success', 'moderated', 'cut', 'stall'];
  return ['success', 'cut', 'stall'];
}

export const V1_ERROR = 'Video generation failed, please try again later';
export const V1_EXCEPTION = 'Connection closed abruptly';

/**
 * grok2api v1 (`processer.py`): progress in `content` inside a `<think>` closed only at 100%,
 * failures written after it. Without an image, grok-imagine-0.9 is a text-to-image chat.
 */
export async function grokV1Script(
  s: ChunkStream,
  plan: GrokPlan,
  scenario: string,
  hasImage: boolean,
): Promise<void> {
  if (!hasImage) {
    // Image mode ends its generator after this chunk: no [DONE].
    s.grok('![Generated Image](/images/users-0f1e2d3c-generated-4b5a6978-image.jpg)', 'stop');
    return s.end();
  }
  const { settings } = plan;
  const literal = builtSince(settings, '2025-11-20') && !builtSince(settings, '2025-12-16');
  const eol = literal ? '\\n' : '\n';
  const progress = (percent: number, first = false): void =>
    s.grok(
      `${first ? '<think>' : ''}视频已生成${percent}%${percent === 100 ? '</think>' : ''}${eol}`,
    );

  progress(1, true);
  if (scenario === 'stall') return s.hold();
  await s.wait(plan.interval);
  progress(31);
  await s.wait(plan.interval);
  switch (scenario) {
    case 'error':
      s.grok(`Error: ${V1_ERROR}`, 'stop');
      return s.done();
    case 'exception':
      s.grok(`处理错误: ${V1_EXCEPTION}`, 'error');
      return s.done();
    case 'timeout':
      s.grok('', 'stop');
      return s.done();
    case 'cut':
      s.write('data: {"id":"chatcmpl-');
      await s.wait(10);
      return s.cut();
  }
  progress(100);
  await plan.serve();
  const size = builtSince(settings, '2025-11-20') ? ' width="500" height="300"' : '';
  s.grok(`<video src="${plan.localUrl}" controls="controls"${size}></video>${eol}`);
  s.grok('', 'stop');
  s.done();
}

/** grok2api v2, by build: where progress goes and what the answer holds (section C.4). */
export async function grokV2Script(
  s: ChunkStream,
  plan: GrokPlan,
  scenario: string,
): Promise<void> {
  const { settings } = plan;
  if (scenario === 'no-account') return s.grok2Error(...V2_ERRORS['no-account']);
  const content = (text: string, finish?: 'stop'): void =>
    s.grok2(plan.responseId, { content: text }, finish);

  await progressV2(s, plan, scenario === 'stall' ? [1] : [1, 40]);
  if (scenario === 'stall') return s.hold();
  if (scenario === 'cut') {
    s.write('data: {"id":"chatcmpl-');
    await s.wait(10);
    return s.cut();
  }
  if (V2_ERRORS[scenario] && builtSince(settings, '2026-04-08')) {
    await progressV2(s, plan, [99]);
    return s.grok2Error(...V2_ERRORS[scenario]);
  }
  if (scenario === 'moderated') {
    content('');
    content('', 'stop');
    return s.done();
  }
  await progressV2(s, plan, [100]);
  content(await answerV2(plan));
  content('', 'stop');
  s.done();
}

/** Progress as each build writes it: reasoning from 2026-04-08, none just before, `<think>` earlier. */
async function progressV2(s: ChunkStream, plan: GrokPlan, percents: number[]): Promise<void> {
  const { settings, shape } = plan;
  const current = builtSince(settings, '2026-04-08');
  if (!current && builtSince(settings, '2026-04-03')) return;
  const rounds = Math.max(1, Math.ceil(shape.seconds / 10));
  for (const percent of percents) {
    if (percent !== 1) await s.wait(plan.interval);
    if (current) {
      s.grok2(plan.responseId, { reasoning: `视频正在生成 ${percent}%\n` });
      continue;
    }
    const open = percent === 1 ? '<think>\n' : '';
    const close = percent === 100 ? '</think>\n' : '';
    const line = builtSince(settings, '2026-03-06')
      ? `[round=${percent === 100 ? rounds : 1}/${rounds}] progress=${percent}%`
      : `正在生成视频中，当前进度${percent}%`;
    s.grok2(plan.responseId, { content: `${open}${line}\n${close}` });
  }
}

/** The content: per `features.video_format` from 2026-04-08, `![video]` or `<source>` before. */
async function answerV2(plan: GrokPlan): Promise<string> {
  const { settings } = plan;
  const grokUrl = await plan.serve();
  if (!builtSince(settings, '2026-04-03'))
    return `<video id="video" controls="controls"><source id="mp4" src="${grokUrl}" type="video/mp4"></video>`;
  if (!builtSince(settings, '2026-04-08')) return `![video](${grokUrl})`;
  switch (settings.videoFormat) {
    case 'grok_url':
      return grokUrl;
    case 'local_url':
      return plan.localUrl;
    case 'grok_html':
      return `<video controls src="${htmlEscape(grokUrl)}"></video>`;
    case 'local_html':
      return `<video controls src="${htmlEscape(plan.localUrl)}"></video>`;
  }
}

/** Python's `html.escape(url, quote=True)`. */
function htmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');
}
