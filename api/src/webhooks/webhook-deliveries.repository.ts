import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { VideoCursor } from '../videos/video-cursor';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEntity } from './webhook.entity';

/** A worker's hold on one delivery: what it records is dropped once another holds it. */
export interface DeliveryClaim {
  deliveryId: string;
  token: string;
}

export type DeliveryOutcome = Pick<WebhookDeliveryEntity, 'status' | 'attempts' | 'nextAttemptAt'>;

const DUE =
  "delivery.status = 'pending' AND delivery.next_attempt_at <= :now" +
  ' AND (delivery.locked_until IS NULL OR delivery.locked_until <= :now)';

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(WebhookDeliveryEntity);
  }

  async insert(deliveries: WebhookDeliveryEntity[], manager?: EntityManager): Promise<void> {
    await this.repo(manager).insert(deliveries);
  }

  findById(id: string): Promise<WebhookDeliveryEntity | null> {
    return this.repo().findOneBy({ id });
  }

  /** One page of an endpoint's log, newest first; `limit + 1` rows tell whether more follow. */
  listPage(
    webhookId: string,
    after: VideoCursor | null,
    limit: number,
  ): Promise<WebhookDeliveryEntity[]> {
    const query = this.repo()
      .createQueryBuilder('delivery')
      .where('delivery.webhook_id = :webhookId', { webhookId });
    if (after) {
      query.andWhere(
        '(delivery.created_at < :createdAt OR (delivery.created_at = :createdAt AND delivery.id < :id))',
        after,
      );
    }
    return query
      .orderBy('delivery.created_at', 'DESC')
      .addOrderBy('delivery.id', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  /** Ids of deliveries due at `now` and not claimed, to enabled endpoints, most overdue first. */
  async listDue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.repo()
      .createQueryBuilder('delivery')
      .select('delivery.id', 'id')
      .innerJoin(WebhookEntity, 'webhook', 'webhook.id = delivery.webhook_id')
      .where(DUE, { now })
      .andWhere('webhook.enabled = :enabled', { enabled: true })
      .orderBy('delivery.next_attempt_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /**
   * Claims a due delivery until `lockedUntil` with a conditional update: of several workers that
   * saw it due, one gets it. Null when another got there first or it is no longer due.
   */
  async claim(
    id: string,
    now: Date,
    lockedUntil: Date,
    token: string,
  ): Promise<DeliveryClaim | null> {
    const result = await this.repo()
      .createQueryBuilder('delivery')
      .update()
      .set({ lockedUntil, claimToken: token })
      .where('id = :id', { id })
      .andWhere(DUE.replace(/delivery\./g, ''), { now })
      .execute();
    return result.affected ? { deliveryId: id, token } : null;
  }

  findClaimed({ deliveryId, token }: DeliveryClaim): Promise<WebhookDeliveryEntity | null> {
    return this.repo().findOneBy({ id: deliveryId, claimToken: token });
  }

  /** Records a try and lets the claim go; false when the claim had run out and was taken. */
  async finish({ deliveryId, token }: DeliveryClaim, outcome: DeliveryOutcome): Promise<boolean> {
    const result = await this.repo().update(
      { id: deliveryId, claimToken: token },
      { ...outcome, lockedUntil: null, claimToken: null },
    );
    return Boolean(result.affected);
  }

  /** Lets the claim go without a try recorded: the delivery is due again at once. */
  async release({ deliveryId, token }: DeliveryClaim): Promise<void> {
    await this.repo().update(
      { id: deliveryId, claimToken: token },
      { lockedUntil: null, claimToken: null },
    );
  }
}
