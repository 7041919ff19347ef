import { Module } from '@nestjs/common';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksModule } from './webhooks.module';

/** Sending the deliveries that are due: present in worker processes (APP_ROLE=worker or all) only. */
@Module({
  imports: [WebhooksModule],
  providers: [WebhookDispatcher],
})
export class WebhookDeliveryModule {}
