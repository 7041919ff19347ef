/**
 * Chunks as grok2api writes them (section C.3 and C.4 of the upstream protocols page), spelled out
 * byte for byte: pydantic's `model_dump_json` in v1 and orjson in v2, both compact with UTF-8 left
 * as is. Only ids and times are fixed.
 */
const frame = (json: string): string => `data: ${json}\n\n`;

/** grok2api v1 (`app/services/grok/processer.py`): every content chunk has the role. */
export function v1(content: string, finish: string | null = null): string {
  const delta = content === '' ? '{}' : JSON.stringify({ role: 'assistant', content });
  return frame(
    `{"id":"chatcmpl-5b0c9a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21","object":"chat.completion.chunk","created":1763600000,"model":"grok-3","system_fingerprint":null,"choices":[{"index":0,"delta":${delta},"finish_reason":${JSON.stringify(finish)}}]}`,
  );
}

/**
 * v1 progress; `literal` writes the line break as a backslash and `n`, as the builds of
 * 2025-11-20 to 2025-12-15 did.
 */
export function v1Progress(percent: number, first: boolean, literal = false): string {
  const end = literal ? '\\n' : '\n';
  const close = percent === 100 ? '</think>' : '';
  return v1(`${first ? '<think>' : ''}视频已生成${percent}%${close}${end}`);
}

export const v1Video = (src: string, literal = false): string =>
  v1(
    `<video src="${src}" controls="controls" width="500" height="300"></video>${literal ? '\\n' : '\n'}`,
  );

/** grok2api v2 from 2026-04-08 (`app/products/openai/video.py`, `_format.py`). */
export function v2Reasoning(text: string): string {
  return frame(
    `{"id":"chatcmpl-1783000000000a1b2c3d4","object":"chat.completion.chunk","created":1783000004,"model":"grok-imagine-video","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":${JSON.stringify(text)}}}]}`,
  );
}

export function v2Content(content: string, final = false): string {
  const finish = final ? ',"finish_reason":"stop"' : '';
  return frame(
    `{"id":"chatcmpl-1783000000000a1b2c3d4","object":"chat.completion.chunk","created":1783000090,"model":"grok-imagine-video","choices":[{"index":0,"delta":{"role":"assistant","content":${JSON.stringify(content)}}${finish}}]}`,
  );
}

/** The success ending of v2: the content chunk, an empty final one with `stop`, `[DONE]`. */
export const v2Result = (content: string): string =>
  v2Content(content) + v2Content('', true) + 'data: [DONE]\n\n';

export function v2Error(message: string, type: string, code: string): string {
  return `event: error\ndata: ${JSON.stringify({ error: { message, type, code } })}\n\ndata: [DONE]\n\n`;
}
