import { ffprobeBytes } from '../support/media';
import { rawRequest } from './raw-http';
import { gatewayFor, json, watch } from './videos-testing';

/**
 * Modified_Sora2api's /v1/videos (section C.2 of the protocols page): what it accepts, its
 * ids, statuses, progress numbers, errors, and the file it makes of what it was sent.
 */
describe('fake gateway: Modified_Sora2api /v1/videos (C.2)', () => {
  const api = gatewayFor('modified-sora2api');

  it('makes landscape 15 s unless told otherwise, never queued, and redirects /content to the file', async () => {
    const created = await api().create({ prompt: 'a harbour' });
    expect(json(created)).toEqual({
      id: expect.stringMatching(/^sora-2-[0-9a-f]{12}$/),
      object: 'video',
      model: 'sora-2',
      status: 'in_progress',
      progress: 0,
      created_at: expect.any(Number),
      seconds: '15',
      size: '1280x720',
    });
    const { id } = json<{ id: string }>(created);
    const seen = await watch(api().get, id);
    expect(seen.some((s) => s.status === 'queued')).toBe(false);
    expect(seen.at(-1)).toEqual({ status: 'completed', progress: 100 });
    const moved = await api().get(`/${id}/content`);
    expect(moved.status).toBe(307);
    const location = String(moved.headers.location);
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tmp\/[0-9a-f]{32}\.mp4$/);
    const probed = await ffprobeBytes((await rawRequest(location)).body, 'mp4');
    expect(probed).toMatchObject({ width: 1280, height: 720 });
    expect(probed.durationSeconds).toBeCloseTo(15, 0);
  });

  it('makes portrait from orientation or size, 10 s when asked, from JSON or a form', async () => {
    for (const created of [
      await api().create({ prompt: 'a', orientation: 'portrait', seconds: '10' }),
      await api().form({ prompt: 'a', size: '720x1280', seconds: '10' }),
    ]) {
      expect(json(created)).toMatchObject({ size: '720x1280', seconds: '10' });
    }
    const eight = await api().create({ prompt: 'a', seconds: '8' });
    expect([eight.status, eight.text]).toEqual([
      400,
      '{"detail":"Invalid seconds: 8. Valid: 10, 15"}',
    ]);
  });

  it('completes a refused prompt without a link: /content 404 content_not_found', async () => {
    const { id } = json<{ id: string }>(
      await api().create({ prompt: 'x [scenario:content-policy]' }),
    );
    expect((await watch(api().get, id)).at(-1)).toEqual({ status: 'completed', progress: 100 });
    const content = await api().get(`/${id}/content`);
    expect([content.status, json(content)]).toEqual([
      404,
      { detail: { error: { message: 'Video content not available', code: 'content_not_found' } } },
    ]);
  });

  it('fails jobs with generation_failed, and answers 404 for an unknown task', async () => {
    const { id } = json<{ id: string }>(await api().create({ prompt: 'x [scenario:failed]' }));
    expect((await watch(api().get, id)).at(-1)?.status).toBe('failed');
    expect(json(await api().get(`/${id}`))).toMatchObject({
      error: { code: 'generation_failed', message: expect.stringContaining('1500 seconds') },
    });
    const unknown = await api().get('/sora-2-000000000000');
    expect([unknown.status, unknown.text]).toEqual([404, '{"detail":"Task not found"}']);
    const none = await api().get('/x', {});
    expect([none.status, none.text]).toEqual([403, '{"detail":"Not authenticated"}']);
  });
});
