import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestamp, uuid } from '../database/columns';

/**
 * A login. Every access token names its session, so deleting the row revokes the token:
 * that is how logout and "log out other sessions" work with stateless JWTs.
 */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn(uuid())
  id!: string;

  @Index()
  @Column(uuid({ name: 'user_id' }))
  userId!: string;

  @Column(timestamp({ name: 'created_at' }))
  createdAt!: Date;

  @Column(timestamp({ name: 'expires_at' }))
  expiresAt!: Date;

  /** The user's credential version when the session was issued (see UserEntity). */
  @Column({ name: 'credential_version', type: 'int', default: 0 })
  credentialVersion!: number;
}
