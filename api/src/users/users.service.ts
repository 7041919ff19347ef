import { Injectable } from '@nestjs/common';
import { ProfileResponse } from '@vidgen/contracts';
import { NotFoundError } from '../common/errors/domain-errors';
import { UserEntity } from './user.entity';
import { UserView } from './user.presenter';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async getById(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('This account no longer exists.');
    return user;
  }

  async getProfile(userId: string): Promise<ProfileResponse> {
    const user = await this.getById(userId);
    // Videos arrive with issue #3, whose Videos module computes these from the video table.
    return { user: UserView.from(user), stats: { videoCount: 0, storageBytes: 0 } };
  }

  async updateProfile(userId: string, displayName: string): Promise<UserView> {
    await this.users.update(userId, { displayName });
    return UserView.from(await this.getById(userId));
  }
}
