import { ValidationPipe, ValidationError as ClassValidatorError } from '@nestjs/common';
import { FieldError } from '@vidgen/contracts';
import { ValidationError } from '../errors/domain-errors';

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

export function toDomainError(errors: ClassValidatorError[]): ValidationError {
  return new ValidationError(flatten(errors));
}

function flatten(errors: ClassValidatorError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? `${field} is not a known field.` : message,
    }));
    return [...own.slice(0, 1), ...flatten(error.children ?? [], field)];
  });
}
