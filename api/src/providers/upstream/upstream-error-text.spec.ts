import { readUpstreamError, upstreamErrorText } from './upstream-error-text';

// Bodies as the gateways of section C of the upstream protocols page send them.
describe('readUpstreamError', () => {
  it.each([
    ['FastAPI’s detail string (sora2api)', '{"detail": "Invalid API key"}', 'Invalid API key'],
    [
      'FastAPI’s validation problems',
      '{"detail": [{"type": "missing", "loc": ["body", "messages"], "msg": "Field required", "input": {}}]}',
      'messages: Field required',
    ],
    [
      'detail.error.message (grok2api)',
      '{"detail":{"error":{"message":"请求错误: 请求失败: 403 - 您的IP被拦截","type":"api_error"}}}',
      '请求错误: 请求失败: 403 - 您的IP被拦截',
    ],
    [
      'OpenAI’s error.message (sora2api’s 500)',
      '{"error":{"message":"400: Invalid model: sora-2","type":"server_error","param":null,"code":null}}',
      '400: Invalid model: sora-2',
    ],
    [
      'go-sora2api’s error.message',
      '{"error":{"message":"无可用账号: 没有可用的 Sora 账号"}}',
      '无可用账号: 没有可用的 Sora 账号',
    ],
    ['a bare error string', '{"error":"Service Unavailable"}', 'Service Unavailable'],
    [
      'new-api’s relay shape',
      '{"code":"task_not_exist","message":"task_not_exist","data":null}',
      'task_not_exist',
    ],
    ['a msg field', '{"code":1001,"msg":"upstream busy"}', 'upstream busy'],
  ])('reads %s', (_shape, body, text) => {
    expect(readUpstreamError(body).text).toBe(text);
  });

  it('keeps new-api’s request id, which finds the request in the gateway’s logs', () => {
    const body =
      '{"error":{"message":"分组 default 下模型 sora-2 无可用渠道（distributor） (request id: 20260301120000123456789abcdefgh)","type":"new_api_error","code":"model_not_found"}}';
    expect(readUpstreamError(body)).toEqual({
      text: '分组 default 下模型 sora-2 无可用渠道（distributor） (request id: 20260301120000123456789abcdefgh)',
      codes: ['model_not_found'],
    });
  });

  it('adds the param of an OpenAI-style error, unless the message names it', () => {
    const size =
      '{"error":{"message":"Value error, size must be one of 720x1280, 1280x720, 1024x1024, 1024x1792, 1792x1024","type":"invalid_request_error","code":"invalid_value","param":"video_config.size"}}';
    expect(upstreamErrorText(size)).toBe(
      'Value error, size must be one of 720x1280, 1280x720, 1024x1024, 1024x1792, 1792x1024 (param: video_config.size)',
    );
    const prompt =
      '{"error":{"message":"Missing required parameter: \'prompt\'.","type":"invalid_request_error","param":"prompt","code":"missing_required_parameter"}}';
    expect(upstreamErrorText(prompt)).toBe("Missing required parameter: 'prompt'.");
  });

  it('reads the Python dict grok2api v1 prints inside its message, and its codes', () => {
    const body = JSON.stringify({
      error: {
        message:
          "{'error': {'message': '没有可用Token: grok-imagine-0.9', 'type': 'rate_limit_error', 'code': 'no_available_token'}}",
        type: 'api_error',
      },
    });
    expect(readUpstreamError(body)).toEqual({
      text: '没有可用Token: grok-imagine-0.9',
      codes: ['no_available_token'],
    });
  });

  it('reads a Python string in double quotes (it holds a quote), after a prefix', () => {
    const text = `请求错误: {'error': {'message': "Model 'grok-x' isn't available", 'code': 'model_not_found'}}`;
    expect(readUpstreamError(text)).toEqual({
      text: "请求错误: Model 'grok-x' isn't available",
      codes: ['model_not_found'],
    });
  });

  it('reads the upstream’s JSON body new-api passes on as its message', () => {
    const upstream = {
      error: {
        message: 'Your request was blocked by our moderation system.',
        type: 'invalid_request_error',
        code: 'moderation_blocked',
      },
    };
    const body = JSON.stringify({
      code: 'fail_to_fetch_task',
      message: JSON.stringify(upstream),
      data: null,
    });
    expect(readUpstreamError(body)).toEqual({
      text: 'Your request was blocked by our moderation system.',
      codes: ['fail_to_fetch_task', 'moderation_blocked'],
    });
  });

  it('never shows raw JSON: an unknown shape becomes its fields in words', () => {
    expect(upstreamErrorText('{"success": false, "reason": {"text": "upstream busy"}}')).toBe(
      'success: false, reason.text: upstream busy',
    );
    expect(upstreamErrorText('{"error": {}}')).toBeNull();
  });

  it('keeps plain text on one line, clipped, and leaves out HTML pages', () => {
    expect(upstreamErrorText('Bad gateway:\n  try later')).toBe('Bad gateway: try later');
    expect(upstreamErrorText('x'.repeat(600))).toBe(`${'x'.repeat(499)}…`);
    expect(upstreamErrorText('<html><body>502</body></html>')).toBeNull();
    expect(upstreamErrorText('Bad gateway', 'text/html; charset=utf-8')).toBeNull();
    expect(upstreamErrorText('  ')).toBeNull();
  });

  it('keeps text with braces that are no dict as it is', () => {
    expect(upstreamErrorText('Invalid value {x} for seconds')).toBe(
      'Invalid value {x} for seconds',
    );
  });
});
