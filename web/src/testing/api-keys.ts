import { ApiKey } from '@vidgen/contracts';

export const API_KEY_ID = '3c9e7b21-5a4f-4d8e-b1c6-7f2a9d0e4b58';

/** A key in use that never expires. */
export function anApiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: API_KEY_ID,
    name: 'Render farm',
    prefix: 'vg_7Qm2xK',
    createdAt: '2026-03-14T09:26:53.000Z',
    lastUsedAt: '2026-03-20T17:02:11.000Z',
    expiresAt: null,
    ...overrides,
  };
}

/** What a creation answers: the secret, which starts with the key's prefix. */
export const A_SECRET = 'vg_7Qm2xKpL9vR4tW8yZ1aB3cD5eF6gH0jN2kM4nP6qS8';
