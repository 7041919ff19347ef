/**
 * A personal API key as listed: never its secret, which is shown once, at creation. `prefix` is
 * the secret's first characters (`vg_` and a few more), enough to tell keys apart.
 */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  /** `null` until the key is first used. */
  lastUsedAt: string | null;
  /** `null` for a key that does not expire. */
  expiresAt: string | null;
}

export interface CreateApiKeyRequest {
  name: string;
  /** ISO 8601 date-time in the future; omitted for a key that does not expire. */
  expiresAt?: string;
}

/** The answer to a creation: the one time the secret is ever shown. */
export interface CreatedApiKeyResponse {
  apiKey: ApiKey;
  secret: string;
}

export interface ApiKeyListResponse {
  items: ApiKey[];
}

/** Every key secret starts with this, so that scanners and people recognise one. */
export const API_KEY_PREFIX = 'vg_';

/** The longest name of a key. */
export const API_KEY_NAME_MAX_LENGTH = 100;

/** The most keys one account may hold at once, expired ones included (they stay until revoked). */
export const API_KEYS_PER_USER_MAX = 50;
