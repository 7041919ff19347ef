import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { CSRF_HEADER, SESSION_COOKIE } from '@vidgen/contracts';
import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { CsrfTokenError, UnauthenticatedError } from '../common/errors/domain-errors';
import { AccessTokenPayload, AuthenticatedUser } from './authenticated-user';
import { JWT_SECRET, SESSION_ENDED, SessionsService } from './sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const fromBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/** A Bearer header wins over the cookie: API clients never need CSRF tokens. */
function extractToken(request: FastifyRequest): string | null {
  if (request.headers.authorization) return fromBearer(request as never);
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly sessions: SessionsService,
    @Inject(JWT_SECRET) secret: string,
  ) {
    super({
      jwtFromRequest: extractToken as never,
      secretOrKey: secret,
      algorithms: ['HS256'],
      passReqToCallback: true,
    });
  }

  async validate(
    request: FastifyRequest,
    payload: AccessTokenPayload & { exp?: unknown },
  ): Promise<AuthenticatedUser> {
    const via = request.headers.authorization ? 'bearer' : 'cookie';
    // A token must name its session, or it could never be revoked, and must expire, or a
    // stream opened with it could outlive it unnoticed.
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.sid !== 'string' ||
      typeof payload.exp !== 'number'
    ) {
      throw new UnauthenticatedError(SESSION_ENDED);
    }
    const user = await this.sessions.activeUser(payload.sid, payload.sub);
    if (!user) throw new UnauthenticatedError(SESSION_ENDED);
    if (via === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER.toLowerCase()];
      if (
        !this.sessions.isValidCsrfToken(
          payload.sid,
          typeof header === 'string' ? header : undefined,
        )
      ) {
        throw new CsrfTokenError();
      }
    }
    return { user, sessionId: payload.sid, expiresAt: new Date(payload.exp * 1000), via };
  }
}
