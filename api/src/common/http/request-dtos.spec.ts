import { ArgumentMetadata, Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { CreateApiKeyDto } from '../../api-keys/dto/api-key.dto';
import { ChangePasswordDto, DeleteAccountDto } from '../../auth/dto/account.dto';
import { LoginDto, RegisterDto } from '../../auth/dto/auth.dto';
import { ListJobsQuery } from '../../jobs/dto/job-responses';
import {
  CreateOpenAiVideoDto,
  ListOpenAiVideosQuery,
  OpenAiContentQuery,
  RemixOpenAiVideoDto,
} from '../../openai-compat/dto/openai-video.dto';
import { UpdateProfileDto } from '../../users/dto/update-profile.dto';
import {
  ContentQuery,
  CreateVideoDto,
  ListVideosQuery,
  UpdateVideoDto,
} from '../../videos/dto/video.dto';
import { ValidationError } from '../errors/domain-errors';
import { createValidationPipe } from './validation';

const REQUEST_DTOS: Type[] = [
  RegisterDto,
  LoginDto,
  ChangePasswordDto,
  DeleteAccountDto,
  UpdateProfileDto,
  CreateVideoDto,
  UpdateVideoDto,
  ListVideosQuery,
  ContentQuery,
  ListJobsQuery,
  CreateApiKeyDto,
  CreateOpenAiVideoDto,
  RemixOpenAiVideoDto,
  ListOpenAiVideosQuery,
  OpenAiContentQuery,
];

// Strings that have made validators throw (validator.js calls encodeURI, which throws on a lone
// surrogate) or that code points, percent signs or sheer size could trip.
const ODD_STRINGS = [
  '\ud800',
  '\udfff@x.com',
  'a@\ud800.com',
  '\ud800@x.com',
  'x@x.com\udc00',
  '\u0000',
  '\u202e@x.com',
  '%E0%A4%A',
  '%',
  '😀'.repeat(3000),
  'e\u0301'.repeat(5000),
  `${'a'.repeat(64)}@${'b'.repeat(250)}.com`,
  ' ',
  '',
];

function fieldsOf(dto: Type): string[] {
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  return [...new Set(rules.map((rule) => rule.propertyName))];
}

describe('every request DTO', () => {
  describe.each(REQUEST_DTOS.map((dto) => [dto.name, dto] as const))('on %s', (_name, dto) => {
    const metadata: ArgumentMetadata = { type: 'body', metatype: dto };

    it.each(fieldsOf(dto))(
      'answers any string in %s with a value or a ValidationError',
      async (field) => {
        for (const value of ODD_STRINGS) {
          const outcome = await createValidationPipe()
            .transform({ [field]: value }, metadata)
            .catch((error: unknown) => error);
          if (outcome instanceof Error) {
            expect({ value, error: outcome }).toEqual({
              value,
              error: expect.any(ValidationError),
            });
          }
        }
      },
    );
  });
});
