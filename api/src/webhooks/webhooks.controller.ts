import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { WEBHOOKS_PER_USER_MAX } from '@vidgen/contracts';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import { AuthenticatedUser } from '../auth/authenticated-user';
import { UuidParam } from '../common/http/uuid-param';
import { ApiErrors, errorResponse } from '../common/swagger/api-error.view';
import {
  CreatedWebhookView,
  CreateWebhookDto,
  ListWebhookDeliveriesQuery,
  UpdateWebhookDto,
  WebhookDeliveryListView,
  WebhookListView,
  WebhookTestView,
} from './dto/webhook.dto';
import { WebhookView } from './webhook.presenter';
import { WebhooksService } from './webhooks.service';

const WebhookId = () => UuidParam('id', 'There is no webhook with this id.');

@ApiTags('webhooks')
@Controller('webhooks')
@Authenticated()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary:
      'Register an endpoint for video events. The answer holds its signing secret, the one time it is shown.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  @ApiErrors(400)
  @ApiResponse({
    status: 409,
    ...errorResponse(
      409,
      `The account already holds ${WEBHOOKS_PER_USER_MAX} webhooks, the most it may (\`INVALID_STATE\`).`,
    ),
  })
  create(
    @CurrentUser() principal: AuthenticatedUser,
    @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookView> {
    return this.webhooks.create(principal.user.id, body);
  }

  @Get()
  @ApiOperation({ summary: "The caller's webhooks, newest first, without their secrets." })
  @ApiOkResponse({ type: WebhookListView })
  async list(@CurrentUser() principal: AuthenticatedUser): Promise<WebhookListView> {
    return { items: await this.webhooks.list(principal.user.id) };
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Change the URL or the events, or turn the webhook off or on again (which clears `disabledReason`).',
  })
  @ApiOkResponse({ type: WebhookView })
  @ApiErrors(400, 404)
  update(
    @CurrentUser() principal: AuthenticatedUser,
    @WebhookId() id: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookView> {
    return this.webhooks.update(id, principal.user.id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the webhook and its log; pending deliveries are not sent.' })
  @ApiResponse({ status: 204 })
  @ApiErrors(404)
  delete(@CurrentUser() principal: AuthenticatedUser, @WebhookId() id: string): Promise<void> {
    return this.webhooks.delete(id, principal.user.id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Send a `webhook.test` event now. Answers with the delivery after its first try (at most 10 s); it is logged and retried like any other.',
  })
  @ApiOkResponse({ type: WebhookTestView })
  @ApiErrors(404)
  @ApiResponse({
    status: 409,
    ...errorResponse(409, 'The webhook is disabled: enable it first (`INVALID_STATE`).'),
  })
  sendTest(
    @CurrentUser() principal: AuthenticatedUser,
    @WebhookId() id: string,
  ): Promise<WebhookTestView> {
    return this.webhooks.sendTest(id, principal.user.id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary:
      "The webhook's deliveries, newest first, with every try (status, duration, error) and the next one; cursor paging.",
  })
  @ApiOkResponse({ type: WebhookDeliveryListView })
  @ApiErrors(400, 404)
  listDeliveries(
    @CurrentUser() principal: AuthenticatedUser,
    @WebhookId() id: string,
    @Query() query: ListWebhookDeliveriesQuery,
  ): Promise<WebhookDeliveryListView> {
    return this.webhooks.listDeliveries(id, principal.user.id, query);
  }
}
