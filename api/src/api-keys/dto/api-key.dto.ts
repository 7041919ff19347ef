import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  API_KEY_NAME_MAX_LENGTH,
  API_KEY_PREFIX,
  ApiKeyListResponse,
  CreateApiKeyRequest,
  CreatedApiKeyResponse,
} from '@vidgen/contracts';
import { IsDefined, IsString, Length } from 'class-validator';
import { IsDateTime } from '../../common/http/date-time';
import { IsOptionalButNotNull } from '../../common/http/optional.decorator';
import { SINGLE_LINE_TEXT_RULES, SingleLineText } from '../../common/http/text.decorators';
import { ApiKeyView } from '../api-key.presenter';

export class CreateApiKeyDto implements CreateApiKeyRequest {
  @ApiProperty({
    minLength: 1,
    example: 'CI pipeline',
    description: `What the key is for: 1 to ${API_KEY_NAME_MAX_LENGTH} characters once trimmed and composed. ${SINGLE_LINE_TEXT_RULES}`,
  })
  @Length(1, API_KEY_NAME_MAX_LENGTH, {
    message: `name must be 1 to ${API_KEY_NAME_MAX_LENGTH} characters.`,
  })
  @SingleLineText()
  @IsString({ message: 'name must be text.' })
  @IsDefined({ message: 'name is required.' })
  name!: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2030-01-31T12:00:00Z',
    description:
      'When the key stops working: a date and time with its time zone, in the future. Leave it out for a key that does not expire.',
  })
  @IsOptionalButNotNull()
  @IsDateTime()
  expiresAt?: string;
}

export class CreatedApiKeyView implements CreatedApiKeyResponse {
  @ApiProperty({ type: ApiKeyView })
  apiKey!: ApiKeyView;

  @ApiProperty({
    example: `${API_KEY_PREFIX}4Vb0sKq2N7xYcJ1mR8tLw3ZpE6uHfA9gD5iQoWnT2kS`,
    description:
      'The key itself, shown this once: only its hash is kept. Send it as `Authorization: Bearer <secret>`.',
  })
  secret!: string;
}

export class ApiKeyListView implements ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyView], description: 'Newest first.' })
  items!: ApiKeyView[];
}
