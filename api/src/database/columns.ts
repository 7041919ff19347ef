import { ColumnOptions } from 'typeorm';

/** Millisecond timestamps that map to DATETIME(3) on MySQL and to text on SQLite, always UTC. */
export const timestamp = (options: ColumnOptions = {}): ColumnOptions => ({
  type: 'datetime',
  precision: 3,
  ...options,
});

export const uuid = <T extends { name?: string }>(options?: T) => ({
  type: 'varchar' as const,
  length: 36,
  ...options,
});
