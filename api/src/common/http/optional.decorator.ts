import { ValidateIf } from 'class-validator';

/**
 * Skips validation only when the field is absent. Unlike `@IsOptional()`, a `null` is still
 * validated (and refused), for fields that may be left out but never cleared.
 */
export function IsOptionalButNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
