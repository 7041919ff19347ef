import { Injectable } from '@nestjs/common';
import { CSRF_COOKIE, SESSION_COOKIE } from '@vidgen/contracts';
// Brings in the reply.setCookie / clearCookie types.
import type {} from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../config/app-config';
import { IssuedSession } from './sessions.service';

/**
 * The browser's copy of a session: the token in an httpOnly cookie scripts cannot read, and the
 * CSRF token in a readable cookie that the web app echoes in a header on writes.
 */
@Injectable()
export class SessionCookies {
  constructor(private readonly config: AppConfig) {}

  set(reply: FastifyReply, session: IssuedSession): void {
    const options = this.options(session.expiresIn);
    reply.setCookie(SESSION_COOKIE, session.accessToken, { ...options, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...options, httpOnly: false });
  }

  clear(reply: FastifyReply): void {
    const options = this.options(0);
    reply.clearCookie(SESSION_COOKIE, { ...options, httpOnly: true });
    reply.clearCookie(CSRF_COOKIE, { ...options, httpOnly: false });
  }

  private options(maxAgeSeconds: number) {
    return {
      path: '/',
      sameSite: 'lax' as const,
      secure: this.config.secureCookies,
      maxAge: maxAgeSeconds,
    };
  }
}
