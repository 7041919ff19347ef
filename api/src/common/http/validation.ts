import { ValidationPipe, ValidationError as ClassValidatorError } from '@nestjs/common';
import { FieldError } from '@vidgen/contracts';
import { ValidationError } from '../errors/domain-errors';
import { BIDI_CONTROL } from '../text/characters';

/**
 * The one validation pipe: unknown fields are rejected rather than silently dropped, so a
 * client's typo surfaces as a 400 that names the field. One message per field: class-validator
 * checks a property's decorators from the bottom up and stops at the first failure, so DTOs list
 * the most basic rule (`IsDefined`, then the type) last, next to the property.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => toDomainError(errors),
  });
}

/**
 * At most this many fields are listed in an answer: a body with thousands of unknown properties
 * gets an answer much smaller than itself, not one that repeats every name.
 */
export const MAX_FIELD_ERRORS = 20;
/** A field name longer than this (only an unknown one can be) is cut in the answer. */
const MAX_FIELD_NAME = 64;
/**
 * Characters an unknown field's name may hold but an answer must not repeat: control characters
 * (NUL, ANSI escapes), text-direction controls and lone surrogates, the ones text fields refuse
 * (see text.decorators.ts). Each becomes U+FFFD, so the name keeps its length and stays readable.
 */
const UNSHOWABLE = new RegExp(`\\p{Cc}|${BIDI_CONTROL.source}|\\p{Surrogate}`, 'gu');

export function toDomainError(errors: ClassValidatorError[]): ValidationError {
  const problems = onePerField(flatten(errors));
  const listed = problems.slice(0, MAX_FIELD_ERRORS);
  return new ValidationError(listed, summary(problems));
}

/** The first problem in words, and how many more there are. */
function summary(problems: FieldError[]): string {
  const [first] = problems;
  const text = `${first.field}: ${first.message}`;
  if (problems.length === 1) return text;
  const more = (problems.length - 1).toLocaleString('en-US');
  const where =
    problems.length > MAX_FIELD_ERRORS
      ? `the first ${MAX_FIELD_ERRORS} in details`
      : 'all in details';
  return `${text} ... and ${more} more (${where}).`;
}

/** Cut names can coincide: each is listed once. */
function onePerField(problems: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return problems.filter(({ field }) => {
    if (seen.has(field)) return false;
    seen.add(field);
    return true;
  });
}

function flatten(errors: ClassValidatorError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = safeFieldName(prefix ? `${prefix}.${error.property}` : error.property);
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? `${field} is not a known field.` : message,
    }));
    return [...own.slice(0, 1), ...flatten(error.children ?? [], field)];
  });
}

/** Cut first: a cut through a surrogate pair leaves a lone half, which is then replaced. */
function safeFieldName(field: string): string {
  const cut = field.length > MAX_FIELD_NAME ? `${field.slice(0, MAX_FIELD_NAME)}...` : field;
  return cut.replace(UNSHOWABLE, '\ufffd');
}
