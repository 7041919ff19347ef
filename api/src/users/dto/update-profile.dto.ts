import { ApiProperty } from '@nestjs/swagger';
import { DISPLAY_NAME_MAX_LENGTH, UpdateProfileRequest } from '@vidgen/contracts';
import { IsDefined, IsString, Length } from 'class-validator';
import { Trim } from '../../common/http/trim.decorator';

export class UpdateProfileDto implements UpdateProfileRequest {
  @ApiProperty({ minLength: 1, maxLength: DISPLAY_NAME_MAX_LENGTH, example: 'Ada Lovelace' })
  @Trim()
  @Length(1, DISPLAY_NAME_MAX_LENGTH, {
    message: `displayName must be 1 to ${DISPLAY_NAME_MAX_LENGTH} characters.`,
  })
  @IsString({ message: 'displayName must be text.' })
  @IsDefined({ message: 'displayName is required.' })
  displayName!: string;
}
