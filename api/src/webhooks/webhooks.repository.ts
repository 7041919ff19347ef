import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { WebhookEntity } from './webhook.entity';

export type WebhookChanges = Partial<
  Pick<
    WebhookEntity,
    'url' | 'events' | 'enabled' | 'disabledReason' | 'failingSince' | 'updatedAt'
  >
>;

@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(WebhookEntity);
  }

  /** The user's endpoints, newest first. */
  listOwned(userId: string): Promise<WebhookEntity[]> {
    return this.repo().find({ where: { userId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** The user's endpoints that take events, in the transaction that makes one. */
  listEnabled(userId: string, manager: EntityManager): Promise<WebhookEntity[]> {
    return this.repo(manager).findBy({ userId, enabled: true });
  }

  findOwned(id: string, userId: string): Promise<WebhookEntity | null> {
    return this.repo().findOneBy({ id, userId });
  }

  findById(id: string): Promise<WebhookEntity | null> {
    return this.repo().findOneBy({ id });
  }

  countOwned(userId: string, manager: EntityManager): Promise<number> {
    return this.repo(manager).countBy({ userId });
  }

  /**
   * Orders the endpoint creations of one user on MySQL, so that simultaneous ones cannot all pass
   * the count; SQLite runs one transaction at a time anyway (see sqlite-transactions.ts).
   */
  async lockOwner(userId: string, manager: EntityManager): Promise<void> {
    if (manager.connection.options.type === 'mysql') {
      await manager.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [userId]);
    }
  }

  async insert(webhook: WebhookEntity, manager: EntityManager): Promise<void> {
    await this.repo(manager).insert(webhook);
  }

  async update(id: string, changes: WebhookChanges): Promise<void> {
    await this.repo().update({ id }, changes);
  }

  /** False when the user has no endpoint with this id. */
  async deleteOwned(id: string, userId: string): Promise<boolean> {
    const result = await this.repo().delete({ id, userId });
    return Boolean(result.affected);
  }

  /** Starts the endpoint's run of failures at `at`, unless one is running already. */
  async markFailing(id: string, at: Date): Promise<void> {
    await this.repo().update({ id, failingSince: IsNull() }, { failingSince: at });
  }

  /** Ends the endpoint's run of failures: a try succeeded. */
  async markSucceeding(id: string): Promise<void> {
    await this.repo().update({ id, failingSince: Not(IsNull()) }, { failingSince: null });
  }

  /**
   * Disables an endpoint for its owner to see why, if it is still failing since `failingSince`
   * (no success came in between) and enabled; false otherwise.
   */
  async disable(id: string, failingSince: Date, reason: string, now: Date): Promise<boolean> {
    const result = await this.repo().update(
      { id, enabled: true, failingSince },
      { enabled: false, disabledReason: reason, updatedAt: now },
    );
    return Boolean(result.affected);
  }
}
