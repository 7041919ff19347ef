import {
  ApiRoutes,
  CreatedWebhookResponse,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryListResponse,
  WebhookEvent,
  WebhookEventType,
} from '@vidgen/contracts';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { eventually } from '../../src/testing/eventually';
import { TestApp } from './app';
import { Session, withBearer } from './http';
import { ReceivedRequest } from './webhook-receiver';

type Auth = Pick<Session, 'accessToken'>;

/** POST /api/webhooks, which must answer 201. */
export async function createWebhook(
  api: TestApp,
  owner: Auth,
  url: string,
  events: WebhookEventType[] = ['video.completed', 'video.failed'],
): Promise<CreatedWebhookResponse> {
  const response = await withBearer(api, owner).post(ApiRoutes.webhooks).send({ url, events });
  if (response.status !== 201) {
    throw new Error(`createWebhook: ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body as CreatedWebhookResponse;
}

export async function listWebhooks(api: TestApp, owner: Auth): Promise<Webhook[]> {
  const response = await withBearer(api, owner).get(ApiRoutes.webhooks).expect(200);
  return response.body.items as Webhook[];
}

/** A page of the webhook's log; `query` as it goes after the path, e.g. `?limit=2`. */
export async function deliveriesOf(
  api: TestApp,
  owner: Auth,
  webhookId: string,
  query = '',
): Promise<WebhookDeliveryListResponse> {
  const response = await withBearer(api, owner)
    .get(`${ApiRoutes.webhookDeliveries(webhookId)}${query}`)
    .expect(200);
  return response.body as WebhookDeliveryListResponse;
}

/** Waits until the webhook's newest delivery matches, and returns it. */
export function newestDelivery(
  api: TestApp,
  owner: Auth,
  webhookId: string,
  matches: (delivery: WebhookDelivery) => boolean,
): Promise<WebhookDelivery> {
  return eventually(async () => {
    const [delivery] = (await deliveriesOf(api, owner, webhookId)).items;
    if (!delivery || !matches(delivery)) {
      throw new Error(`not yet: ${JSON.stringify(delivery)}`);
    }
    return delivery;
  }, 30_000);
}

/** POST /api/webhooks/:id/test, which must answer 200: the delivery after its first try. */
export async function sendTest(
  api: TestApp,
  owner: Auth,
  webhookId: string,
): Promise<WebhookDelivery> {
  const response = await withBearer(api, owner).post(ApiRoutes.webhookTest(webhookId)).expect(200);
  return response.body.delivery as WebhookDelivery;
}

/**
 * The event a receiver got, once its signature is checked as a consumer would: with the
 * standardwebhooks package. Throws for a wrong signature or an old timestamp.
 */
export function verified<T = unknown>(secret: string, request: ReceivedRequest): WebhookEvent<T> {
  return new StandardWebhook(secret).verify(request.body, request.headers) as WebhookEvent<T>;
}
