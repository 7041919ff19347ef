import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobStatus, WebhookEventType } from '@vidgen/contracts';
import { EntityManager } from 'typeorm';
import { JobOutcomeListener, JobsService } from '../jobs/jobs.service';
import { VideoJobEntity } from '../jobs/video-job.entity';
import { VideoEntity } from '../videos/video.entity';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { newDelivery, videoEvent } from './webhook-events';
import { WebhooksRepository } from './webhooks.repository';

/** A cancel is the owner's own doing: it sends nothing. */
const EVENT_OF: Partial<Record<JobStatus, WebhookEventType>> = {
  [JobStatus.Succeeded]: 'video.completed',
  [JobStatus.Failed]: 'video.failed',
};

/**
 * Writes a delivery for each enabled endpoint of the owner that asked for the event, in the
 * transaction that ends the job: the event exists exactly when the outcome does, and the workers
 * send it from the rows whatever happens to this process.
 */
@Injectable()
export class WebhookOutbox implements JobOutcomeListener, OnModuleInit {
  constructor(
    private readonly jobs: JobsService,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.listenToOutcomes(this);
  }

  async jobEnded(job: VideoJobEntity, video: VideoEntity, manager: EntityManager): Promise<void> {
    const type = EVENT_OF[job.status];
    if (!type) return;
    const endpoints = (await this.webhooks.listEnabled(job.userId, manager)).filter((webhook) =>
      webhook.events.includes(type),
    );
    if (endpoints.length === 0) return;
    const now = new Date();
    const event = videoEvent(type, video, job, now);
    const body = JSON.stringify(event);
    await this.deliveries.insert(
      endpoints.map((webhook) => newDelivery(webhook.id, event, body, now)),
      manager,
    );
  }
}
