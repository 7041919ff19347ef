import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import {
  DomainError,
  SessionRequiredError,
  UnauthenticatedError,
} from '../common/errors/domain-errors';
import { IS_PUBLIC, SESSION_ONLY } from './auth.decorators';
import { AuthenticatedUser } from './authenticated-user';

/**
 * Applied to every route; `@Public()` opts out. An API key (`Bearer vg_...`) is judged by the key
 * strategy alone; anything else by the JWT strategy (Bearer token or session cookie). A valid key
 * on a `@SessionOnly()` route is refused with 403.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard(['api-key', 'jwt']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    return this.metadata<boolean>(IS_PUBLIC, context) || super.canActivate(context);
  }

  override handleRequest<T>(
    error: unknown,
    principal: T,
    _info: unknown,
    context: ExecutionContext,
  ): T {
    if (error instanceof DomainError) throw error;
    if (error || !principal) throw new UnauthenticatedError();
    const sessionOnly = this.metadata<string>(SESSION_ONLY, context);
    if (sessionOnly && (principal as Partial<AuthenticatedUser>).via === 'api-key') {
      throw new SessionRequiredError(sessionOnly);
    }
    return principal;
  }

  private metadata<T>(key: string, context: ExecutionContext): T | undefined {
    return this.reflector.getAllAndOverride<T>(key, [context.getHandler(), context.getClass()]);
  }
}
