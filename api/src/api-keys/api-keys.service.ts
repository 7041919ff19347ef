import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { API_KEYS_PER_USER_MAX, CreateApiKeyRequest } from '@vidgen/contracts';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApiKeyPrincipal } from '../auth/authenticated-user';
import {
  NotFoundError,
  TooManyApiKeysError,
  UnauthenticatedError,
  ValidationError,
} from '../common/errors/domain-errors';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyView } from './api-key.presenter';
import { generateSecret, hashSecret, isSecretShaped, visiblePrefix } from './api-key-secret';
import { ApiKeysRepository } from './api-keys.repository';
import { CreatedApiKeyView } from './dto/api-key.dto';

/** One answer for a key that is wrong, revoked or expired: which one is no business of its holder. */
export const API_KEY_REFUSED = 'This API key is not valid: it is wrong, revoked or expired.';

/** `lastUsedAt` is kept to the minute: a busy key costs one write a minute, not one a request. */
const USE_RECORDED_EVERY_MS = 60_000;

/** MySQL's DATETIME ends with the year 9999. */
const LATEST_EXPIRY = Date.UTC(10_000, 0, 1);

@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeysRepository,
  ) {}

  /** A new key for the user; its secret is in this answer and nowhere else, ever. */
  async create(
    userId: string,
    { name, expiresAt }: CreateApiKeyRequest,
    now = new Date(),
  ): Promise<CreatedApiKeyView> {
    const secret = generateSecret();
    const key: ApiKeyEntity = {
      id: randomUUID(),
      userId,
      name,
      prefix: visiblePrefix(secret),
      secretHash: hashSecret(secret),
      createdAt: now,
      lastUsedAt: null,
      expiresAt: expiresAt === undefined ? null : expiryOf(expiresAt, now),
    };
    await this.dataSource.transaction(async (manager) => {
      await this.keys.lockOwner(userId, manager);
      if ((await this.keys.countOwned(userId, manager)) >= API_KEYS_PER_USER_MAX) {
        throw new TooManyApiKeysError(API_KEYS_PER_USER_MAX);
      }
      await this.keys.insert(key, manager);
    });
    return { apiKey: ApiKeyView.from(key), secret };
  }

  async list(userId: string): Promise<ApiKeyView[]> {
    return (await this.keys.listOwned(userId)).map((key) => ApiKeyView.from(key));
  }

  /** Deletes the key: the next request made with it is refused, on every API process. */
  async revoke(id: string, userId: string): Promise<void> {
    if (!(await this.keys.deleteOwned(id, userId))) {
      throw new NotFoundError('There is no API key with this id.');
    }
  }

  /** The key's owner, for a request sent with `secret`; UnauthenticatedError for any other secret. */
  async authenticate(secret: string, now = new Date()): Promise<ApiKeyPrincipal> {
    const found = isSecretShaped(secret)
      ? await this.keys.findUsable(hashSecret(secret), now)
      : null;
    if (!found) throw new UnauthenticatedError(API_KEY_REFUSED);
    const { key, user } = found;
    await this.recordUse(key, now);
    return { user, apiKeyId: key.id, expiresAt: key.expiresAt, via: 'api-key' };
  }

  /** Whether a stream opened with the key may go on: the key still exists and has not expired. */
  isActive(apiKeyId: string, userId: string): Promise<boolean> {
    return this.keys.isUsable(apiKeyId, userId, new Date());
  }

  /** A failure to record a use is logged, and the request goes on: the key is valid. */
  private async recordUse(key: ApiKeyEntity, now: Date): Promise<void> {
    const staleBefore = new Date(now.getTime() - USE_RECORDED_EVERY_MS);
    if (key.lastUsedAt && key.lastUsedAt >= staleBefore) return;
    try {
      await this.keys.recordUse(key.id, now, staleBefore);
    } catch (error) {
      this.logger.warn({
        msg: 'Could not record the use of an API key',
        apiKeyId: key.id,
        err: String(error),
      });
    }
  }
}

/** `expiresAt` as validated (an RFC 3339 date-time), if it is in the future. */
function expiryOf(expiresAt: string, now: Date): Date {
  const expiry = new Date(expiresAt);
  if (expiry <= now) {
    throw ValidationError.field('expiresAt', 'expiresAt must be in the future.');
  }
  if (expiry.getTime() >= LATEST_EXPIRY) {
    throw ValidationError.field('expiresAt', 'expiresAt must be before the year 10000.');
  }
  return expiry;
}
