import { ApiProperty } from '@nestjs/swagger';
import { ApiKey } from '@vidgen/contracts';
import { ApiKeyEntity } from './api-key.entity';

/** What the API shows of a key: never its secret, nor the secret's hash. */
export class ApiKeyView implements ApiKey {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'CI pipeline' })
  name!: string;

  @ApiProperty({
    example: 'vg_3kTq9Z',
    description: 'The first characters of the secret, to tell keys apart.',
  })
  prefix!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the key last authenticated a request, to the minute; null until then.',
  })
  lastUsedAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the key stops working; null for a key that does not expire.',
  })
  expiresAt!: string | null;

  static from(key: ApiKeyEntity): ApiKeyView {
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      expiresAt: key.expiresAt?.toISOString() ?? null,
    };
  }
}
