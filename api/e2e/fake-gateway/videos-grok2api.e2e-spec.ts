import { ffprobeBytes } from '../support/media';
import { DURATION, gatewayFor, json, sleep, watch } from './videos-testing';

/**
 * grok2api v2's /v1/videos (section C.4 of the protocols page): what it accepts, its
 * ids, statuses, progress numbers, errors, and the file it makes of what it was sent.
 */
describe('fake gateway: grok2api v2 /v1/videos (C.4)', () => {
  const api = gatewayFor('grok2api');
  const fields = { model: 'grok-imagine-video', prompt: 'a fox', seconds: '10', size: '1280x720' };

  it('refuses JSON: the form field model is missing', async () => {
    const res = await api().create(fields);
    expect([res.status, res.text]).toEqual([
      400,
      '{"error":{"message":"Field required","type":"invalid_request_error","code":"invalid_value","param":"model"}}',
    ]);
  });

  it('makes a job from form fields: queued, in_progress from 1, completed, the clip of size and seconds', async () => {
    const created = await api().form(fields);
    expect(created.status).toBe(200);
    const job = json<{ id: string }>(created);
    expect(json(created)).toEqual({
      id: expect.stringMatching(/^video_[0-9a-f]{32}$/),
      object: 'video',
      created_at: expect.any(Number),
      status: 'queued',
      model: 'grok-imagine-video',
      progress: 0,
      prompt: 'a fox',
      seconds: '10',
      size: '1280x720',
      quality: 'standard',
    });
    const early = await api().get(`/${job.id}/content`);
    expect([early.status, early.text]).toEqual([
      409,
      '{"error":{"message":"Video content is not ready yet","type":"invalid_request_error","code":"video_not_ready"}}',
    ]);
    const seen = await watch(api().get, job.id);
    expect(seen.filter((s) => s.status === 'in_progress').every((s) => s.progress >= 1)).toBe(true);
    expect(json(await api().get(`/${job.id}`))).toMatchObject({
      status: 'completed',
      progress: 100,
      completed_at: expect.any(Number),
    });
    const probed = await ffprobeBytes((await api().get(`/${job.id}/content`)).body, 'mp4');
    expect(probed).toMatchObject({ width: 1280, height: 720 });
    expect(probed.durationSeconds).toBeCloseTo(10, 0);
  });

  it('takes urlencoded fields, defaults to 6 s portrait, and checks the lengths it makes', async () => {
    const plain = await api().urlencoded({ model: 'grok-imagine-video', prompt: 'a fox' });
    expect(json(plain)).toMatchObject({ seconds: '6', size: '720x1280' });
    const eight = await api().form({ ...fields, seconds: '8' });
    expect(json(eight)).toEqual({
      error: {
        message: 'seconds must be one of [6, 10, 12, 16, 20]',
        type: 'invalid_request_error',
        code: 'invalid_value',
        param: 'seconds',
      },
    });
    const square = await api().form({ ...fields, size: '640x480' });
    expect(json(square)).toMatchObject({
      error: {
        message: "Input should be '720x1280', '1280x720', '1024x1024', '1024x1792' or '1792x1024'",
        param: 'size',
      },
    });
  });

  it('forgets a job (its 1 h lifetime, scaled) and fails jobs with video_generation_failed', async () => {
    const lost = json<{ id: string }>(
      await api().form({ ...fields, prompt: 'x [scenario:forgotten]' }),
    );
    const failed = json<{ id: string }>(
      await api().form({ ...fields, prompt: 'x [scenario:failed]' }),
    );
    await sleep(DURATION);
    const gone = await api().get(`/${lost.id}`);
    expect([gone.status, json(gone)]).toEqual([
      400,
      {
        error: {
          message: `Video '${lost.id}' not found`,
          type: 'invalid_request_error',
          code: 'invalid_value',
          param: 'video_id',
        },
      },
    ]);
    expect(json(await api().get(`/${failed.id}`))).toMatchObject({
      status: 'failed',
      error: {
        code: 'video_generation_failed',
        message: 'Video generation returned no final video URL',
      },
    });
  });

  it('answers its auth errors in FastAPI detail form', async () => {
    const none = await api().get('/video_x', {});
    expect([none.status, none.text]).toEqual([
      401,
      '{"detail":"Missing or invalid Authorization header."}',
    ]);
    const wrong = await api().get('/video_x', { authorization: 'Bearer nope' });
    expect([wrong.status, wrong.text]).toEqual([403, '{"detail":"Invalid API key."}']);
  });
});
