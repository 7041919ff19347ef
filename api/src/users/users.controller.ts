import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { ApiErrors } from '../common/swagger/api-error.view';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { ProfileView, UserResponse } from './dto/user-responses';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users/me')
@Authenticated()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'The profile of the logged-in user, with usage figures.' })
  @ApiOkResponse({ type: ProfileView })
  profile(@CurrentUser() principal: AuthenticatedUser): Promise<ProfileView> {
    return this.users.getProfile(principal.user.id);
  }

  @Patch()
  @ApiOperation({ summary: 'Change the display name.' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400)
  async update(
    @CurrentUser() principal: AuthenticatedUser,
    @Body() body: UpdateProfileDto,
  ): Promise<UserResponse> {
    return { user: await this.users.updateProfile(principal.user.id, body.displayName) };
  }
}
