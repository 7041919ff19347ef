import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateWebhookSecret, signatureOf } from './webhook-signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'video.completed', data: {} });
  const headersFor = (secret: string, id: string, at: Date, payload = body) => {
    const timestamp = Math.floor(at.getTime() / 1000);
    return {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureOf(secret, id, timestamp, payload),
    };
  };

  it('makes secrets of whsec_ and 32 random bytes in base64, each one new', () => {
    const secrets = Array.from({ length: 500 }, () => generateWebhookSecret());

    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('signs as the standardwebhooks library checks, and as it signs itself', () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const headers = headersFor(secret, 'delivery-1', now);

    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('delivery-1', now, body));
  });

  it('is refused for another secret, another id, another body or an old timestamp', () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const verifier = new Webhook(secret);
    const refused = [
      () => new Webhook(generateWebhookSecret()).verify(body, headersFor(secret, 'd-1', now)),
      () => verifier.verify(body, { ...headersFor(secret, 'd-1', now), 'webhook-id': 'd-2' }),
      () => verifier.verify(`${body} `, headersFor(secret, 'd-1', now)),
      () => verifier.verify(body, headersFor(secret, 'd-1', new Date(now.getTime() - 3_600_000))),
    ];

    for (const verify of refused) expect(verify).toThrow(WebhookVerificationError);
  });
});
