import { readUpstreamError } from './upstream-error-text';
import { failureFromWords, isRetryable, statusError } from './upstream-errors';

/** What the platform makes of one error answer: its code, its sentence, and whether it is sent again. */
function verdict(status: number, body: string) {
  const said = readUpstreamError(body, 'application/json');
  const error = statusError(status, said, 1);
  return { code: error.code, message: error.message, retried: isRetryable(status, said) };
}

const MODEL_SETTINGS =
  'the model settings (VIDEO_MODEL_PORTRAIT, VIDEO_MODEL_LANDSCAPE, VIDEO_MODEL_TEMPLATE or VIDEO_MODEL)';

// Real answers from section C of the upstream protocols page.
describe('statusError and isRetryable', () => {
  describe('a 403 is told apart by its words', () => {
    it.each([
      [
        'new-api, older',
        '{"code":"quota_not_enough","message":"user quota is not enough","data":null}',
        'user quota is not enough',
      ],
      [
        'new-api, newer',
        '{"code":"insufficient_user_quota","message":"用户额度不足, 剩余额度: ＄0.000000","data":null}',
        '用户额度不足, 剩余额度: ＄0.000000',
      ],
    ])('an empty account (%s) is UPSTREAM_QUOTA', (_build, body, words) => {
      expect(verdict(403, body)).toEqual({
        code: 'UPSTREAM_QUOTA',
        message: `The account on the video service has run out of credit (HTTP 403: ${words}). Top it up there, or set VIDEO_API_KEY to a key with credit.`,
        retried: false,
      });
    });

    it.each([
      ['sora2api without a key', '{"detail":"Not authenticated"}', 'Not authenticated'],
      ['grok2api v2', '{"detail":"Invalid API key."}', 'Invalid API key.'],
      [
        'new-api',
        '{"error":{"message":"无效的令牌 (request id: 2026030112000012345)","type":"new_api_error","code":""}}',
        '无效的令牌 (request id: 2026030112000012345)',
      ],
      ['go-sora2api', '{"error":{"message":"无效的 API Key"}}', '无效的 API Key'],
      [
        'go-sora2api, a key without a group',
        '{"error":{"message":"此 API Key 未绑定分组，请联系管理员"}}',
        '此 API Key 未绑定分组，请联系管理员',
      ],
    ])('a key problem (%s) is UPSTREAM_AUTH', (_gateway, body, words) => {
      expect(verdict(403, body)).toEqual({
        code: 'UPSTREAM_AUTH',
        message: `The video service refused the API key (HTTP 403: ${words}). Check VIDEO_API_KEY.`,
        retried: false,
      });
    });

    it.each([
      [
        'OpenAI',
        '{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}',
        'Country, region, or territory not supported',
      ],
      [
        'grok2api',
        '{"detail":{"error":{"message":"请求错误: 请求失败: 403 - 您的IP被拦截","type":"api_error"}}}',
        '请求错误: 请求失败: 403 - 您的IP被拦截',
      ],
    ])('a blocked location (%s) is UPSTREAM_LOCATION_BLOCKED', (_gateway, body, words) => {
      expect(verdict(403, body)).toEqual({
        code: 'UPSTREAM_LOCATION_BLOCKED',
        message:
          `The video service refuses requests from this location (HTTP 403: ${words}): the IP address or region ` +
          'of this server, or of the gateway towards its own provider, is blocked. It must be reached from another network or region.',
        retried: false,
      });
    });

    it('an unknown 403 is refused in neutral words, the gateway’s own kept', () => {
      expect(verdict(403, '{"error":{"message":"Forbidden","type":"forbidden"}}')).toEqual({
        code: 'UPSTREAM_FORBIDDEN',
        message: 'The video service refused the request (HTTP 403: Forbidden).',
        retried: false,
      });
    });
  });

  it('keeps a 401 the key code whatever it says', () => {
    expect(verdict(401, '{"detail":"user quota is not enough"}').code).toBe('UPSTREAM_AUTH');
    expect(verdict(401, '{"error":{"message":"缺少 Authorization 头"}}')).toMatchObject({
      code: 'UPSTREAM_AUTH',
      retried: false,
    });
  });

  it('calls a 402 an empty account', () => {
    expect(verdict(402, '')).toMatchObject({ code: 'UPSTREAM_QUOTA', retried: false });
  });

  describe('a 5xx whose words are a client error is not retried', () => {
    it('sora2api’s "400: Invalid model" names the settings to fix', () => {
      const body =
        '{"error":{"message":"400: Invalid model: sora-2","type":"server_error","param":null,"code":null}}';
      expect(verdict(500, body)).toEqual({
        code: 'UPSTREAM_MODEL_NOT_OFFERED',
        message: `The video service does not offer this model (HTTP 500: 400: Invalid model: sora-2). Set ${MODEL_SETTINGS} to a model it serves.`,
        retried: false,
      });
    });

    it('grok2api v1’s blocked IP inside its 500', () => {
      const body = JSON.stringify({
        error: { message: '请求错误: 请求失败: 403 - 您的IP被拦截，请更换代理', type: 'api_error' },
      });
      expect(verdict(500, body)).toMatchObject({
        code: 'UPSTREAM_LOCATION_BLOCKED',
        retried: false,
      });
    });

    it('grok2api v1’s "no token" Python text is a gateway without a free account', () => {
      const body = JSON.stringify({
        error: {
          message:
            "{'error': {'message': '没有可用Token: grok-imagine-0.9', 'type': 'rate_limit_error'}}",
          type: 'api_error',
        },
      });
      expect(verdict(500, body)).toEqual({
        code: 'UPSTREAM_NO_ACCOUNT',
        message:
          'The video service has no account free to make the video (HTTP 500: 没有可用Token: grok-imagine-0.9): ' +
          'its accounts are busy, cooling down or used up. Try again later; if it keeps happening, the service needs more accounts.',
        retried: false,
      });
    });

    it('go-sora2api’s 503 without accounts', () => {
      expect(
        verdict(503, '{"error":{"message":"无可用账号: 没有可用的 Sora 账号"}}'),
      ).toMatchObject({ code: 'UPSTREAM_NO_ACCOUNT', retried: false });
    });

    it.each([
      ['sora2api', '{"error":{"message":"400: Messages cannot be empty","type":"server_error"}}'],
      ['new-api', '{"error":{"message":"status_code=422, bad payload","type":"new_api_error"}}'],
    ])('any other 4xx a gateway wraps in its 500 (%s)', (_gateway, body) => {
      expect(verdict(500, body)).toMatchObject({ code: 'UPSTREAM_REJECTED', retried: false });
    });

    it('an embedded 401 is the key code', () => {
      expect(verdict(500, '{"detail":"401: Unauthorized"}')).toMatchObject({
        code: 'UPSTREAM_AUTH',
        retried: false,
      });
    });
  });

  it.each([
    ['plain text', 'Internal Server Error'],
    ['go-sora2api', '{"error":{"message":"提交 Sora 任务失败: context deadline exceeded"}}'],
    ['an embedded 5xx', '{"error":{"message":"Upstream service returned status 503"}}'],
    ['an embedded 429', '{"error":{"message":"请求失败: 429 - Too Many Requests"}}'],
  ])('still retries a 5xx that names no client error (%s)', (_what, body) => {
    expect(verdict(502, body).retried).toBe(true);
  });

  it('keeps retrying new-api’s "upstream saturated" 429', () => {
    const body =
      '{"code":"rate_limit_exceeded","message":"当前分组上游负载已饱和，请稍后再试","data":null}';
    expect(verdict(429, body)).toEqual({
      code: 'UPSTREAM_RATE_LIMITED',
      message:
        'The video service is busy and asked to try again later (HTTP 429: 当前分组上游负载已饱和，请稍后再试).',
      retried: true,
    });
  });

  it('reads the code when new-api hides an empty account behind the 429 words', () => {
    const body =
      '{"error":{"message":"当前分组上游负载已饱和，请稍后再试 (request id: 20260301)","type":"insufficient_quota","code":"insufficient_user_quota"}}';
    expect(verdict(429, body)).toMatchObject({ code: 'UPSTREAM_QUOTA', retried: false });
  });

  it('does not retry OpenAI’s 429 for an account out of quota', () => {
    const body =
      '{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}';
    expect(verdict(429, body)).toMatchObject({ code: 'UPSTREAM_QUOTA', retried: false });
  });

  it.each([
    [
      'newer',
      '{"error":{"message":"分组 default 下模型 sora-2 无可用渠道（distributor） (request id: 2026030112)","type":"new_api_error","code":"model_not_found"}}',
      '分组 default 下模型 sora-2 无可用渠道（distributor） (request id: 2026030112)',
    ],
    [
      'older',
      '{"error":{"message":"当前分组 default 下对于模型 sora-2 无可用渠道","type":"new_api_error","code":"model_not_found"}}',
      '当前分组 default 下对于模型 sora-2 无可用渠道',
    ],
  ])(
    'says new-api (%s) has no channel for the model, without retrying its 503',
    (_build, body, words) => {
      expect(verdict(503, body)).toEqual({
        code: 'UPSTREAM_MODEL_NOT_OFFERED',
        message: `The video service has no channel serving this model (HTTP 503: ${words}): its administrator must enable one, or ${MODEL_SETTINGS} must name a model it serves.`,
        retried: false,
      });
    },
  );

  it.each([
    ['grok2api v2', 400, "Model 'grok-x' does not exist or you do not have access to it."],
    ['go-sora2api', 400, '模型名称中未找到方向（landscape/portrait）: sora-2'],
  ])('calls %s’s refusal of the model name UPSTREAM_MODEL_NOT_OFFERED', (_g, status, words) => {
    expect(verdict(status, JSON.stringify({ error: { message: words } }))).toMatchObject({
      code: 'UPSTREAM_MODEL_NOT_OFFERED',
      message: expect.stringContaining(`(HTTP ${status}: ${words})`),
    });
  });

  it('calls a moderation refusal at submit (new-api) CONTENT_POLICY', () => {
    const upstream =
      '{"error":{"message":"Your request was blocked by our moderation system.","type":"invalid_request_error","code":"moderation_blocked"}}';
    const body = JSON.stringify({ code: 'fail_to_fetch_task', message: upstream, data: null });
    expect(verdict(400, body)).toEqual({
      code: 'CONTENT_POLICY',
      message:
        'The video service refused the prompt under its content policy: Your request was blocked by our moderation system.',
      retried: false,
    });
  });

  it('keeps the answer’s codes on the error, for adapters that act on them', () => {
    const said = readUpstreamError(
      '{"code":"task_not_exist","message":"task_not_exist","data":null}',
    );
    expect(statusError(400, said, 1)).toMatchObject({
      status: 400,
      upstreamCodes: ['task_not_exist'],
      code: 'UPSTREAM_REJECTED',
      message: 'The video service rejected the request (HTTP 400: task_not_exist).',
    });
  });

  it('still retries 408 and 409, which say nothing was done', () => {
    expect(verdict(408, '').retried).toBe(true);
    expect(verdict(409, '{"detail":"conflict"}')).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      retried: true,
    });
  });
});

describe('failureFromWords', () => {
  it.each([
    ['No available accounts for video generation', 'UPSTREAM_NO_ACCOUNT'],
    ['获取下载链接失败: 内容违规: 内容违反使用政策', 'CONTENT_POLICY'],
    ['user quota is not enough', 'UPSTREAM_QUOTA'],
    ['Error: 请求失败: 403 - 您的IP被拦截', 'UPSTREAM_LOCATION_BLOCKED'],
  ])('reads "%s" as %s', (text, code) => {
    expect(failureFromWords(text)).toMatchObject({ code, message: expect.stringContaining(text) });
  });

  it('reads a machine code beside the words', () => {
    expect(failureFromWords('task failed', ['insufficient_user_quota'])?.code).toBe(
      'UPSTREAM_QUOTA',
    );
  });

  it.each([
    'Video generation returned no final video URL',
    'Upstream API timeout: Generation exceeded 3000 seconds limit',
    '轮询超时',
  ])('knows no cause in "%s"', (text) => {
    expect(failureFromWords(text)).toBeNull();
  });
});
