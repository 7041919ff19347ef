import { getDataSourceToken } from '@nestjs/typeorm';
import {
  API_KEY_NAME_MAX_LENGTH,
  ApiKey,
  ApiRoutes,
  ErrorCode,
  JobEventData,
  JobStatus,
} from '@vidgen/contracts';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../src/api-keys/api-key.entity';
import { createApiKey, CreatedApiKey } from './support/api-keys';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectValidationError } from './support/errors';
import { anonymous, bearerHeaders, withBearer, withCookies } from './support/http';
import { FakeFfmpeg, hangingFfmpeg } from './support/media';
import { eventData, openSse, SseConnection } from './support/sse';
import { createUser, CreatedUser, uniquePassword } from './support/users';
import { createVideo, listVideos, UNKNOWN_ID } from './support/videos';

jest.setTimeout(120_000);

let ffmpeg: FakeFfmpeg;
let api: TestApp;
let alice: CreatedUser;
const open: SseConnection[] = [];

beforeAll(async () => {
  // Jobs that never finish: the tests watch streams and routes, not renders.
  ffmpeg = await hangingFfmpeg();
  api = await startApp({ FFMPEG_PATH: ffmpeg.path, SSE_HEARTBEAT_SECONDS: '1' });
  alice = await createUser(api);
});

// Streams left open would keep the server from closing.
afterEach(() => open.splice(0).forEach((stream) => stream.close()));

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

async function stream(path: string, key: { accessToken: string }): Promise<SseConnection> {
  const connection = await openSse(api, path, bearerHeaders(key));
  open.push(connection);
  return connection;
}

async function listKeys(owner: { accessToken: string }): Promise<ApiKey[]> {
  const response = await withBearer(api, owner).get(ApiRoutes.apiKeys).expect(200);
  return response.body.items as ApiKey[];
}

/** Moves the key's expiry into the past, as if it had run out. */
async function expire(key: CreatedApiKey): Promise<void> {
  await api.app
    .get<DataSource>(getDataSourceToken())
    .getRepository(ApiKeyEntity)
    .update({ id: key.apiKey.id }, { expiresAt: new Date(Date.now() - 1000) });
}

