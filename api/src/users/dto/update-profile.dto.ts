import { ApiProperty } from '@nestjs/swagger';
import { DISPLAY_NAME_MAX_LENGTH, UpdateProfileRequest } from '@vidgen/contracts';
import { IsDefined, IsString, Length } from 'class-validator';
import { SINGLE_LINE_TEXT_RULES, SingleLineText } from '../../common/http/text.decorators';

export class UpdateProfileDto implements UpdateProfileRequest {
  @ApiProperty({
    minLength: 1,
    example: 'Ada Lovelace',
    description: `1 to ${DISPLAY_NAME_MAX_LENGTH} characters once trimmed and composed. ${SINGLE_LINE_TEXT_RULES}`,
  })
  @Length(1, DISPLAY_NAME_MAX_LENGTH, {
    message: `displayName must be 1 to ${DISPLAY_NAME_MAX_LENGTH} characters.`,
  })
  @SingleLineText()
  @IsString({ message: 'displayName must be text.' })
  @IsDefined({ message: 'displayName is required.' })
  displayName!: string;
}
