import { Transform } from 'class-transformer';

/** Trims a string field before validation; other types pass through for the validators to reject. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
}

/**
 * Trims, lower-cases and composes (NFC) an email, which the platform treats case-insensitively:
 * `José@x.com` typed with a combining accent is the same account on SQLite and on MySQL.
 */
export function NormalizeEmail(): PropertyDecorator {
  return Transform(({ value }) =>
    typeof value === 'string' ? value.trim().toLowerCase().normalize('NFC') : value,
  );
}
