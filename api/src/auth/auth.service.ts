import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  EmailTakenError,
  InvalidCredentialsError,
  UnauthenticatedError,
  WrongPasswordError,
} from '../common/errors/domain-errors';
import { isUniqueViolation } from '../database/unique-violation';
import { PasswordHasher } from '../users/password-hasher';
import { UserEntity } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { VideosService } from '../videos/videos.service';
import { AuthenticatedUser, SessionPrincipal } from './authenticated-user';
import { LoginDto, RegisterDto } from './dto/auth.dto';
import { LoginThrottle } from './login-throttle';
import { IssuedSession, SESSION_ENDED, SessionsService } from './sessions.service';

export interface SignedIn {
  user: UserEntity;
  session: IssuedSession;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly loginThrottle: LoginThrottle,
    private readonly videos: VideosService,
  ) {}

  async register(input: RegisterDto): Promise<SignedIn> {
    if (await this.users.findByEmail(input.email)) throw new EmailTakenError();
    const now = new Date();
    const user: UserEntity = {
      id: randomUUID(),
      email: input.email,
      passwordHash: await this.hasher.hash(input.password),
      displayName: input.displayName || input.email.split('@')[0],
      credentialVersion: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      // The account and its first session are written together, or not at all.
      const session = await this.dataSource.transaction(async (manager) => {
        await this.users.insert(user, manager);
        return this.sessions.issue(user, manager);
      });
      return { user, session };
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTakenError();
      throw error;
    }
  }

  async login(input: LoginDto): Promise<SignedIn> {
    await this.loginThrottle.countAttempt(input.email);
    const user = await this.users.findByEmail(input.email);
    const valid = user
      ? await this.hasher.verify(user.passwordHash, input.password)
      : await this.hasher.verifyNothing(input.password);
    if (!user || !valid) throw new InvalidCredentialsError();
    await this.loginThrottle.clear(input.email);
    await this.sessions.pruneExpired(user.id);
    return { user, session: await this.sessions.issue(user) };
  }

  logout(principal: SessionPrincipal): Promise<void> {
    return this.sessions.revoke(principal.sessionId);
  }

  /**
   * Changes the password and ends every other session, keeping the caller logged in. The bumped
   * credential version also ends sessions that logins still checking the old password write
   * afterwards.
   */
  async changePassword(
    { user, sessionId }: SessionPrincipal,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    await this.assertPassword(user, currentPassword, 'currentPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    const { id, credentialVersion } = user;
    await this.dataSource.transaction(async (manager) => {
      const replaced = await this.users.replacePassword(
        id,
        credentialVersion,
        passwordHash,
        manager,
      );
      // Not replaced: a change from another session came first, and it ended this one.
      if (!replaced) throw new UnauthenticatedError(SESSION_ENDED);
      await this.sessions.revokeOthers(id, sessionId, credentialVersion + 1, manager);
    });
  }

  /** Removes the account: jobs stopped, then rows (sessions, videos, jobs cascade), then files. */
  async deleteAccount(principal: AuthenticatedUser, password: string): Promise<void> {
    await this.assertPassword(principal.user, password, 'password');
    await this.videos.cancelAllJobs(principal.user.id);
    await this.users.delete(principal.user.id);
    await this.videos.deleteFilesOf(principal.user.id);
  }

  private async assertPassword(user: UserEntity, password: string, field: string): Promise<void> {
    if (!(await this.hasher.verify(user.passwordHash, password)))
      throw new WrongPasswordError(field);
  }
}
