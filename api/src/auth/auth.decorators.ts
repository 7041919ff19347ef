import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiResponse } from '@nestjs/swagger';
import { SessionRequiredError } from '../common/errors/domain-errors';
import { ApiErrors, errorResponse } from '../common/swagger/api-error.view';
import { AuthenticatedUser, SessionPrincipal } from './authenticated-user';

export const IS_PUBLIC = 'isPublic';
/** Set by @SessionOnly(): the answer to an API key there. */
export const SESSION_ONLY = 'sessionOnly';

/** The name of the session-cookie security scheme in the OpenAPI document. */
export const COOKIE_SCHEME = 'cookie';
/** The name of the API-key security scheme in the OpenAPI document. */
export const API_KEY_SCHEME = 'api-key';

/** Opens a route to anonymous callers; every other route needs a session or an API key. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Documents a route as open to a session, by Bearer token or by cookie, and to an API key. */
export const Authenticated = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiCookieAuth(COOKIE_SCHEME),
    ApiBearerAuth(API_KEY_SCHEME),
    ApiErrors(401, 403),
  );

/**
 * Closes a route to API keys: only the person, signed in with their password, may use it. The
 * global guard answers a key with 403 SESSION_REQUIRED and `message`, once the key is known to be
 * valid (an invalid one still gets 401).
 */
export const SessionOnly = (message: string) =>
  applyDecorators(
    SetMetadata(SESSION_ONLY, message),
    ApiBearerAuth(),
    ApiCookieAuth(COOKIE_SCHEME),
    ApiErrors(401),
    ApiResponse({
      status: 403,
      ...errorResponse(
        403,
        'Sent with an API key (`SESSION_REQUIRED`): this needs a session. Or a cookie-authenticated write without a valid X-XSRF-TOKEN header.',
      ),
    }),
  );

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser =>
    context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user,
);

/** The caller of a @SessionOnly() route, known to be a session. */
export const CurrentSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SessionPrincipal => {
    const principal = context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user;
    // The guard has refused keys on @SessionOnly() routes already; this keeps a route that lacks
    // it from handing a key to code that acts on a session.
    if (principal.via === 'api-key') throw new SessionRequiredError();
    return principal;
  },
);
