import { ApiProperty } from '@nestjs/swagger';
import {
  ChangePasswordRequest,
  DeleteAccountRequest,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '@vidgen/contracts';
import { IsDefined, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ format: 'password' })
  @MaxLength(PASSWORD_MAX_LENGTH, {
    message: `currentPassword must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  })
  @IsNotEmpty({ message: 'currentPassword is required.' })
  @IsString({ message: 'currentPassword must be text.' })
  @IsDefined({ message: 'currentPassword is required.' })
  currentPassword!: string;

  @ApiProperty({
    format: 'password',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
  })
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
    message: `newPassword must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`,
  })
  @IsString({ message: 'newPassword must be text.' })
  @IsDefined({ message: 'newPassword is required.' })
  newPassword!: string;
}

export class DeleteAccountDto implements DeleteAccountRequest {
  @ApiProperty({ format: 'password', description: 'The account password, to confirm.' })
  @MaxLength(PASSWORD_MAX_LENGTH, {
    message: `password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  })
  @IsNotEmpty({ message: 'password is required.' })
  @IsString({ message: 'password must be text.' })
  @IsDefined({ message: 'password is required.' })
  password!: string;
}
