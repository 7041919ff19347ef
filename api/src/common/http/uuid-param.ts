import { Param, ParseUUIDPipe } from '@nestjs/common';
import { NotFoundError } from '../errors/domain-errors';

/** A route id that is not a UUID cannot name anything of the caller's: the same 404 as a foreign id. */
export const UuidParam = (name: string, notFoundMessage: string) =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new NotFoundError(notFoundMessage) }));
