import { parseDateTime } from './date-time';

describe('parseDateTime', () => {
  it.each([
    ['2030-01-31T12:00:00Z', '2030-01-31T12:00:00.000Z'],
    ['2030-01-31t12:00:00.5z', '2030-01-31T12:00:00.500Z'],
    ['2030-01-31T12:00:00+02:00', '2030-01-31T10:00:00.000Z'],
    ['2028-02-29T23:59:59-05:30', '2028-03-01T05:29:59.000Z'],
  ])('reads %s as %s', (text, instant) => {
    expect(parseDateTime(text)?.toISOString()).toBe(instant);
  });

  it.each([
    ['a date alone', '2030-01-31'],
    ['no time zone', '2030-01-31T12:00:00'],
    ['a space for the T', '2030-01-31 12:00:00Z'],
    ['a day the month lacks', '2030-02-30T12:00:00Z'],
    ['the 29th of February of a common year', '2030-02-29T12:00:00Z'],
    ['hour 24', '2030-01-31T24:00:00Z'],
    ['second 60', '2030-01-31T23:59:60Z'],
    ['an offset of 24 hours', '2030-01-31T12:00:00+24:00'],
    ['a month 13', '2030-13-01T12:00:00Z'],
    ['words', 'tomorrow'],
  ])('refuses %s', (_case, text) => {
    expect(parseDateTime(text)).toBeNull();
  });
});
