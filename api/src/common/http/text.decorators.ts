import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidationArguments } from 'class-validator';
import { BIDI_CONTROL, isWellFormed } from '../text/characters';

// C0 controls but tab and line feed, DEL, and the C1 controls.
const CONTROL = /(?![\t\n])\p{Cc}/u;
// A run of spaces holding at least one tab or line break.
const LINE_BREAKS_AND_TABS = / *[\t\n\r\u2028\u2029][ \t\n\r\u2028\u2029]*/g;
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;

const REFUSED =
  'control characters (such as NUL) and text-direction controls (U+202A to U+202E, U+2066 to U+2069) are refused.';
/**
 * What SingleLineText does, for the field's description in the OpenAPI document. Its length
 * limit goes there in words too: a `maxLength` would refuse the spaces trimmed off the ends.
 */
export const SINGLE_LINE_TEXT_RULES = `One line, stored trimmed and in Unicode NFC: tabs and line breaks become a space; ${REFUSED}`;
/** What MultiLineText does, for the field's description in the OpenAPI document. */
export const MULTI_LINE_TEXT_RULES = `Stored trimmed and in Unicode NFC, line breaks as \\n; tabs and line breaks are kept, other ${REFUSED}`;

/**
 * Why `text` cannot be shown to people, or null. Tab and line feed count as control characters
 * unless `multiline`.
 */
export function displayTextProblem(text: string, field: string, multiline = false): string | null {
  if (!isWellFormed(text)) return wellFormedRule(field);
  if (CONTROL.test(text) || (!multiline && /[\t\n]/.test(text))) {
    return multiline
      ? `${field} must not contain control characters (such as NUL) other than line breaks and tabs.`
      : `${field} must be one line without control characters (such as NUL or tabs).`;
  }
  if (BIDI_CONTROL.test(text)) {
    return `${field} must not contain text-direction controls (U+202A to U+202E, U+2066 to U+2069).`;
  }
  return null;
}

function wellFormedRule(field: string): string {
  return `${field} contains an invalid character (a lone surrogate).`;
}

/**
 * Refuses a string with a lone UTF-16 surrogate, which no encoding can store faithfully and which
 * makes validator.js (IsEmail, IsUrl and the like) throw: list it below such validators.
 */
export function IsWellFormed(): PropertyDecorator {
  return ValidateBy({
    name: 'isWellFormed',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || isWellFormed(value),
      defaultMessage: (args?: ValidationArguments) => wellFormedRule(args?.property ?? 'text'),
    },
  });
}

/**
 * Refuses text that would not show as written: a lone surrogate, control characters (tab and
 * line feed too, unless `multiline`) and text-direction controls. Non-strings pass, for the type
 * check below it to name.
 */
export function IsDisplayText(options: { multiline?: boolean } = {}): PropertyDecorator {
  const problem = (value: unknown, field = 'text') =>
    typeof value === 'string' ? displayTextProblem(value, field, options.multiline) : null;
  return ValidateBy({
    name: 'isDisplayText',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        problem(value, args?.property) === null,
      defaultMessage: (args?: ValidationArguments) => problem(args?.value, args?.property) ?? '',
    },
  });
}

/**
 * A one-line text people see (a name, a title): trimmed, each run of spaces with tabs or line
 * breaks in it turned into one space (a pasted title keeps its words), composed to NFC so its
 * length counts what people see; then IsDisplayText.
 */
export function SingleLineText(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) =>
      typeof value === 'string'
        ? value.replace(LINE_BREAKS_AND_TABS, ' ').trim().normalize('NFC')
        : value,
    ),
    IsDisplayText(),
  );
}

/** A text of several lines (a prompt): trimmed, line breaks as `\n`, NFC; then IsDisplayText. */
export function MultiLineText(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) =>
      typeof value === 'string' ? value.replace(LINE_BREAK, '\n').trim().normalize('NFC') : value,
    ),
    IsDisplayText({ multiline: true }),
  );
}
