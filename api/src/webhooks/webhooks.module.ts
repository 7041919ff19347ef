import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookSender } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Webhooks as every role sees them: their rows, the outbox that writes a delivery when a job
 * ends (in whichever process ends it), and the sender of one try.
 */
@Module({
  imports: [JobsModule],
  providers: [WebhooksRepository, WebhookDeliveriesRepository, WebhookOutbox, WebhookSender],
  exports: [WebhooksRepository, WebhookDeliveriesRepository, WebhookSender],
})
export class WebhooksModule {}
