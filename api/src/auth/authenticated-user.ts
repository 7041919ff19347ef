import { UserEntity } from '../users/user.entity';

/** Who made the request, set on the request by the JWT strategy. */
export interface AuthenticatedUser {
  user: UserEntity;
  sessionId: string;
  /** When the token stops being accepted (its `exp`); the session row may end it sooner. */
  expiresAt: Date;
  via: 'bearer' | 'cookie';
}

export interface AccessTokenPayload {
  sub: string;
  sid: string;
}
