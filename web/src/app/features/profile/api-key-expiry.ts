import { ValidatorFn } from '@angular/forms';
import { ApiKey } from '@vidgen/contracts';

/** How long a new key lives: never, a number of days, or until the end of a chosen day. */
export type KeyExpiry = 'never' | 30 | 90 | 'date';

export const KEY_EXPIRIES: readonly { value: KeyExpiry; label: string }[] = [
  { value: 'never', label: 'Never' },
  { value: 30, label: 'In 30 days' },
  { value: 90, label: 'In 90 days' },
  { value: 'date', label: 'On a date' },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The `expiresAt` to ask for, or undefined for a key that never expires. `day` is the date
 * input's yyyy-mm-dd, used when `expiry` is 'date'.
 */
export function expiresAt(expiry: KeyExpiry, day: string, now = new Date()): string | undefined {
  if (expiry === 'never') return undefined;
  if (expiry === 'date') {
    // To the end of that day where the person is: a key set to expire "on June 30" still works
    // that evening, and the list shows June 30 as its last day.
    const [year, month, date] = day.split('-').map(Number);
    return new Date(year, month - 1, date, 23, 59, 59, 999).toISOString();
  }
  return new Date(now.getTime() + expiry * DAY_MS).toISOString();
}

/** Today as yyyy-mm-dd in the local time zone, the format of a date input's value. */
export function localDay(now = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const date = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${date}`;
}

/** Refuses a day before today; yyyy-mm-dd strings sort in date order. */
export const notInThePast: ValidatorFn = (control) =>
  typeof control.value === 'string' && control.value !== '' && control.value < localDay()
    ? { past: true }
    : null;

export function isExpired(key: ApiKey, now = Date.now()): boolean {
  return key.expiresAt !== null && Date.parse(key.expiresAt) <= now;
}
