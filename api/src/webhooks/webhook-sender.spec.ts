import { Test, TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { mkdtempSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuthModule } from '../auth/auth.module';
import { AuthService } from '../auth/auth.service';
import { loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { MetricsModule } from '../metrics/metrics.module';
import { LocalServer, startLocalServer } from '../providers/upstream/testing/local-server';
import { StorageModule } from '../storage/storage.module';
import { UsersModule } from '../users/users.module';
import { DISABLE_AFTER_MS } from './delivery-schedule';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { newDelivery, testEvent } from './webhook-events';
import { WebhookSender } from './webhook-sender';
import { generateWebhookSecret } from './webhook-signature';
import { WebhookEntity } from './webhook.entity';
import { WebhooksModule } from './webhooks.module';

const DAY_MS = 24 * 3600 * 1000;

/** How a try is recorded, and the rule that disables an endpoint that keeps failing. */
describe('WebhookSender', () => {
  let moduleRef: TestingModule;
  let sender: WebhookSender;
  let deliveries: WebhookDeliveriesRepository;
  let dataSource: DataSource;
  let server: LocalServer;
  let answer = 500;
  let userId: string;

  beforeAll(async () => {
    server = await startLocalServer((_req, res) => res.writeHead(answer).end());
    const config = loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'vidgen-unit-')),
      FAST_PASSWORD_HASHING: 'true',
      LOG_LEVEL: 'silent',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule.forRoot(config),
        DatabaseModule,
        StorageModule,
        UsersModule,
        AuthModule,
        WebhooksModule,
      ],
    }).compile();
    await moduleRef.init();
    sender = moduleRef.get(WebhookSender);
    deliveries = moduleRef.get(WebhookDeliveriesRepository);
    dataSource = moduleRef.get(getDataSourceToken());
    ({
      user: { id: userId },
    } = await moduleRef
      .get(AuthService)
      .register({ email: 'sender@example.com', password: 'password-1' }));
  });

  afterAll(async () => {
    await moduleRef?.close();
    await server?.close();
  });

  const webhooks = () => dataSource.getRepository(WebhookEntity);

  async function endpoint(failingSince: Date | null): Promise<WebhookEntity> {
    const now = new Date();
    const webhook: WebhookEntity = {
      id: randomUUID(),
      userId,
      url: `${server.url}/hook`,
      events: ['video.completed'],
      secret: generateWebhookSecret(),
      enabled: true,
      disabledReason: null,
      failingSince,
      createdAt: now,
      updatedAt: now,
    };
    await webhooks().insert(webhook);
    return webhook;
  }

  /** Writes a delivery to `webhook` as claimed, sends it once and returns the row after. */
  async function tryOnce(webhook: WebhookEntity): Promise<WebhookDeliveryEntity> {
    const now = new Date();
    const delivery = newDelivery(webhook.id, testEvent(webhook, now), '{}', now);
    const claim = { deliveryId: delivery.id, token: randomUUID() };
    await deliveries.insert([
      { ...delivery, claimToken: claim.token, lockedUntil: new Date(now.getTime() + 60_000) },
    ]);
    await sender.deliver(claim);
    return (await deliveries.findById(delivery.id)) as WebhookDeliveryEntity;
  }

  it('records a failed try, due again after the first delay, and starts the run of failures', async () => {
    answer = 500;
    const webhook = await endpoint(null);

    const delivery = await tryOnce(webhook);

    expect(delivery).toMatchObject({ status: 'pending', claimToken: null, lockedUntil: null });
    expect(delivery.attempts).toEqual([
      {
        attempt: 1,
        at: expect.any(String),
        statusCode: 500,
        durationMs: expect.any(Number),
        error: 'The endpoint answered HTTP 500.',
      },
    ]);
    const triedAt = Date.parse(delivery.attempts[0].at);
    expect(delivery.nextAttemptAt?.getTime()).toBeGreaterThanOrEqual(triedAt + 5000);
    const row = await webhooks().findOneByOrFail({ id: webhook.id });
    expect(row).toMatchObject({ enabled: true, failingSince: new Date(triedAt) });
  });

  it('keeps the start of a run of failures, and ends the run with a success', async () => {
    const since = new Date(Date.now() - DAY_MS);
    const webhook = await endpoint(since);

    answer = 500;
    await tryOnce(webhook);
    expect((await webhooks().findOneByOrFail({ id: webhook.id })).failingSince).toEqual(since);

    answer = 204;
    const delivered = await tryOnce(webhook);
    expect(delivered).toMatchObject({ status: 'succeeded', nextAttemptAt: null });
    expect((await webhooks().findOneByOrFail({ id: webhook.id })).failingSince).toBeNull();
  });

  it('disables an endpoint whose tries have failed for 5 days, saying why', async () => {
    answer = 500;
    const almost = await endpoint(new Date(Date.now() - DISABLE_AFTER_MS + 60_000));
    const failing = await endpoint(new Date(Date.now() - DISABLE_AFTER_MS));

    await tryOnce(almost);
    await tryOnce(failing);

    expect(await webhooks().findOneByOrFail({ id: almost.id })).toMatchObject({
      enabled: true,
      disabledReason: null,
    });
    const disabled = await webhooks().findOneByOrFail({ id: failing.id });
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabledReason).toMatch(
      /^Disabled on .* UTC: every delivery since .* UTC failed \(the last one: The endpoint answered HTTP 500\)\. Fix the endpoint, then enable it again\.$/,
    );
  });

  it('leaves a delivery to a disabled endpoint pending and unclaimed, without a try', async () => {
    const webhook = await endpoint(null);
    await webhooks().update({ id: webhook.id }, { enabled: false });
    const before = server.requests.length;

    const delivery = await tryOnce(webhook);

    expect(delivery).toMatchObject({ status: 'pending', attempts: [], claimToken: null });
    expect(server.requests).toHaveLength(before);
  });
});
