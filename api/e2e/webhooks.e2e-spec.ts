import { getDataSourceToken } from '@nestjs/typeorm';
import {
  ApiRoutes,
  CreatedWebhookResponse,
  ErrorCode,
  JobStatus,
  WEBHOOK_URL_MAX_LENGTH,
  WEBHOOKS_PER_USER_MAX,
} from '@vidgen/contracts';
import { DataSource } from 'typeorm';
import { AppConfig } from '../src/config/app-config';
import { WebhookEntity } from '../src/webhooks/webhook.entity';
import { createApiKey } from './support/api-keys';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectValidationError } from './support/errors';
import { withBearer } from './support/http';
import { FAIL, FakeFfmpeg, HANG, scriptedFfmpeg } from './support/media';
import { createUser, CreatedUser } from './support/users';
import { cancelQuietly, createVideo, UNKNOWN_ID, waitForJob } from './support/videos';
import { WebhookReceiver } from './support/webhook-receiver';
import {
  createWebhook,
  deliveriesOf,
  listWebhooks,
  newestDelivery,
  sendTest,
  verified,
} from './support/webhooks';

jest.setTimeout(180_000);

const TIMEOUT_MS = 2000;
const RETRY_DELAYS_MS = [300, 300, 300];

/**
 * The timings of deliveries are no settings: these apps get a short schedule (four tries over a
 * second), a 2 s timeout, and a quick poll, so that the suite waits seconds, not hours.
 */
const quickDeliveries = (config: AppConfig): AppConfig =>
  new AppConfig({
    ...config,
    webhooks: {
      ...config.webhooks,
      retryDelaysMs: RETRY_DELAYS_MS,
      timeoutMs: TIMEOUT_MS,
      pollIntervalMs: 100,
    },
  });

let ffmpeg: FakeFfmpeg;
let receiver: WebhookReceiver;
/** Allows the receiver on 127.0.0.1, as a test or an intranet setup would. */
let api: TestApp;
let alice: CreatedUser;

