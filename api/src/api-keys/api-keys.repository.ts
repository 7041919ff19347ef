import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { ApiKeyEntity } from './api-key.entity';

// Not `key`: a reserved word of MySQL, and raw conditions below name the alias unquoted.
const ALIAS = 'apiKey';
const UNEXPIRED = `(${ALIAS}.expires_at IS NULL OR ${ALIAS}.expires_at > :now)`;

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(ApiKeyEntity);
  }

  /**
   * The key with this secret hash and its user, while the key is unexpired at `now`; one query,
   * as it runs on every request made with a key.
   */
  async findUsable(
    secretHash: string,
    now: Date,
  ): Promise<{ key: ApiKeyEntity; user: UserEntity } | null> {
    const key = (await this.repo()
      .createQueryBuilder(ALIAS)
      .innerJoinAndMapOne(`${ALIAS}.owner`, UserEntity, 'user', `user.id = ${ALIAS}.user_id`)
      .where(`${ALIAS}.secret_hash = :secretHash`, { secretHash })
      .andWhere(UNEXPIRED, { now })
      .getOne()) as (ApiKeyEntity & { owner: UserEntity }) | null;
    if (!key) return null;
    const { owner, ...row } = key;
    return { key: row, user: owner };
  }

  /** True while the key exists, is the user's and is unexpired at `now`: each heartbeat of a stream. */
  isUsable(id: string, userId: string, now: Date): Promise<boolean> {
    return this.repo()
      .createQueryBuilder(ALIAS)
      .where(`${ALIAS}.id = :id`, { id })
      .andWhere(`${ALIAS}.user_id = :userId`, { userId })
      .andWhere(UNEXPIRED, { now })
      .getExists();
  }

  /** The user's keys, newest first. */
  listOwned(userId: string): Promise<ApiKeyEntity[]> {
    return this.repo().find({ where: { userId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  countOwned(userId: string, manager: EntityManager): Promise<number> {
    return this.repo(manager).countBy({ userId });
  }

  /**
   * Orders the key creations of one user on MySQL, so that simultaneous ones cannot all pass the
   * count; SQLite runs one transaction at a time anyway (see sqlite-transactions.ts).
   */
  async lockOwner(userId: string, manager: EntityManager): Promise<void> {
    if (manager.connection.options.type === 'mysql') {
      await manager.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [userId]);
    }
  }

  async insert(key: ApiKeyEntity, manager: EntityManager): Promise<void> {
    await this.repo(manager).insert(key);
  }

  /** False when the user has no key with this id. */
  async deleteOwned(id: string, userId: string): Promise<boolean> {
    const result = await this.repo().delete({ id, userId });
    return Boolean(result.affected);
  }

  /**
   * Records a use at `now` unless one since `staleBefore` is recorded already: of the requests of
   * a busy key, one a minute writes, whichever API process serves it.
   */
  async recordUse(id: string, now: Date, staleBefore: Date): Promise<void> {
    await this.repo()
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: now })
      .where('id = :id', { id })
      .andWhere('(last_used_at IS NULL OR last_used_at < :staleBefore)', { staleBefore })
      .execute();
  }
}
