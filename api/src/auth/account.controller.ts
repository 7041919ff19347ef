import { Body, Controller, Delete, HttpCode, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/swagger/api-error.view';
import { CurrentSession, SessionOnly } from './auth.decorators';
import { AuthService } from './auth.service';
import { SessionPrincipal } from './authenticated-user';
import { ChangePasswordDto, DeleteAccountDto } from './dto/account.dto';
import { SessionCookies } from './session-cookies';

/**
 * The credential operations of the profile. They live with Auth, under the Users paths of the
 * contract, because they verify passwords and revoke sessions. Each needs the password anyway,
 * which programs holding an API key are not meant to have.
 */
@ApiTags('users')
@Controller('users/me')
export class AccountController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: SessionCookies,
  ) {}

  @Post('password')
  @HttpCode(204)
  @SessionOnly('API keys cannot change the password; sign in with your password.')
  @ApiOperation({ summary: 'Change the password; every other session is logged out.' })
  @ApiNoContentResponse()
  @ApiErrors(400)
  changePassword(
    @CurrentSession() principal: SessionPrincipal,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    return this.auth.changePassword(principal, body.currentPassword, body.newPassword);
  }

  @Delete()
  @HttpCode(204)
  @SessionOnly('API keys cannot delete the account; sign in with your password.')
  @ApiOperation({ summary: 'Delete the account and everything it owns. Needs the password.' })
  @ApiNoContentResponse()
  @ApiErrors(400)
  async deleteAccount(
    @CurrentSession() principal: SessionPrincipal,
    @Body() body: DeleteAccountDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.deleteAccount(principal, body.password);
    this.cookies.clear(reply);
  }
}
