import { Orientation } from '@vidgen/contracts';
import { ValidationError } from '../common/errors/domain-errors';
import { createValidationPipe } from '../common/http/validation';
import { CreateVideoDto } from '../videos/dto/video.dto';

export interface GenerateVideoArguments {
  prompt: string;
  orientation: Orientation;
  /** Seconds. */
  duration?: number;
}

const validation = createValidationPipe();

/**
 * The arguments of generate_video as the body of POST /api/videos, through the same validation
 * pipe: the prompt is stored trimmed and composed like one typed in the web app, and refused for
 * the same characters. The tool's input schema has checked the types already.
 */
export async function createVideoBody(args: GenerateVideoArguments): Promise<CreateVideoDto> {
  const body: CreateVideoDto = {
    prompt: args.prompt,
    orientation: args.orientation,
    durationSeconds: args.duration,
  };
  return (await validation.transform(body, {
    type: 'body',
    metatype: CreateVideoDto,
  })) as CreateVideoDto;
}

const REST_DURATION = /\bdurationSeconds\b/g;

/**
 * A validation error in the tool's words: the rules, the pipe's and the provider's, name the REST
 * API's `durationSeconds`, which the agent calls `duration`. Other errors are returned as they are.
 */
export function inToolTerms(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  const rename = (text: string) => text.replace(REST_DURATION, 'duration');
  return new ValidationError(
    error.details.map(({ field, message }) => ({ field: rename(field), message: rename(message) })),
    rename(error.message),
  );
}
