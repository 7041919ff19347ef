import { Transform } from 'class-transformer';

/** Trims a string field before validation; other types pass through for the validators to reject. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
}

/** Trims and lower-cases an email, which the platform treats case-insensitively. */
export function NormalizeEmail(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));
}
