/**
 * Chunks exactly as sora2api writes them: Python's `json.dumps` (", " and ": " separators,
 * non-ASCII as \uXXXX escapes), one `data:` line and a blank line each, no `event:` lines.
 * Generated with the gateway's own `_format_stream_chunk`; only the id and times are fixed.
 */
const frame = (json: string): string => `data: ${json}\n\n`;

export const BEGINS = frame(
  String.raw`{"id": "chatcmpl-1761900000123", "object": "chat.completion.chunk", "created": 1761900000, "model": "sora", "choices": [{"index": 0, "delta": {"role": "assistant", "content": null, "reasoning_content": "**Generation Process Begins**\n\nInitializing generation request...\n", "tool_calls": null}, "finish_reason": null, "native_finish_reason": null}], "usage": {"prompt_tokens": 0}}`,
);

export function progress(percent: number, status = 'running'): string {
  return frame(
    String.raw`{"id": "chatcmpl-1761900030123", "object": "chat.completion.chunk", "created": 1761900030, "model": "sora", "choices": [{"index": 0, "delta": {"content": null, "reasoning_content": "**Video Generation Progress**: ` +
      `${percent}% (${status})` +
      String.raw`\n", "tool_calls": null}, "finish_reason": null, "native_finish_reason": null}], "usage": {"prompt_tokens": 0}}`,
  );
}

export const ESTIMATED = frame(
  String.raw`{"id": "chatcmpl-1761900040123", "object": "chat.completion.chunk", "created": 1761900040, "model": "sora", "choices": [{"index": 0, "delta": {"content": null, "reasoning_content": "**Processing**\n\nGeneration in progress: 40% completed (estimated)...\n", "tool_calls": null}, "finish_reason": null, "native_finish_reason": null}], "usage": {"prompt_tokens": 0}}`,
);

export const COMPLETED = frame(
  String.raw`{"id": "chatcmpl-1761900090123", "object": "chat.completion.chunk", "created": 1761900090, "model": "sora", "choices": [{"index": 0, "delta": {"content": null, "reasoning_content": "**Video Generation Completed**\n\nVideo generation successful. Now caching the video file...\n", "tool_calls": null}, "finish_reason": null, "native_finish_reason": null}], "usage": {"prompt_tokens": 0}}`,
);

/** The Chinese "generation failed, retrying" notice, escaped as Python escapes it. */
export const RETRYING = frame(
  String.raw`{"id": "chatcmpl-1761900050123", "object": "chat.completion.chunk", "created": 1761900050, "model": "sora", "choices": [{"index": 0, "delta": {"content": null, "reasoning_content": "\u751f\u6210\u5931\u8d25\uff0c\u6b63\u5728\u91cd\u8bd5 (1/3)...\n", "tool_calls": null}, "finish_reason": null, "native_finish_reason": null}], "usage": {"prompt_tokens": 0}}`,
);

export function finalVideo(url: string): string {
  // A markdown fence around a <video> tag with single quotes; the \\n are JSON escapes.
  const content = "```html\\n<video src='" + url + "' controls></video>\\n```";
  return frame(
    String.raw`{"id": "chatcmpl-1761900095123", "object": "chat.completion.chunk", "created": 1761900095, "model": "sora", "choices": [{"index": 0, "delta": {"content": "` +
      content +
      String.raw`", "reasoning_content": null, "tool_calls": null}, "finish_reason": "STOP", "native_finish_reason": "STOP"}], "usage": {"prompt_tokens": 0, "completion_tokens": 1, "total_tokens": 1}}`,
  );
}

export const POLICY_REASONING = frame(
  String.raw`{"id": "chatcmpl-1761900060123", "object": "chat.completion.chunk", "created": 1761900060, "model": "sora", "choices": [{"index": 0, "delta": {"content": null, "reasoning_content": "**Content Policy Violation**\n\nThis content may violate our guardrails concerning similarity to third-party content.\n", "tool_calls": null}, "finish_reason": null, "native_finish_reason": null}], "usage": {"prompt_tokens": 0}}`,
);

/** "❌ 生成失败: <reason>" ("generation failed") as the final content, upper-case STOP. */
export const POLICY_FINAL = frame(
  String.raw`{"id": "chatcmpl-1761900061123", "object": "chat.completion.chunk", "created": 1761900061, "model": "sora", "choices": [{"index": 0, "delta": {"content": "\u274c \u751f\u6210\u5931\u8d25: This content may violate our guardrails concerning similarity to third-party content.", "reasoning_content": null, "tool_calls": null}, "finish_reason": "STOP", "native_finish_reason": "STOP"}], "usage": {"prompt_tokens": 0, "completion_tokens": 1, "total_tokens": 1}}`,
);

export const ERROR_CHUNK = frame(
  String.raw`{"error": {"message": "No available tokens for video generation. All tokens are either disabled, cooling down, Sora2 quota exhausted, don't support Sora2, or expired.", "type": "server_error", "param": null, "code": null}}`,
);

export const DONE = 'data: [DONE]\n\n';
/** One gateway path writes the end marker with a literal backslash-n and no real line end. */
export const MALFORMED_DONE = String.raw`data: [DONE]\n\n`;
