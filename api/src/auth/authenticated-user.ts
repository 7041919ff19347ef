import { UserEntity } from '../users/user.entity';

/**
 * Who made the request, set on the request by the strategy that accepted its credential: a
 * session (a person signed in with their password) or one of the person's API keys (a program).
 */
export type AuthenticatedUser = SessionPrincipal | ApiKeyPrincipal;

export interface SessionPrincipal {
  user: UserEntity;
  sessionId: string;
  /** When the token stops being accepted (its `exp`); the session row may end it sooner. */
  expiresAt: Date;
  via: 'bearer' | 'cookie';
}

export interface ApiKeyPrincipal {
  user: UserEntity;
  apiKeyId: string;
  /** When the key stops being accepted; null for a key that does not expire. */
  expiresAt: Date | null;
  via: 'api-key';
}

export interface AccessTokenPayload {
  sub: string;
  sid: string;
}
