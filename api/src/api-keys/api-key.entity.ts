import { API_KEY_NAME_MAX_LENGTH } from '@vidgen/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestamp, uuid } from '../database/columns';

/**
 * A personal API key. Its secret is never stored: only its hash, to find the key by, and its first
 * characters, to show. Revoking deletes the row, and every request looks the row up, so a revoked
 * key stops working at once on every API process.
 */
@Entity('api_keys')
@Index(['userId', 'createdAt'])
export class ApiKeyEntity {
  @PrimaryColumn(uuid())
  id!: string;

  @Column(uuid({ name: 'user_id' }))
  userId!: string;

  @Column({ type: 'varchar', length: API_KEY_NAME_MAX_LENGTH })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  /** SHA-256 of the secret, in hex (see hashSecret). */
  @Index({ unique: true })
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash!: string;

  @Column(timestamp({ name: 'created_at' }))
  createdAt!: Date;

  /** Updated at most once a minute (see ApiKeysService), not on every request. */
  @Column(timestamp({ name: 'last_used_at', nullable: true }))
  lastUsedAt!: Date | null;

  @Column(timestamp({ name: 'expires_at', nullable: true }))
  expiresAt!: Date | null;
}
