import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UserEntity } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(UserEntity);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ id });
  }

  /** `email` must already be normalised (trimmed, lower-case). */
  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo().findOneBy({ email });
  }

  async insert(user: UserEntity, manager?: EntityManager): Promise<void> {
    await this.repo(manager).insert(user);
  }

  async update(
    id: string,
    changes: Partial<Pick<UserEntity, 'displayName'>>,
    manager?: EntityManager,
  ): Promise<void> {
    await this.repo(manager).update({ id }, { ...changes, updatedAt: new Date() });
  }

  /**
   * Sets the password and bumps the credential version, only if the version is still
   * `fromVersion`: false when another change came first.
   */
  async replacePassword(
    id: string,
    fromVersion: number,
    passwordHash: string,
    manager?: EntityManager,
  ): Promise<boolean> {
    const result = await this.repo(manager).update(
      { id, credentialVersion: fromVersion },
      { passwordHash, credentialVersion: fromVersion + 1, updatedAt: new Date() },
    );
    return result.affected === 1;
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.repo(manager).delete({ id });
  }
}
