import { ffprobeBytes } from '../support/media';
import { DURATION, gatewayFor, json, sleep, watch } from './videos-testing';

/**
 * new-api relaying OpenAI-style video tasks (section C.5 of the protocols page): what it accepts, its
 * ids, statuses, progress numbers, errors, and the file it makes of what it was sent.
 */
describe('fake gateway: new-api relaying video tasks (C.5)', () => {
  const api = gatewayFor('new-api');

  it('answers its own task id, then shows `unknown` before the first sync, 20 queued, the upstream progress or 30, and 100', async () => {
    const created = await api().create({
      model: 'sora-2',
      prompt: 'a harbour at dawn',
      seconds: '8',
      size: '1280x720',
    });
    expect(created.status).toBe(200);
    const task = json<{ id: string; task_id: string }>(created);
    expect(created.text).toBe(
      `{"id":"${task.id}","task_id":"${task.id}","object":"video","model":"sora-2","status":"queued","progress":0,"created_at":${json<{ created_at: number }>(created).created_at},"seconds":"8","size":"1280x720"}`,
    );
    expect(task.id).toMatch(/^task_[A-Za-z0-9]{32}$/);

    const first = await api().get(`/${task.id}`);
    expect(first.text.startsWith('{\n  "id": "task_')).toBe(true);
    expect(json(first)).toMatchObject({ id: task.id, status: 'unknown', progress: 0 });
    const early = await api().get(`/${task.id}/content`);
    expect(early.status).toBe(400);
    expect(json(early)).toEqual({
      error: {
        message: 'Task is not completed yet, current status: NOT_START',
        type: 'invalid_request_error',
      },
    });

    const seen = await watch(api().get, task.id);
    const progressOf = (status: string) => seen.filter((s) => s.status === status);
    expect(progressOf('queued').every((s) => s.progress === 20)).toBe(true);
    expect(progressOf('in_progress').length).toBeGreaterThan(0);
    expect(progressOf('in_progress').every((s) => s.progress >= 1 && s.progress <= 99)).toBe(true);
    expect(seen.at(-1)).toEqual({ status: 'completed', progress: 100 });
    const content = await api().get(`/${task.id}/content`);
    expect(await ffprobeBytes(content.body, 'mp4')).toMatchObject({ width: 1280, height: 720 });
    expect((await ffprobeBytes(content.body, 'mp4')).durationSeconds).toBeCloseTo(8, 0);
  });

  it('shows 30 while the upstream reports no progress, and takes multipart too', async () => {
    const created = await api().form({
      model: 'sora-2',
      prompt: 'still water [scenario:no-progress]',
      seconds: '4',
    });
    expect(created.status).toBe(200);
    const seen = await watch(api().get, json<{ id: string }>(created).id);
    const running = seen.filter((s) => s.status === 'in_progress');
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((s) => s.progress === 30)).toBe(true);
  });

  it('answers 400 task_not_exist for a task it does not know, or has forgotten', async () => {
    const unknown = await api().get('/task_gone');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toBe('{"code":"task_not_exist","message":"task_not_exist","data":null}');
    const content = await api().get('/task_gone/content');
    expect(content.status).toBe(404);
    expect(json(content)).toEqual({
      error: { message: 'Task not found', type: 'invalid_request_error' },
    });

    const { id } = json<{ id: string }>(
      await api().create({ model: 'sora-2', prompt: 'lost [scenario:forgotten]' }),
    );
    expect((await api().get(`/${id}`)).status).toBe(200);
    await sleep(DURATION / 2 + 20);
    expect(json(await api().get(`/${id}`))).toMatchObject({ code: 'task_not_exist' });
  });

  it.each([
    [
      'failed',
      { code: 'moderation_blocked', message: 'Your request was blocked by our moderation system.' },
    ],
    ['task-timeout', { message: '任务超时（1440分钟）' }],
    ['poll-error', { message: 'upstream returned error' }],
    ['failed-no-reason', { message: 'task failed' }],
  ])('fails a [scenario:%s] task at 100 with its words', async (scenario, error) => {
    const { id } = json<{ id: string }>(
      await api().create({ model: 'sora-2', prompt: `x [scenario:${scenario}]` }),
    );
    expect((await watch(api().get, id)).at(-1)).toEqual({ status: 'failed', progress: 100 });
    expect(json(await api().get(`/${id}`))).toMatchObject({ error });
  });

  it('relays the upstream refusal at submit as its raw body, code fail_to_fetch_task', async () => {
    const refused = await api().create({
      model: 'sora-2',
      prompt: 'x [scenario:moderation-submit]',
    });
    expect(refused.status).toBe(400);
    const body = json<{ code: string; message: string; data: null }>(refused);
    expect(body).toMatchObject({ code: 'fail_to_fetch_task', data: null });
    expect(JSON.parse(body.message)).toEqual({
      error: {
        code: 'moderation_blocked',
        message: 'Your request was blocked by our moderation system.',
        type: 'invalid_request_error',
        param: null,
      },
    });
    const seconds = json<{ code: string; message: string }>(
      await api().create({ model: 'sora-2', prompt: 'x', seconds: '10' }),
    );
    expect(seconds.code).toBe('fail_to_fetch_task');
    expect(JSON.parse(seconds.message)).toMatchObject({
      error: { param: 'seconds', code: 'invalid_value' },
    });
  });

  it('refuses as new-api does: model, size, quota, saturation, key', async () => {
    const cases: [unknown, number, unknown][] = [
      [
        { prompt: 'x' },
        400,
        { code: 'missing_model', message: 'model field is required', data: null },
      ],
      [
        { model: 'sora-2', prompt: 'x', size: '1024x1024' },
        400,
        { code: 'invalid_size', message: 'sora-2 size is invalid', data: null },
      ],
      [
        { model: 'sora-2', prompt: 'x [scenario:quota-old]' },
        403,
        { code: 'quota_not_enough', message: 'user quota is not enough', data: null },
      ],
    ];
    for (const [body, status, answer] of cases) {
      const res = await api().create(body);
      expect([res.status, json(res)]).toEqual([status, answer]);
    }
    const noChannel = await api().create({ model: 'sora-3', prompt: 'x' });
    expect(noChannel.status).toBe(503);
    expect(json(noChannel)).toMatchObject({
      error: {
        message: expect.stringMatching(
          /^分组 default 下模型 sora-3 无可用渠道（distributor） \(request id: \d{23}[A-Za-z0-9]{8}\)$/,
        ),
        type: 'new_api_error',
        code: 'model_not_found',
      },
    });
    const saturated = { model: 'sora-2', prompt: 'x [scenario:saturated-once]' };
    const busy = await api().create(saturated);
    expect([busy.status, json(busy)]).toEqual([
      429,
      { code: 'rate_limit_exceeded', message: '当前分组上游负载已饱和，请稍后再试', data: null },
    ]);
    expect((await api().create(saturated)).status).toBe(200);
    const wrongKey = await api().get('/task_x', { authorization: 'Bearer nope' });
    expect(wrongKey.status).toBe(401);
    expect(json(wrongKey)).toMatchObject({
      error: {
        message: expect.stringMatching(/^无效的令牌 \(request id: /),
        type: 'new_api_error',
      },
    });
  });
});
