import { ApiRoutes, RegisterRequest, User } from '@vidgen/contracts';
import { randomBytes } from 'node:crypto';
import { TestApp } from './app';
import { anonymous, Session, sessionFrom } from './http';

export interface CreatedUser extends Session {
  user: User;
  email: string;
  password: string;
}

/** An address no other test uses, so tests never depend on each other's accounts. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(6).toString('hex')}@example.com`;
}

export function uniquePassword(): string {
  return `pw-${randomBytes(9).toString('base64url')}`;
}

/** Registers a new user through the API and returns the session that came with it. */
export async function createUser(
  api: TestApp,
  overrides: Partial<RegisterRequest> = {},
): Promise<CreatedUser> {
  const body = { email: uniqueEmail(), password: uniquePassword(), ...overrides };
  const response = await anonymous(api).post(ApiRoutes.register).send(body);
  if (response.status !== 201) {
    throw new Error(
      `createUser: expected 201, got ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  return {
    ...sessionFrom(response),
    user: response.body.user,
    email: body.email,
    password: body.password,
  };
}

/** Logs in again: a second, independent session of the same user. */
export async function logIn(api: TestApp, email: string, password: string): Promise<Session> {
  const response = await anonymous(api).post(ApiRoutes.login).send({ email, password });
  if (response.status !== 200) {
    throw new Error(
      `logIn: expected 200, got ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
  return sessionFrom(response);
}

/** The stored password hash, read from the database itself. */
export async function storedPasswordHash(api: TestApp, email: string): Promise<string | undefined> {
  const rows = await api.db.select<{ password_hash: string }>(
    'SELECT password_hash FROM users WHERE email = ?',
    [email],
  );
  return rows[0]?.password_hash;
}
