import { ApiRoutes, CreateApiKeyRequest, CreatedApiKeyResponse } from '@vidgen/contracts';
import { TestApp } from './app';
import { Session, withBearer } from './http';

/** A key as its creator holds it; `accessToken` is its secret, so it goes where a session does. */
export interface CreatedApiKey extends CreatedApiKeyResponse {
  accessToken: string;
}

/** POST /api/api-keys with the owner's session, which must answer 201. */
export async function createApiKey(
  api: TestApp,
  owner: Pick<Session, 'accessToken'>,
  body: Partial<CreateApiKeyRequest> = {},
): Promise<CreatedApiKey> {
  const response = await withBearer(api, owner)
    .post(ApiRoutes.apiKeys)
    .send({ name: 'e2e key', ...body });
  if (response.status !== 201) {
    throw new Error(
      `createApiKey: expected 201, got ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  const created = response.body as CreatedApiKeyResponse;
  return { ...created, accessToken: created.secret };
}