describe('creating and listing keys', () => {
  it('shows the secret once: in the answer to its creation, never in the list', async () => {
    const response = await withBearer(api, alice)
      .post(ApiRoutes.apiKeys)
      .send({ name: 'Nightly export' })
      .expect(201);

    const { apiKey, secret } = response.body;
    expect(Object.keys(response.body).sort()).toEqual(['apiKey', 'secret']);
    expect(secret).toMatch(/^vg_[0-9A-Za-z]{43}$/);
    expect(apiKey).toEqual({
      id: expect.any(String),
      name: 'Nightly export',
      prefix: secret.slice(0, 9),
      createdAt: expect.any(String),
      lastUsedAt: null,
      expiresAt: null,
    });
    const list = await withBearer(api, alice).get(ApiRoutes.apiKeys).expect(200);
    expect(list.body.items).toContainEqual(apiKey);
    expect(list.text).not.toContain(secret.slice(9));
  });

  it('stores a hash of the secret and its first characters, nothing from which to rebuild it', async () => {
    const { apiKey, secret } = await createApiKey(api, alice);

    const [row] = await api.db.select<Record<string, unknown>>(
      'SELECT * FROM api_keys WHERE id = ?',
      [apiKey.id],
    );

    expect(row['secret_hash']).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(row['prefix']).toBe(secret.slice(0, 9));
    const hidden = secret.slice(9);
    for (const [column, value] of Object.entries(row)) {
      expect({ column, holdsSecret: String(value).includes(hidden) }).toEqual({
        column,
        holdsSecret: false,
      });
    }
  });

  it('lists the caller’s keys newest first, with their expiry, and no one else’s', async () => {
    const bob = await createUser(api);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const first = await createApiKey(api, bob, { name: 'first' });
    const second = await createApiKey(api, bob, { name: 'second', expiresAt });
    await createApiKey(api, alice, { name: 'not Bob’s' });

    const keys = await listKeys(bob);

    expect(keys.map((key) => key.id)).toEqual([second.apiKey.id, first.apiKey.id]);
    expect(keys[0].expiresAt).toBe(expiresAt);
  });

  it('stores the name trimmed and on one line', async () => {
    const { apiKey } = await createApiKey(api, alice, { name: '  Deploy\tbot \n' });

    expect(apiKey.name).toBe('Deploy bot');
  });

  it.each([
    ['no name', {}, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name too long', { name: 'k'.repeat(API_KEY_NAME_MAX_LENGTH + 1) }, 'name'],
    ['a name with a NUL', { name: 'bad\u0000name' }, 'name'],
    ['a name that is no text', { name: 42 }, 'name'],
    ['an expiry in the past', { name: 'k', expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    ['an expiry without a time zone', { name: 'k', expiresAt: '2099-01-01T00:00:00' }, 'expiresAt'],
    [
      'an expiry on a day that does not exist',
      { name: 'k', expiresAt: '2099-02-30T00:00:00Z' },
      'expiresAt',
    ],
    ['an expiry of null', { name: 'k', expiresAt: null }, 'expiresAt'],
    ['an unknown field', { name: 'k', scopes: ['all'] }, 'scopes'],
  ])('refuses %s with a 400 naming the field', async (_case, body, field) => {
    const response = await withBearer(api, alice).post(ApiRoutes.apiKeys).send(body);

    expectValidationError(response, field);
  });

  it('is done from the browser with its session cookie and CSRF header, like any write', async () => {
    await withCookies(api, alice)
      .post(ApiRoutes.apiKeys)
      .send({ name: 'from the web' })
      .expect(201);

    const refused = await withCookies(api, alice, { csrfToken: null })
      .post(ApiRoutes.apiKeys)
      .send({ name: 'forged' });
    expectApiError(refused, 403, ErrorCode.CsrfTokenInvalid);
  });
});

describe('a key at work', () => {
  it('acts as its owner on the video and job routes, with no CSRF header to send', async () => {
    const carol = await createUser(api);
    const key = await createApiKey(api, carol);

    const created = await createVideo(api, key, { prompt: 'Made with an API key' });

    expect((await listVideos(api, key)).map((video) => video.id)).toEqual([created.video.id]);
    // The same videos as the owner's session sees, and the other way round.
    expect((await listVideos(api, carol)).map((video) => video.id)).toEqual([created.video.id]);
    await withBearer(api, key).get(ApiRoutes.job(created.job.id)).expect(200);
    await withBearer(api, key).get(ApiRoutes.me).expect(200, { user: carol.user });
  });

  it('opens the stream of its owner’s jobs', async () => {
    const dave = await createUser(api);
    const key = await createApiKey(api, dave);
    const { job } = await createVideo(api, dave, { prompt: 'Watched through a key' });

    const events = await stream(ApiRoutes.jobsStream, key);

    expect(events.status).toBe(200);
    const snapshot = await events.waitFor((event) => event.event === 'snapshot', 10_000);
    expect(eventData<JobEventData>(snapshot).job).toMatchObject({
      id: job.id,
      status: expect.stringMatching(new RegExp(`${JobStatus.Queued}|${JobStatus.Running}`)),
    });
    await events.waitFor((event) => event.event === 'ping', 10_000);
  });

  it('shows in the list when it was last used', async () => {
    const erin = await createUser(api);
    const key = await createApiKey(api, erin);
    const before = Date.now();

    await withBearer(api, key).get(ApiRoutes.videos).expect(200);

    const [listed] = await listKeys(erin);
    expect(Date.parse(listed.lastUsedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(listed.lastUsedAt ?? '')).toBeLessThanOrEqual(Date.now());
  });
});

describe('a key that no longer holds', () => {
  it('is refused at once once revoked', async () => {
    const key = await createApiKey(api, alice);
    await withBearer(api, key).get(ApiRoutes.videos).expect(200);

    await withBearer(api, alice).delete(ApiRoutes.apiKey(key.apiKey.id)).expect(204);

    expectApiError(
      await withBearer(api, key).get(ApiRoutes.videos),
      401,
      ErrorCode.Unauthenticated,
    );
    expect((await listKeys(alice)).map((listed) => listed.id)).not.toContain(key.apiKey.id);
  });

  it('is refused once expired', async () => {
    const key = await createApiKey(api, alice, {
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await withBearer(api, key).get(ApiRoutes.videos).expect(200);

    await expire(key);

    expectApiError(
      await withBearer(api, key).get(ApiRoutes.videos),
      401,
      ErrorCode.Unauthenticated,
    );
    // Still listed, with its expiry, until its owner revokes it.
    expect((await listKeys(alice)).map((listed) => listed.id)).toContain(key.apiKey.id);
  });

  it('gets the same answer whether unknown, revoked or expired', async () => {
    const revoked = await createApiKey(api, alice);
    await withBearer(api, alice).delete(ApiRoutes.apiKey(revoked.apiKey.id)).expect(204);
    const expired = await createApiKey(api, alice);
    await expire(expired);
    const unknown = { accessToken: `vg_${'0'.repeat(43)}` };
    const malformed = { accessToken: 'vg_not-a-key' };

    const messages = [];
    for (const key of [revoked, expired, unknown, malformed]) {
      const response = await withBearer(api, key).post(ApiRoutes.videos).send({ prompt: 'x' });
      messages.push(expectApiError(response, 401, ErrorCode.Unauthenticated).message);
    }

    expect(new Set(messages).size).toBe(1);
  });

  it('stops with its owner’s account', async () => {
    const frank = await createUser(api);
    const key = await createApiKey(api, frank);

    await withBearer(api, frank)
      .delete(ApiRoutes.profile)
      .send({ password: frank.password })
      .expect(204);

    expectApiError(
      await withBearer(api, key).get(ApiRoutes.videos),
      401,
      ErrorCode.Unauthenticated,
    );
  });

  it('ends the streams opened with it within a heartbeat of its revocation; reconnecting gets 401', async () => {
    const gina = await createUser(api);
    const ending = await createApiKey(api, gina);
    const lasting = await createApiKey(api, gina);
    const { job } = await createVideo(api, gina, { prompt: 'Watched until the key goes' });
    const isPing = (event: { event: string }) => event.event === 'ping';
    const streams = [
      await stream(ApiRoutes.jobsStream, ending),
      await stream(ApiRoutes.jobStream(job.id), ending),
    ];
    const other = await stream(ApiRoutes.jobsStream, lasting);
    for (const events of [...streams, other]) await events.waitFor(isPing, 10_000);

    await withBearer(api, gina).delete(ApiRoutes.apiKey(ending.apiKey.id)).expect(204);

    for (const events of streams) {
      await events.waitForEnd(15_000);
      expect(events.completed).toBe(true);
    }
    // The other key's stream lives on, two more heartbeats, each of which re-checked its key.
    await other.waitForCount(isPing, other.events.filter(isPing).length + 2, 15_000);
    expect(other.ended).toBe(false);
    const again = await stream(ApiRoutes.jobsStream, ending);
    await again.waitForEnd(10_000);
    expectApiError(again.asResponse(), 401, ErrorCode.Unauthenticated);
  });

  it('ends the streams opened with it when it expires', async () => {
    const key = await createApiKey(api, alice);
    const events = await stream(ApiRoutes.jobsStream, key);
    await events.waitFor((event) => event.event === 'ping', 10_000);

    await expire(key);

    await events.waitForEnd(15_000);
    expect(events.completed).toBe(true);
  });
});

describe('what only a session may do', () => {
  let key: CreatedApiKey;

  beforeAll(async () => {
    key = await createApiKey(api, alice);
  });

  it.each([
    ['create a key', () => withBearer(api, key).post(ApiRoutes.apiKeys).send({ name: 'more' })],
    ['list the keys', () => withBearer(api, key).get(ApiRoutes.apiKeys)],
    ['revoke a key', () => withBearer(api, key).delete(ApiRoutes.apiKey(key.apiKey.id))],
    [
      'change the password',
      () =>
        withBearer(api, key)
          .post(ApiRoutes.changePassword)
          .send({ currentPassword: alice.password, newPassword: uniquePassword() }),
    ],
    [
      'delete the account',
      () => withBearer(api, key).delete(ApiRoutes.profile).send({ password: alice.password }),
    ],
    ['log out', () => withBearer(api, key).post(ApiRoutes.logout)],
  ])('refuses a key that tries to %s with 403 and a sentence', async (_action, send) => {
    const body = expectApiError(await send(), 403, ErrorCode.SessionRequired);

    expect(body.message).toMatch(/^(An )?API keys? cannot .+\.$/);
    // Nothing happened: the key, the password and the session all still work.
    await withBearer(api, key).get(ApiRoutes.videos).expect(200);
    await withBearer(api, alice).get(ApiRoutes.apiKeys).expect(200);
    expect((await listKeys(alice)).map((listed) => listed.id)).toContain(key.apiKey.id);
  });

  it('still answers an invalid key there with 401, not 403', async () => {
    const unknown = { accessToken: `vg_${'1'.repeat(43)}` };

    expectApiError(
      await withBearer(api, unknown).get(ApiRoutes.apiKeys),
      401,
      ErrorCode.Unauthenticated,
    );
    expectApiError(await anonymous(api).get(ApiRoutes.apiKeys), 401, ErrorCode.Unauthenticated);
  });
});

describe('revoking another user’s key', () => {
  it('is not found, and the key keeps working; an unknown or malformed id is not found either', async () => {
    const hank = await createUser(api);
    const hanks = await createApiKey(api, hank);

    for (const id of [hanks.apiKey.id, UNKNOWN_ID, 'not-a-uuid']) {
      expectApiError(
        await withBearer(api, alice).delete(ApiRoutes.apiKey(id)),
        404,
        ErrorCode.NotFound,
      );
    }

    await withBearer(api, hanks).get(ApiRoutes.videos).expect(200);
    expect((await listKeys(hank)).map((listed) => listed.id)).toEqual([hanks.apiKey.id]);
  });
});
