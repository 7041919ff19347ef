import { ValidateBy, ValidationArguments } from 'class-validator';

// RFC 3339's date-time, as OpenAPI's `format: date-time` means it: the offset is required, since
// a time without one would mean whatever the server's zone is.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * The instant `text` names when it is an RFC 3339 date-time of a real day and time, else null.
 * `Date.parse` alone would take `2030-02-30` for the 2nd of March.
 */
export function parseDateTime(text: string): Date | null {
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  // The offset's parts are absent after a `Z`.
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const realDay =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day;
  const realTime =
    hour < 24 && minute < 60 && second < 60 && offsetHours < 24 && offsetMinutes < 60;
  return realDay && realTime ? new Date(text) : null;
}

/** Refuses anything but an RFC 3339 date-time with its offset (see parseDateTime); non-strings too. */
export function IsDateTime(): PropertyDecorator {
  return ValidateBy({
    name: 'isDateTime',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseDateTime(value) !== null,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'date'} must be a date and time with its time zone, such as 2030-01-31T12:00:00Z.`,
    },
  });
}
