import { UserEntity } from '../users/user.entity';

/** Who made the request, set on the request by the JWT strategy. */
export interface AuthenticatedUser {
  user: UserEntity;
  sessionId: string;
  via: 'bearer' | 'cookie';
}

export interface AccessTokenPayload {
  sub: string;
  sid: string;
}
