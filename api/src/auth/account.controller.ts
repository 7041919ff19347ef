import { Body, Controller, Delete, HttpCode, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/swagger/api-error.view';
import { Authenticated, CurrentUser } from './auth.decorators';
import { AuthService } from './auth.service';
import { AuthenticatedUser } from './authenticated-user';
import { ChangePasswordDto, DeleteAccountDto } from './dto/account.dto';
import { SessionCookies } from './session-cookies';

/**
 * The credential operations of the profile. They live with Auth, under the Users paths of the
 * contract, because they verify passwords and revoke sessions.
 */
@ApiTags('users')
@Controller('users/me')
@Authenticated()
export class AccountController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: SessionCookies,
  ) {}

  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the password; every other session is logged out.' })
  @ApiNoContentResponse()
  @ApiErrors(400)
  changePassword(
    @CurrentUser() principal: AuthenticatedUser,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    return this.auth.changePassword(principal, body.currentPassword, body.newPassword);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the account and everything it owns. Needs the password.' })
  @ApiNoContentResponse()
  @ApiErrors(400)
  async deleteAccount(
    @CurrentUser() principal: AuthenticatedUser,
    @Body() body: DeleteAccountDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.deleteAccount(principal, body.password);
    this.cookies.clear(reply);
  }
}
