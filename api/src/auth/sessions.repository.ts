import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThan, Not } from 'typeorm';
import { SessionEntity } from './session.entity';

@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(SessionEntity);
  }

  findById(id: string): Promise<SessionEntity | null> {
    return this.repo().findOneBy({ id });
  }

  async insert(session: SessionEntity, manager?: EntityManager): Promise<void> {
    await this.repo(manager).insert(session);
  }

  async delete(id: string): Promise<void> {
    await this.repo().delete({ id });
  }

  async deleteOthers(userId: string, keepId: string): Promise<void> {
    await this.repo().delete({ userId, id: Not(keepId) });
  }

  async deleteExpired(userId: string, now: Date): Promise<void> {
    await this.repo().delete({ userId, expiresAt: LessThan(now) });
  }
}
