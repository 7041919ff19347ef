import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { API_KEYS_PER_USER_MAX } from '@vidgen/contracts';
import { CurrentUser, SessionOnly } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { UuidParam } from '../common/http/uuid-param';
import { ApiErrors, errorResponse } from '../common/swagger/api-error.view';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyListView, CreateApiKeyDto, CreatedApiKeyView } from './dto/api-key.dto';

const ApiKeyId = () => UuidParam('id', 'There is no API key with this id.');

/** Keys are made and revoked by the person: a leaked key must not be able to make more. */
@ApiTags('api-keys')
@Controller('api-keys')
@SessionOnly('API keys cannot manage API keys; sign in with your password.')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    summary:
      'Create an API key. The answer holds its secret, the one time it is shown: only a hash is kept.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  @ApiErrors(400)
  @ApiResponse({
    status: 409,
    ...errorResponse(
      409,
      `The account already holds ${API_KEYS_PER_USER_MAX} keys, the most it may (\`TOO_MANY_API_KEYS\`).`,
    ),
  })
  create(
    @CurrentUser() principal: AuthenticatedUser,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    return this.apiKeys.create(principal.user.id, body);
  }

  @Get()
  @ApiOperation({ summary: "The caller's API keys, newest first, without their secrets." })
  @ApiOkResponse({ type: ApiKeyListView })
  async list(@CurrentUser() principal: AuthenticatedUser): Promise<ApiKeyListView> {
    return { items: await this.apiKeys.list(principal.user.id) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an API key: from the next request on, on every server, it is refused.',
  })
  @ApiResponse({ status: 204 })
  @ApiErrors(404)
  revoke(@CurrentUser() principal: AuthenticatedUser, @ApiKeyId() id: string): Promise<void> {
    return this.apiKeys.revoke(id, principal.user.id);
  }
}
