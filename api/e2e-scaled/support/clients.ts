import { ApiRoutes } from '@vidgen/contracts';
import { randomInt } from 'node:crypto';
import type { TestApp } from '../../e2e/support/app';
import { anonymous, sessionFrom } from '../../e2e/support/http';
import { CreatedUser, uniqueEmail, uniquePassword } from '../../e2e/support/users';

/**
 * A client address of its own, for X-Forwarded-For on a cluster that trusts one proxy
 * (TRUST_PROXY=1): each simulated client then has its own count in the per-IP auth throttle.
 */
export function clientAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** Registers a new user from a client address of its own; the session that came with it. */
export async function signUp(api: TestApp, address = clientAddress()): Promise<CreatedUser> {
  const body = { email: uniqueEmail(), password: uniquePassword() };
  const response = await anonymous(api)
    .post(ApiRoutes.register)
    .set('X-Forwarded-For', address)
    .send(body);
  if (response.status !== 201) {
    throw new Error(
      `signUp: expected 201, got ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  return { ...sessionFrom(response), user: response.body.user, ...body };
}
