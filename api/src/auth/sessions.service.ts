import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { UserEntity } from '../users/user.entity';
import { AccessTokenPayload } from './authenticated-user';
import { SessionsRepository } from './sessions.repository';

export const JWT_SECRET = Symbol('JWT_SECRET');

/** The answer to a token whose session is over, whatever ended it. */
export const SESSION_ENDED = 'Your session has ended. Log in again.';

export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  expiresIn: number;
  csrfToken: string;
}

/** Creates, checks and revokes sessions, and derives the tokens tied to them. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    @Inject(JWT_SECRET) private readonly secret: string,
  ) {}

  /**
   * `user` as read before its password was checked: a password change in between bumps the
   * credential version, and the session is then born inactive.
   */
  async issue(
    user: Pick<UserEntity, 'id' | 'credentialVersion'>,
    manager?: EntityManager,
  ): Promise<IssuedSession> {
    const now = new Date();
    const expiresIn = this.config.accessTokenTtlSeconds;
    const sessionId = randomUUID();
    await this.sessions.insert(
      {
        id: sessionId,
        userId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + expiresIn * 1000),
        credentialVersion: user.credentialVersion,
      },
      manager,
    );
    const payload: AccessTokenPayload = { sub: user.id, sid: sessionId };
    const accessToken = await this.jwt.signAsync(payload, { expiresIn });
    return { sessionId, accessToken, expiresIn, csrfToken: this.csrfTokenFor(sessionId) };
  }

  /**
   * The session's user while the session exists, belongs to them, has not expired and was issued
   * under their current password; null once any of that stops being true.
   */
  activeUser(sessionId: string, userId: string): Promise<UserEntity | null> {
    return this.sessions.findActiveUser(sessionId, userId, new Date());
  }

  async isActive(sessionId: string, userId: string): Promise<boolean> {
    return (await this.activeUser(sessionId, userId)) !== null;
  }

  revoke(sessionId: string): Promise<void> {
    return this.sessions.delete(sessionId);
  }

  /** After a password change: the kept session moves to the new credential version. */
  revokeOthers(
    userId: string,
    keepSessionId: string,
    credentialVersion: number,
    manager?: EntityManager,
  ): Promise<void> {
    return this.sessions.keepOnly(userId, keepSessionId, credentialVersion, manager);
  }

  pruneExpired(userId: string): Promise<void> {
    return this.sessions.deleteExpired(userId, new Date());
  }

  /** Bound to the session, so a token read from one session is useless for another. */
  csrfTokenFor(sessionId: string): string {
    return createHmac('sha256', this.secret).update(`csrf:${sessionId}`).digest('base64url');
  }

  isValidCsrfToken(sessionId: string, token: string | undefined): boolean {
    if (!token) return false;
    const expected = Buffer.from(this.csrfTokenFor(sessionId));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
