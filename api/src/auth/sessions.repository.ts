import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThan, Not } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { SessionEntity } from './session.entity';

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(SessionEntity);
  }

  /**
   * The user of the session when the session is theirs, unexpired at `now` and issued under
   * their current credential version; one query, as it runs on every request and every
   * heartbeat of an open stream.
   */
  findActiveUser(sessionId: string, userId: string, now: Date): Promise<UserEntity | null> {
    return this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .innerJoin(
        SessionEntity,
        'session',
        'session.user_id = user.id AND session.credential_version = user.credential_version',
      )
      .where('session.id = :sessionId', { sessionId })
      .andWhere('user.id = :userId', { userId })
      .andWhere('session.expires_at > :now', { now })
      .getOne();
  }

  async insert(session: SessionEntity, manager?: EntityManager): Promise<void> {
    await this.repo(manager).insert(session);
  }

  async delete(id: string): Promise<void> {
    await this.repo().delete({ id });
  }

  /** Moves the kept session to the user's new credential version and deletes all others. */
  async keepOnly(
    userId: string,
    keepId: string,
    credentialVersion: number,
    manager?: EntityManager,
  ): Promise<void> {
    await this.repo(manager).update({ id: keepId, userId }, { credentialVersion });
    await this.repo(manager).delete({ userId, id: Not(keepId) });
  }

  async deleteExpired(userId: string, now: Date): Promise<void> {
    await this.repo().delete({ userId, expiresAt: LessThan(now) });
  }
}
