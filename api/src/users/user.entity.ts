import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestamp, uuid } from '../database/columns';

@Entity('users')
export class UserEntity {
  @PrimaryColumn(uuid())
  id!: string;

  /** Always stored lower-case: emails are unique regardless of case. */
  @Column({ type: 'varchar', length: 254, unique: true })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 80 })
  displayName!: string;

  /** Bumped with each password change; sessions issued under an older value are over. */
  @Column({ name: 'credential_version', type: 'int', default: 0 })
  credentialVersion!: number;

  @Column(timestamp({ name: 'created_at' }))
  createdAt!: Date;

  @Column(timestamp({ name: 'updated_at' }))
  updatedAt!: Date;
}
