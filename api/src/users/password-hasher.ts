import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { AppConfig } from '../config/app-config';

/** argon2id with OWASP's recommended cost (19 MiB, 2 passes); tests may opt into a cheaper cost. */
@Injectable()
export class PasswordHasher {
  private readonly options: argon2.Options;
  private dummyHash?: Promise<string>;

  constructor(config: AppConfig) {
    this.options = config.fastPasswordHashing
      ? { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 }
      : { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the same time as a real verification, for logins with an unknown email: otherwise
   * the response time would tell which emails have accounts.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('not-a-real-password');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
