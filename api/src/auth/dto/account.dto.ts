import { ApiProperty } from '@nestjs/swagger';
import {
  ChangePasswordRequest,
  DeleteAccountRequest,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '@vidgen/contracts';
import { IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ format: 'password' })
  @IsString({ message: 'currentPassword must be text.' })
  @IsNotEmpty({ message: 'currentPassword is required.' })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `currentPassword must be at most ${PASSWORD_MAX_LENGTH} characters.` })
  currentPassword!: string;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString({ message: 'newPassword must be text.' })
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
    message: `newPassword must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`,
  })
  newPassword!: string;
}

export class DeleteAccountDto implements DeleteAccountRequest {
  @ApiProperty({ format: 'password', description: 'The account password, to confirm.' })
  @IsString({ message: 'password must be text.' })
  @IsNotEmpty({ message: 'password is required.' })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `password must be at most ${PASSWORD_MAX_LENGTH} characters.` })
  password!: string;
}
