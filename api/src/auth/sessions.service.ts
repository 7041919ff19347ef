import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AccessTokenPayload } from './authenticated-user';
import { SessionsRepository } from './sessions.repository';

export const JWT_SECRET = Symbol('JWT_SECRET');

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

  async issue(userId: string, manager?: EntityManager): Promise<IssuedSession> {
    const now = new Date();
    const expiresIn = this.config.accessTokenTtlSeconds;
    const sessionId = randomUUID();
    await this.sessions.insert(
      {
        id: sessionId,
        userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + expiresIn * 1000),
      },
      manager,
    );
    const payload: AccessTokenPayload = { sub: userId, sid: sessionId };
    const accessToken = await this.jwt.signAsync(payload, { expiresIn });
    return { sessionId, accessToken, expiresIn, csrfToken: this.csrfTokenFor(sessionId) };
  }

  /** True when the session exists, belongs to the user and has not expired. */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const session = await this.sessions.findById(sessionId);
    return !!session && session.userId === userId && session.expiresAt.getTime() > Date.now();
  }

  revoke(sessionId: string): Promise<void> {
    return this.sessions.delete(sessionId);
  }

  revokeOthers(userId: string, keepSessionId: string): Promise<void> {
    return this.sessions.deleteOthers(userId, keepSessionId);
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
