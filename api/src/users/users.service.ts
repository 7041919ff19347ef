import { Injectable } from '@nestjs/common';
import { ProfileResponse } from '@vidgen/contracts';
import { NotFoundError } from '../common/errors/domain-errors';
import { VideosService } from '../videos/videos.service';
import { UserEntity } from './user.entity';
import { UserView } from './user.presenter';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly videos: VideosService,
  ) {}

  async getById(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('This account no longer exists.');
    return user;
  }

  async getProfile(userId: string): Promise<ProfileResponse> {
    const [user, stats] = await Promise.all([this.getById(userId), this.videos.statsFor(userId)]);
    return { user: UserView.from(user), stats };
  }

  async updateProfile(userId: string, displayName: string): Promise<UserView> {
    await this.users.update(userId, { displayName });
    return UserView.from(await this.getById(userId));
  }
}
