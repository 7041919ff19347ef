import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import { ApiErrors } from '../common/swagger/api-error.view';
import { AuthenticatedUser } from './authenticated-user';

export const IS_PUBLIC = 'isPublic';

/** The name of the session-cookie security scheme in the OpenAPI document. */
export const COOKIE_SCHEME = 'cookie';

/** Opens a route to anonymous callers; every other route needs a session. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Documents a route as needing a session, by Bearer token or by cookie. */
export const Authenticated = () =>
  applyDecorators(ApiBearerAuth(), ApiCookieAuth(COOKIE_SCHEME), ApiErrors(401, 403));

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser =>
    context.switchToHttp().getRequest<{ user: AuthenticatedUser }>().user,
);