beforeAll(async () => {
  ffmpeg = await scriptedFfmpeg();
  receiver = await WebhookReceiver.start();
  api = await startApp(
    { FFMPEG_PATH: ffmpeg.path, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
    { configure: quickDeliveries },
  );
  alice = await createUser(api);
});

afterAll(async () => {
  await api?.close();
  await receiver?.close();
  await ffmpeg?.remove();
});

describe('managing webhooks', () => {
  it('shows the secret once, at creation; lists, changes and deletes the endpoint', async () => {
    const bob = await createUser(api);
    const response = await withBearer(api, bob)
      .post(ApiRoutes.webhooks)
      .send({ url: receiver.url('/crud'), events: ['video.failed', 'video.completed'] })
      .expect(201);

    const { webhook, secret } = response.body as CreatedWebhookResponse;
    expect(Object.keys(response.body).sort()).toEqual(['secret', 'webhook']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook).toEqual({
      id: expect.any(String),
      url: receiver.url('/crud'),
      events: ['video.completed', 'video.failed'],
      enabled: true,
      disabledReason: null,
      createdAt: expect.any(String),
      updatedAt: webhook.createdAt,
    });
    const listed = await withBearer(api, bob).get(ApiRoutes.webhooks).expect(200);
    expect(listed.body.items).toEqual([webhook]);
    expect(listed.text).not.toContain(secret.slice('whsec_'.length));
    // Kept as given: every delivery is signed with it.
    const [row] = await api.db.select<{ secret: string }>(
      'SELECT secret FROM webhooks WHERE id = ?',
      [webhook.id],
    );
    expect(row.secret).toBe(secret);

    const changed = await withBearer(api, bob)
      .patch(ApiRoutes.webhook(webhook.id))
      .send({ url: receiver.url('/crud-2'), events: ['video.failed'], enabled: false })
      .expect(200);
    expect(changed.body).toEqual({
      ...webhook,
      url: receiver.url('/crud-2'),
      events: ['video.failed'],
      enabled: false,
      updatedAt: expect.any(String),
    });
    expect(await listWebhooks(api, bob)).toEqual([changed.body]);

    await withBearer(api, bob).delete(ApiRoutes.webhook(webhook.id)).expect(204);
    expect(await listWebhooks(api, bob)).toEqual([]);
    expectApiError(
      await withBearer(api, bob).delete(ApiRoutes.webhook(webhook.id)),
      404,
      ErrorCode.NotFound,
    );
  });

  it('lists the caller’s endpoints newest first, and works with an API key', async () => {
    const carol = await createUser(api);
    const key = await createApiKey(api, carol);
    const first = await createWebhook(api, carol, receiver.url('/first'));
    const second = await createWebhook(api, key, receiver.url('/second'), ['video.completed']);
    await createWebhook(api, alice, receiver.url('/not-carols'));

    expect((await listWebhooks(api, key)).map((webhook) => webhook.id)).toEqual([
      second.webhook.id,
      first.webhook.id,
    ]);
  });

  it('answers another user’s webhook, an unknown id and a malformed one with 404', async () => {
    const { webhook } = await createWebhook(api, alice, receiver.url('/alices'));
    const mallory = await createUser(api);

    for (const id of [webhook.id, UNKNOWN_ID, 'not-a-uuid']) {
      const as = withBearer(api, mallory);
      const answers = [
        await as.patch(ApiRoutes.webhook(id)).send({ enabled: false }),
        await as.delete(ApiRoutes.webhook(id)),
        await as.post(ApiRoutes.webhookTest(id)),
        await as.get(ApiRoutes.webhookDeliveries(id)),
      ];
      for (const answer of answers) expectApiError(answer, 404, ErrorCode.NotFound);
    }
    expect((await listWebhooks(api, alice)).find((each) => each.id === webhook.id)).toMatchObject({
      enabled: true,
    });
    expect(receiver.at('/alices')).toEqual([]);
  });

  it('clears the reason it was disabled when its owner enables it again', async () => {
    const dave = await createUser(api);
    const { webhook } = await createWebhook(api, dave, receiver.url('/revived'));
    // As the platform leaves an endpoint that failed for days (see delivery-schedule.spec.ts).
    await api.app
      .get<DataSource>(getDataSourceToken())
      .getRepository(WebhookEntity)
      .update(
        { id: webhook.id },
        {
          enabled: false,
          disabledReason: 'Disabled on 2025-12-06 08:30 UTC: every delivery failed.',
          failingSince: new Date(Date.now() - 6 * 86_400_000),
        },
      );
    expect((await listWebhooks(api, dave))[0].disabledReason).toMatch(/^Disabled on/);
    expectApiError(
      await withBearer(api, dave).post(ApiRoutes.webhookTest(webhook.id)),
      409,
      ErrorCode.InvalidState,
    );

    const enabled = await withBearer(api, dave)
      .patch(ApiRoutes.webhook(webhook.id))
      .send({ enabled: true })
      .expect(200);

    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
    const [row] = await api.db.select<{ failing_since: unknown }>(
      'SELECT failing_since FROM webhooks WHERE id = ?',
      [webhook.id],
    );
    expect(row.failing_since).toBeNull();
  });

  it(`holds at most ${WEBHOOKS_PER_USER_MAX} endpoints per account`, async () => {
    const erin = await createUser(api);
    for (let n = 0; n < WEBHOOKS_PER_USER_MAX; n++)
      await createWebhook(api, erin, receiver.url(`/many-${n}`));

    const refused = await withBearer(api, erin)
      .post(ApiRoutes.webhooks)
      .send({ url: receiver.url('/one-too-many'), events: ['video.completed'] });

    expect(expectApiError(refused, 409, ErrorCode.InvalidState).message).toMatch(
      new RegExp(`already have ${WEBHOOKS_PER_USER_MAX} webhooks`),
    );
  });

  const url = 'https://example.com/hooks';
  it.each([
    ['no url', { events: ['video.completed'] }, 'url'],
    ['a url that is no text', { url: 7, events: ['video.completed'] }, 'url'],
    ['a url that is not absolute', { url: 'example.com/hooks', events: ['video.failed'] }, 'url'],
    ['an ftp url', { url: 'ftp://example.com/hooks', events: ['video.failed'] }, 'url'],
    [
      'a url with credentials',
      { url: 'https://ada:secret@example.com/hooks', events: ['video.failed'] },
      'url',
    ],
    [
      'a url too long',
      {
        url: `https://example.com/${'x'.repeat(WEBHOOK_URL_MAX_LENGTH)}`,
        events: ['video.failed'],
      },
      'url',
    ],
    ['no events', { url }, 'events'],
    ['no event in the list', { url, events: [] }, 'events'],
    ['an unknown event', { url, events: ['video.completed', 'video.deleted'] }, 'events'],
    ['events that are no list', { url, events: 'video.completed' }, 'events'],
    ['an unknown field', { url, events: ['video.failed'], secret: 'whsec_mine' }, 'secret'],
  ])('refuses a creation with %s, naming the field', async (_case, body, field) => {
    const response = await withBearer(api, alice).post(ApiRoutes.webhooks).send(body);

    expectValidationError(response, field);
  });

  it.each([
    ['a url of null', { url: null }, 'url'],
    ['events of null', { events: null }, 'events'],
    ['an empty list of events', { events: [] }, 'events'],
    ['enabled that is no boolean', { enabled: 'yes' }, 'enabled'],
    ['a url with another scheme', { url: 'javascript:alert(1)' }, 'url'],
  ])('refuses a change with %s, naming the field', async (_case, body, field) => {
    const owner = await createUser(api);
    const { webhook } = await createWebhook(api, owner, receiver.url('/unchanged'));

    const response = await withBearer(api, owner).patch(ApiRoutes.webhook(webhook.id)).send(body);

    expectValidationError(response, field);
    expect(await listWebhooks(api, owner)).toEqual([webhook]);
  });
});

describe('events of videos', () => {
  it('signs a video.completed whose data is the video object, to each endpoint that asked', async () => {
    const frank = await createUser(api);
    const both = await createWebhook(api, frank, receiver.url('/frank-both'));
    const completedOnly = await createWebhook(api, frank, receiver.url('/frank-completed'), [
      'video.completed',
    ]);
    const failedOnly = await createWebhook(api, frank, receiver.url('/frank-failed'), [
      'video.failed',
    ]);

    const { video, job } = await createVideo(api, frank, { prompt: 'A kite over the dunes' });
    expect((await waitForJob(api, frank, job.id)).status).toBe(JobStatus.Succeeded);

    for (const { webhook, secret } of [both, completedOnly]) {
      const path = new URL(webhook.url).pathname;
      const [request] = await receiver.waitFor(path, 1);
      const event = verified<Record<string, unknown>>(secret, request);
      expect(event).toEqual({
        id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
        object: 'event',
        created_at: expect.any(Number),
        type: 'video.completed',
        data: expect.objectContaining({
          id: video.id,
          object: 'video',
          status: 'completed',
          progress: 100,
          size: '720x1280',
          prompt: 'A kite over the dunes',
          error: null,
        }),
      });
      expect(Math.abs(event.created_at * 1000 - Date.now())).toBeLessThan(120_000);
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toMatch(/VidGen/);
      const [delivery] = (await deliveriesOf(api, frank, webhook.id)).items;
      expect(request.headers['webhook-id']).toBe(delivery.id);
    }
    // One event, one id, whichever endpoint it went to.
    expect(
      new Set(
        [both, completedOnly].map(
          ({ webhook, secret }) =>
            verified(secret, receiver.at(new URL(webhook.url).pathname)[0]).id,
        ),
      ).size,
    ).toBe(1);
    // Written with the job's outcome, so known now: none for the endpoint that did not ask.
    expect((await deliveriesOf(api, frank, failedOnly.webhook.id)).items).toEqual([]);
  });

  it('sends video.failed with the error when a job fails, and nothing for a cancel', async () => {
    const grace = await createUser(api);
    const { webhook, secret } = await createWebhook(api, grace, receiver.url('/grace'));

    const failed = await createVideo(api, grace, { prompt: `Doomed ${FAIL}` });
    expect((await waitForJob(api, grace, failed.job.id)).status).toBe(JobStatus.Failed);
    const cancelled = await createVideo(api, grace, { prompt: `Called off ${HANG}` });
    await waitForJob(api, grace, cancelled.job.id, [JobStatus.Running]);
    await cancelQuietly(api, grace, cancelled.job.id);
    expect((await waitForJob(api, grace, cancelled.job.id)).status).toBe(JobStatus.Cancelled);

    const [request] = await receiver.waitFor('/grace', 1);
    expect(verified(secret, request)).toMatchObject({
      type: 'video.failed',
      data: {
        id: failed.video.id,
        object: 'video',
        status: 'failed',
        error: { code: 'RENDER_FAILED', message: expect.stringMatching(/prompt asked for it/) },
      },
    });
    const log = await deliveriesOf(api, grace, webhook.id);
    expect(log.items.map((delivery) => delivery.eventType)).toEqual(['video.failed']);
  });

  it('makes no event for an endpoint turned off', async () => {
    const heidi = await createUser(api);
    const { webhook } = await createWebhook(api, heidi, receiver.url('/heidi-off'));
    await withBearer(api, heidi)
      .patch(ApiRoutes.webhook(webhook.id))
      .send({ enabled: false })
      .expect(200);

    const { job } = await createVideo(api, heidi);
    expect((await waitForJob(api, heidi, job.id)).status).toBe(JobStatus.Succeeded);

    expect((await deliveriesOf(api, heidi, webhook.id)).items).toEqual([]);
  });
});

describe('the test event and the log', () => {
  let owner: CreatedUser;
  beforeAll(async () => (owner = await createUser(api)));

  it('sends webhook.test now, and answers with the delivery as logged', async () => {
    const { webhook, secret } = await createWebhook(api, owner, receiver.url('/test-event'));

    const delivery = await sendTest(api, owner, webhook.id);

    expect(delivery).toEqual({
      id: expect.any(String),
      webhookId: webhook.id,
      eventType: 'webhook.test',
      status: 'succeeded',
      attempts: [
        {
          attempt: 1,
          at: expect.any(String),
          statusCode: 204,
          durationMs: expect.any(Number),
          error: null,
        },
      ],
      nextAttemptAt: null,
      createdAt: expect.any(String),
    });
    const [request] = receiver.at('/test-event');
    expect(request.headers['webhook-id']).toBe(delivery.id);
    expect(verified(secret, request)).toMatchObject({
      object: 'event',
      type: 'webhook.test',
      data: { id: webhook.id, object: 'webhook', url: webhook.url },
    });
    expect((await deliveriesOf(api, owner, webhook.id)).items).toEqual([delivery]);
  });

  it('pages the log newest first', async () => {
    const { webhook } = await createWebhook(api, owner, receiver.url('/paged'));
    const sent = [];
    for (let n = 0; n < 3; n++) sent.push(await sendTest(api, owner, webhook.id));

    const first = await deliveriesOf(api, owner, webhook.id, '?limit=2');
    expect(first.items.map((delivery) => delivery.id)).toEqual([sent[2].id, sent[1].id]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await deliveriesOf(
      api,
      owner,
      webhook.id,
      `?limit=2&cursor=${first.nextCursor}`,
    );
    expect(second).toEqual({ items: [sent[0]], nextCursor: null });

    for (const [query, field] of [
      ['?cursor=nonsense', 'cursor'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
    ]) {
      const response = await withBearer(api, owner).get(
        `${ApiRoutes.webhookDeliveries(webhook.id)}${query}`,
      );
      expectValidationError(response, field);
    }
  });
});

describe('retries', () => {
  let owner: CreatedUser;
  beforeAll(async () => (owner = await createUser(api)));

  it('tries again after a 500, with the same webhook-id, and logs each try', async () => {
    const { webhook, secret } = await createWebhook(api, owner, receiver.url('/flaky'));
    receiver.answer('/flaky', { status: 500, body: 'database is down\n' });

    const first = await sendTest(api, owner, webhook.id);

    expect(first).toMatchObject({
      status: 'pending',
      attempts: [
        { attempt: 1, statusCode: 500, error: 'The endpoint answered HTTP 500: database is down.' },
      ],
      nextAttemptAt: expect.any(String),
    });
    expect(Date.parse(first.nextAttemptAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(first.attempts[0].at) + RETRY_DELAYS_MS[0],
    );
    const done = await newestDelivery(api, owner, webhook.id, (d) => d.status === 'succeeded');
    expect(done).toMatchObject({
      id: first.id,
      attempts: [
        { attempt: 1, statusCode: 500 },
        { attempt: 2, statusCode: 204, error: null },
      ],
      nextAttemptAt: null,
    });
    const requests = receiver.at('/flaky');
    expect(requests.map((request) => request.headers['webhook-id'])).toEqual([first.id, first.id]);
    for (const request of requests) expect(verified(secret, request).type).toBe('webhook.test');
  });

  it(`tries again after no answer within the timeout`, async () => {
    const { webhook } = await createWebhook(api, owner, receiver.url('/slow'));
    receiver.answer('/slow', { status: 204, delayMs: TIMEOUT_MS + 2000 });

    const first = await sendTest(api, owner, webhook.id);

    expect(first).toMatchObject({
      status: 'pending',
      attempts: [{ attempt: 1, statusCode: null, error: 'No answer within 2 seconds.' }],
    });
    const done = await newestDelivery(api, owner, webhook.id, (d) => d.status === 'succeeded');
    expect(done.attempts.map((attempt) => attempt.statusCode)).toEqual([null, 204]);
  });

  it('does not follow a redirect', async () => {
    const { webhook } = await createWebhook(api, owner, receiver.url('/moved'));
    receiver.answer('/moved', { status: 302, headers: { location: receiver.url('/moved-here') } });

    const first = await sendTest(api, owner, webhook.id);

    expect(first.attempts[0]).toMatchObject({
      statusCode: 302,
      error: `The endpoint answered HTTP 302, a redirect to ${receiver.url('/moved-here')}; redirects are not followed.`,
    });
    await newestDelivery(api, owner, webhook.id, (d) => d.status === 'succeeded');
    expect(receiver.at('/moved-here')).toEqual([]);
  });

  it('gives up after the last try of the schedule', async () => {
    const { webhook } = await createWebhook(api, owner, receiver.url('/down'));
    const tries = RETRY_DELAYS_MS.length + 1;
    receiver.answer('/down', ...Array.from({ length: tries }, () => ({ status: 503 })));

    await sendTest(api, owner, webhook.id);

    const given = await newestDelivery(api, owner, webhook.id, (d) => d.status === 'failed');
    expect(given.attempts.map((attempt) => [attempt.attempt, attempt.statusCode])).toEqual(
      Array.from({ length: tries }, (_, n) => [n + 1, 503]),
    );
    expect(given.nextAttemptAt).toBeNull();
    expect(receiver.at('/down')).toHaveLength(tries);
  });
});

describe('without WEBHOOK_ALLOW_PRIVATE_TARGETS', () => {
  let strict: TestApp;
  let ivan: CreatedUser;

  beforeAll(async () => {
    strict = await startApp({}, { configure: quickDeliveries });
    ivan = await createUser(strict);
  });

  afterAll(() => strict?.close());

  it.each([
    ['a loopback address', () => receiver.url('/private')],
    [
      'a name that resolves to one',
      () => receiver.url('/private').replace('127.0.0.1', 'localhost'),
    ],
    ['an IPv6 loopback address', () => 'http://[::1]:9/private'],
    ['a private address', () => 'http://10.0.0.8/hooks'],
    ['the cloud metadata service', () => 'http://169.254.169.254/latest/meta-data'],
  ])('refuses an endpoint at %s with 400 naming url', async (_case, target) => {
    const response = await withBearer(strict, ivan)
      .post(ApiRoutes.webhooks)
      .send({ url: target(), events: ['video.completed'] });

    const body = expectValidationError(response, 'url');
    expect(body.message).toMatch(/not a public address/);
  });

  it('refuses a change to a private address, and checks the address again at each delivery', async () => {
    // A public address, given as such: creating it needs no lookup.
    const created = await withBearer(strict, ivan)
      .post(ApiRoutes.webhooks)
      .send({ url: 'https://93.184.215.14/hooks', events: ['video.completed'] })
      .expect(201);
    const { webhook } = created.body as CreatedWebhookResponse;
    expectValidationError(
      await withBearer(strict, ivan)
        .patch(ApiRoutes.webhook(webhook.id))
        .send({ url: receiver.url('/strict') }),
      'url',
    );
    // As if its name had come to resolve to the receiver since it was checked.
    await strict.app
      .get<DataSource>(getDataSourceToken())
      .getRepository(WebhookEntity)
      .update({ id: webhook.id }, { url: receiver.url('/strict') });

    const delivery = await sendTest(strict, ivan, webhook.id);

    expect(delivery.attempts[0]).toMatchObject({
      statusCode: null,
      error:
        'Not sent: 127.0.0.1 is not a public address (loopback); webhooks are sent to public addresses only.',
    });
    expect(receiver.at('/strict')).toEqual([]);
  });
});

describe('a restart', () => {
  const apps: TestApp[] = [];

  afterEach(async () => {
    for (const app of apps.splice(0).reverse()) await app.close();
  });

  it('hands back a delivery under way at shutdown; the next start delivers it', async () => {
    const settings = { FFMPEG_PATH: ffmpeg.path, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
    const first = await startApp(settings, { configure: quickDeliveries });
    apps.push(first);
    const judy = await createUser(first);
    const { webhook, secret } = await createWebhook(first, judy, receiver.url('/restart'));
    let answer = (): void => undefined;
    receiver.answer('/restart', {
      status: 204,
      until: new Promise<void>((resolve) => (answer = resolve)),
    });
    const { video, job } = await createVideo(first, judy);
    expect((await waitForJob(first, judy, job.id)).status).toBe(JobStatus.Succeeded);
    await receiver.waitFor('/restart', 1);

    await first.stop();

    const rows = await first.db.select<{ status: string; attempts: string; locked_until: unknown }>(
      'SELECT status, attempts, locked_until FROM webhook_deliveries',
    );
    expect(rows).toEqual([{ status: 'pending', attempts: '[]', locked_until: null }]);
    answer();

    const second = await startApp(settings, { restartOf: first, configure: quickDeliveries });
    apps.push(second);

    const requests = await receiver.waitFor('/restart', 2);
    const done = await newestDelivery(second, judy, webhook.id, (d) => d.status === 'succeeded');
    expect(done.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 204 })]);
    expect(requests.map((request) => request.headers['webhook-id'])).toEqual([done.id, done.id]);
    expect(verified(secret, requests[1])).toMatchObject({
      type: 'video.completed',
      data: { id: video.id, status: 'completed' },
    });
  });
});
