import { ffprobeBytes } from '../support/media';
import { DURATION, gatewayFor, json, sleep, watch } from './videos-testing';

/**
 * go-sora2api (section C.6 of the protocols page): what it accepts, its
 * ids, statuses, progress numbers, errors, and the file it makes of what it was sent.
 */
describe('fake gateway: go-sora2api (C.6)', () => {
  const api = gatewayFor('go-sora2api');

  it('reads orientation and length from the model name only, ignoring seconds and size', async () => {
    const created = await api().create({
      model: 'sora-2-landscape-10s',
      prompt: 'a harbour',
      seconds: '4',
      size: '720x1280',
    });
    expect(created.status).toBe(200);
    const task = json<{ id: string; created_at: number }>(created);
    expect(task.id).toMatch(/^task_[0-9a-f]{8}$/);
    expect(created.text).toBe(
      `{"id":"${task.id}","object":"video","model":"sora-2-landscape-10s","status":"queued","progress":0,"created_at":${task.created_at},"size":"1280x720"}`,
    );
    const early = await api().get(`/${task.id}/content`);
    expect([early.status, json(early)]).toEqual([
      400,
      {
        error: {
          message: expect.stringMatching(/^任务尚未完成（当前状态: (queued|in_progress)）$/),
        },
      },
    ]);
    const seen = await watch(api().get, task.id);
    expect(seen.filter((s) => s.status === 'in_progress').every((s) => s.progress >= 5)).toBe(true);
    expect(seen.at(-1)).toEqual({ status: 'completed', progress: 100 });
    const probed = await ffprobeBytes((await api().get(`/${task.id}/content`)).body, 'mp4');
    expect(probed).toMatchObject({ width: 1280, height: 720 });
    expect(probed.durationSeconds).toBeCloseTo(10, 0);
  });

  it('refuses multipart (JSON only) and a model name without orientation or length', async () => {
    const form = await api().form({ model: 'sora-2-portrait-10s', prompt: 'x' });
    expect([form.status, form.text]).toEqual([
      400,
      '{"error":{"message":"请求参数错误: invalid character \'-\' in numeric literal"}}',
    ]);
    const bare = await api().create({ model: 'sora-2', prompt: 'x', size: '1280x720' });
    expect([bare.status, json(bare)]).toEqual([
      400,
      { error: { message: '模型名称中未找到方向（landscape/portrait）: sora-2' } },
    ]);
    const noLength = await api().create({ model: 'sora-2-portrait-8s', prompt: 'x' });
    expect(json(noLength)).toEqual({
      error: { message: '模型名称中未找到时长（10s/15s/25s）: sora-2-portrait-8s' },
    });
    const noPrompt = await api().create({ model: 'sora-2-portrait-10s' });
    expect(json(noPrompt)).toEqual({
      error: {
        message:
          "请求参数错误: Key: 'VideoSubmitRequest.Prompt' Error:Field validation for 'Prompt' failed on the 'required' tag",
      },
    });
  });

  it('fails with its Chinese texts, and a stuck job stays frozen until its poll timeout', async () => {
    const violation = json<{ id: string }>(
      await api().create({
        model: 'sora-2-portrait-15s',
        prompt: 'x [scenario:content-violation]',
      }),
    );
    const stuck = json<{ id: string }>(
      await api().create({ model: 'sora-2-portrait-15s', prompt: 'x [scenario:stuck]' }),
    );
    await sleep(DURATION + 50);
    expect(json(await api().get(`/${violation.id}`))).toMatchObject({
      status: 'failed',
      error: { message: '获取下载链接失败: 内容违规: 内容违反使用政策' },
    });
    expect(json(await api().get(`/${stuck.id}`))).toMatchObject({
      status: 'in_progress',
      progress: 31,
    });
    await sleep(DURATION * 2);
    expect(json(await api().get(`/${stuck.id}`))).toMatchObject({
      status: 'failed',
      progress: 31,
      error: { message: '轮询超时' },
    });
  });

  it('answers 404 任务不存在 for an unknown task, and its auth errors', async () => {
    expect(json(await api().get('/task_00000000'))).toEqual({ error: { message: '任务不存在' } });
    expect((await api().get('/task_00000000/content')).status).toBe(404);
    const none = await api().get('/task_x', {});
    expect([none.status, json(none)]).toEqual([
      401,
      { error: { message: '缺少 Authorization 头' } },
    ]);
    const wrong = await api().get('/task_x', { authorization: 'Bearer nope' });
    expect(json(wrong)).toEqual({ error: { message: '无效的 API Key' } });
  });
});
