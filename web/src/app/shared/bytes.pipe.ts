import { inject, LOCALE_ID, Pipe, PipeTransform } from '@angular/core';

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** Human-readable sizes in decimal units (1 kB = 1000 B), as file managers show them. */
export function formatBytes(bytes: number, locale = 'en-US'): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: UNITS[unit],
    // "0 byte" is what the short form gives, so whole bytes are spelt out.
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

@Pipe({ name: 'bytes' })
export class BytesPipe implements PipeTransform {
  private readonly locale = inject(LOCALE_ID);

  transform(bytes: number | null | undefined): string {
    return bytes == null ? '' : formatBytes(bytes, this.locale);
  }
}
