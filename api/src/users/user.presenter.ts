import { ApiProperty } from '@nestjs/swagger';
import { User } from '@vidgen/contracts';
import { UserEntity } from './user.entity';

/** What the API shows of a user; the entity itself never leaves the API. */
export class UserView implements User {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ada' })
  displayName!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(user: UserEntity): UserView {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      createdAt: user.createdAt.toISOString(),
    };
  }
}
