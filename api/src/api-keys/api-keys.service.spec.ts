import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { API_KEYS_PER_USER_MAX, FieldError } from '@vidgen/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service';
import {
  NotFoundError,
  TooManyApiKeysError,
  UnauthenticatedError,
  ValidationError,
} from '../common/errors/domain-errors';
import { createTestingAppModule } from '../testing/test-app-module';
import { ApiKeyEntity } from './api-key.entity';
import { generateSecret } from './api-key-secret';
import { ApiKeysService } from './api-keys.service';

const MINUTE_MS = 60_000;

describe('ApiKeysService', () => {
  let moduleRef: TestingModule;
  let apiKeys: ApiKeysService;
  let dataSource: DataSource;

  beforeAll(async () => {
    moduleRef = await createTestingAppModule();
    apiKeys = moduleRef.get(ApiKeysService);
    dataSource = moduleRef.get(getDataSourceToken());
  });

  afterAll(() => moduleRef.close());

  async function newUser(): Promise<string> {
    const { user } = await moduleRef
      .get(AuthService)
      .register({ email: `keys-${randomUUID()}@example.com`, password: 'password-1' });
    return user.id;
  }

  const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

  async function fieldsOf(attempt: Promise<unknown>): Promise<FieldError[]> {
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details;
  }

  it('shows a new secret once, and keeps only its hash and its first characters', async () => {
    const userId = await newUser();

    const { apiKey, secret } = await apiKeys.create(userId, { name: 'CI' });

    expect(secret).toMatch(/^vg_[0-9A-Za-z]{43}$/);
    expect(apiKey).toEqual({
      id: expect.any(String),
      name: 'CI',
      prefix: secret.slice(0, 9),
      createdAt: expect.any(String),
      lastUsedAt: null,
      expiresAt: null,
    });
    const row = await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: apiKey.id });
    expect(row.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(Object.values(row).some((value) => String(value).includes(secret.slice(9)))).toBe(false);
    expect(await apiKeys.list(userId)).toEqual([apiKey]);
  });

  it('lists only the caller’s keys, newest first', async () => {
    const userId = await newUser();
    const other = await newUser();
    const start = new Date();
    const first = await apiKeys.create(userId, { name: 'first' }, start);
    const second = await apiKeys.create(userId, { name: 'second' }, later(start, 1000));
    await apiKeys.create(other, { name: 'not yours' });

    expect((await apiKeys.list(userId)).map((key) => key.id)).toEqual([
      second.apiKey.id,
      first.apiKey.id,
    ]);
  });

  it('refuses an expiry that is not in the future, naming expiresAt', async () => {
    const userId = await newUser();
    const now = new Date();

    for (const expiresAt of [now.toISOString(), later(now, -MINUTE_MS).toISOString()]) {
      expect(await fieldsOf(apiKeys.create(userId, { name: 'late', expiresAt }, now))).toEqual([
        { field: 'expiresAt', message: 'expiresAt must be in the future.' },
      ]);
    }
    expect(
      await fieldsOf(
        apiKeys.create(userId, { name: 'far', expiresAt: '9999-12-31T23:00:00-05:00' }),
      ),
    ).toEqual([{ field: 'expiresAt', message: 'expiresAt must be before the year 10000.' }]);
    expect(await apiKeys.list(userId)).toEqual([]);
  });

  it(`holds at most ${API_KEYS_PER_USER_MAX} keys per account; revoking one makes room`, async () => {
    const userId = await newUser();
    const made = [];
    for (let n = 0; n < API_KEYS_PER_USER_MAX; n++) {
      made.push(await apiKeys.create(userId, { name: `key ${n}` }));
    }

    await expect(apiKeys.create(userId, { name: 'one too many' })).rejects.toBeInstanceOf(
      TooManyApiKeysError,
    );
    // Counted per account: another one still gets its own.
    await apiKeys.create(await newUser(), { name: 'elsewhere' });

    await apiKeys.revoke(made[0].apiKey.id, userId);
    await apiKeys.create(userId, { name: 'in its place' });
    expect(await apiKeys.list(userId)).toHaveLength(API_KEYS_PER_USER_MAX);
  });

  it('authenticates a request as the key’s owner', async () => {
    const userId = await newUser();
    const { apiKey, secret } = await apiKeys.create(userId, { name: 'script' });

    const principal = await apiKeys.authenticate(secret);

    expect(principal).toEqual({
      user: expect.objectContaining({ id: userId }),
      apiKeyId: apiKey.id,
      expiresAt: null,
      via: 'api-key',
    });
    expect(await apiKeys.isActive(apiKey.id, userId)).toBe(true);
  });

  it('refuses a wrong, malformed, revoked or expired key with the same error', async () => {
    const userId = await newUser();
    const now = new Date();
    const revoked = await apiKeys.create(userId, { name: 'revoked' }, now);
    await apiKeys.revoke(revoked.apiKey.id, userId);
    const expiring = await apiKeys.create(
      userId,
      { name: 'expiring', expiresAt: later(now, MINUTE_MS).toISOString() },
      now,
    );
    expect((await apiKeys.authenticate(expiring.secret, now)).expiresAt).toEqual(
      later(now, MINUTE_MS),
    );

    const attempts = [
      apiKeys.authenticate(generateSecret()),
      apiKeys.authenticate(`${revoked.secret}x`),
      apiKeys.authenticate('vg_'),
      apiKeys.authenticate(revoked.secret),
      apiKeys.authenticate(expiring.secret, later(now, MINUTE_MS)),
    ];
    const errors = await Promise.all(attempts.map((attempt) => attempt.catch((e: unknown) => e)));

    for (const error of errors) expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(new Set(errors.map((error) => (error as Error).message)).size).toBe(1);
    expect(await apiKeys.isActive(revoked.apiKey.id, userId)).toBe(false);
  });

  it('tells a stream whether its key still holds: not once revoked or expired, never for another user', async () => {
    const userId = await newUser();
    const { apiKey } = await apiKeys.create(userId, {
      name: 'soon over',
      expiresAt: later(new Date(), 1500).toISOString(),
    });

    expect(await apiKeys.isActive(apiKey.id, userId)).toBe(true);
    expect(await apiKeys.isActive(apiKey.id, await newUser())).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await apiKeys.isActive(apiKey.id, userId)).toBe(false);
  });

  it('records a use at most once a minute', async () => {
    const userId = await newUser();
    const start = new Date();
    const { secret } = await apiKeys.create(userId, { name: 'busy' }, start);
    const lastUsed = async () => (await apiKeys.list(userId))[0].lastUsedAt;

    await apiKeys.authenticate(secret, later(start, 1000));
    expect(await lastUsed()).toBe(later(start, 1000).toISOString());

    await apiKeys.authenticate(secret, later(start, 30_000));
    await apiKeys.authenticate(secret, later(start, 60_000));
    expect(await lastUsed()).toBe(later(start, 1000).toISOString());

    await apiKeys.authenticate(secret, later(start, 61_500));
    expect(await lastUsed()).toBe(later(start, 61_500).toISOString());
  });

  it('revokes only the caller’s own keys: another user’s or an unknown id is not found', async () => {
    const userId = await newUser();
    const { apiKey, secret } = await apiKeys.create(userId, { name: 'mine' });

    await expect(apiKeys.revoke(apiKey.id, await newUser())).rejects.toBeInstanceOf(NotFoundError);
    await expect(apiKeys.revoke(randomUUID(), userId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await apiKeys.authenticate(secret)).apiKeyId).toBe(apiKey.id);

    await apiKeys.revoke(apiKey.id, userId);
    await expect(apiKeys.revoke(apiKey.id, userId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await apiKeys.list(userId)).toEqual([]);
  });
});
