import { Body, Controller, Get, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/swagger/api-error.view';
import { UserView } from '../users/user.presenter';
import { UserResponse } from '../users/dto/user-responses';
import { Authenticated, CurrentSession, CurrentUser, Public, SessionOnly } from './auth.decorators';
import { AuthService, SignedIn } from './auth.service';
import { AuthenticatedUser, SessionPrincipal } from './authenticated-user';
import { AuthResponseView, LoginDto, RegisterDto } from './dto/auth.dto';
import { SessionCookies } from './session-cookies';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: SessionCookies,
  ) {}

  @Post('register')
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: 'Create an account and log in (sets the session cookie).' })
  @ApiCreatedResponse({ type: AuthResponseView })
  @ApiErrors(400, 409, 413, 429)
  async register(
    @Body() body: RegisterDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponseView> {
    return this.signedIn(await this.auth.register(body), reply);
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @UseGuards(ThrottlerGuard)
  @ApiOperation({
    summary: 'Log in (sets the session cookie). One message for a wrong email or password.',
  })
  @ApiOkResponse({ type: AuthResponseView })
  @ApiErrors(400, 401, 429)
  async login(
    @Body() body: LoginDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthResponseView> {
    return this.signedIn(await this.auth.login(body), reply);
  }

  @Post('logout')
  @HttpCode(204)
  // A key has no session to end; answering 204 would let its holder believe it had stopped working.
  @SessionOnly(
    'An API key cannot log out: it works until it is revoked (on the Profile page) or expires.',
  )
  @ApiOperation({ summary: 'End this session: the token stops working and the cookie is cleared.' })
  @ApiNoContentResponse()
  async logout(
    @CurrentSession() principal: SessionPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(principal);
    this.cookies.clear(reply);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The logged-in user.' })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() principal: AuthenticatedUser): UserResponse {
    return { user: UserView.from(principal.user) };
  }

  private signedIn({ user, session }: SignedIn, reply: FastifyReply): AuthResponseView {
    this.cookies.set(reply, session);
    return {
      user: UserView.from(user),
      accessToken: session.accessToken,
      expiresIn: session.expiresIn,
    };
  }
}
