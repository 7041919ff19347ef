import { TestingModule } from '@nestjs/testing';
import { AuthService } from '../auth/auth.service';
import { NotFoundError } from '../common/errors/domain-errors';
import { createTestingAppModule } from '../testing/test-app-module';
import { UsersService } from './users.service';

describe('UsersService', () => {
  let moduleRef: TestingModule;
  let users: UsersService;

  beforeAll(async () => {
    moduleRef = await createTestingAppModule();
    users = moduleRef.get(UsersService);
  });

  afterAll(() => moduleRef.close());

  it('shows the profile with usage figures', async () => {
    const { user } = await moduleRef.get(AuthService).register({
      email: 'profile@example.com',
      password: 'password-1',
      displayName: 'Ada',
    });
    const profile = await users.getProfile(user.id);
    expect(profile.user).toEqual({
      id: user.id,
      email: 'profile@example.com',
      displayName: 'Ada',
      createdAt: user.createdAt.toISOString(),
    });
    expect(profile.stats).toEqual({ videoCount: 0, storageBytes: 0 });
  });

  it('renames the user and keeps the change', async () => {
    const { user } = await moduleRef
      .get(AuthService)
      .register({ email: 'rename@example.com', password: 'password-1' });
    const renamed = await users.updateProfile(user.id, 'Grace');
    expect(renamed.displayName).toBe('Grace');
    expect((await users.getById(user.id)).displayName).toBe('Grace');
  });

  it('reports a missing account as not found', async () => {
    await expect(users.getById('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
