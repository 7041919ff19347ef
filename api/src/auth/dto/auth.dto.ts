import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AuthResponse,
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  LoginRequest,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  RegisterRequest,
} from '@vidgen/contracts';
import {
  IsDefined,
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import {
  IsDisplayText,
  IsWellFormed,
  SINGLE_LINE_TEXT_RULES,
  SingleLineText,
} from '../../common/http/text.decorators';
import { NormalizeEmail } from '../../common/http/trim.decorator';
import { UserView } from '../../users/user.presenter';

const PASSWORD_RULE = `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`;

export class RegisterDto implements RegisterRequest {
  @ApiProperty({
    example: 'ada@example.com',
    description: `Case-insensitive: stored trimmed, lower-case and in Unicode NFC, then at most ${EMAIL_MAX_LENGTH} characters. No control characters or text-direction controls.`,
  })
  @NormalizeEmail()
  @IsEmail({}, { message: 'email must be a valid email address.' })
  @IsDisplayText()
  @MaxLength(EMAIL_MAX_LENGTH, { message: `email must be at most ${EMAIL_MAX_LENGTH} characters.` })
  @IsNotEmpty({ message: 'email is required.' })
  @IsString({ message: 'email must be text.' })
  @IsDefined({ message: 'email is required.' })
  email!: string;

  @ApiProperty({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    format: 'password',
  })
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, { message: PASSWORD_RULE })
  @IsString({ message: 'password must be text.' })
  @IsDefined({ message: 'password is required.' })
  password!: string;

  @ApiPropertyOptional({
    minLength: 1,
    description: `1 to ${DISPLAY_NAME_MAX_LENGTH} characters once trimmed and composed; defaults to the part of the email before the @. ${SINGLE_LINE_TEXT_RULES}`,
  })
  @IsOptional()
  @Length(1, DISPLAY_NAME_MAX_LENGTH, {
    message: `displayName must be 1 to ${DISPLAY_NAME_MAX_LENGTH} characters.`,
  })
  @SingleLineText()
  @IsString({ message: 'displayName must be text.' })
  displayName?: string;
}

export class LoginDto implements LoginRequest {
  @ApiProperty({
    example: 'ada@example.com',
    description: 'Compared as registered: trimmed, lower-case, Unicode NFC.',
  })
  @NormalizeEmail()
  @IsWellFormed()
  @MaxLength(EMAIL_MAX_LENGTH, { message: `email must be at most ${EMAIL_MAX_LENGTH} characters.` })
  @IsNotEmpty({ message: 'email is required.' })
  @IsString({ message: 'email must be text.' })
  @IsDefined({ message: 'email is required.' })
  email!: string;

  @ApiProperty({ format: 'password', minLength: 1, maxLength: PASSWORD_MAX_LENGTH })
  @MaxLength(PASSWORD_MAX_LENGTH, {
    message: `password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
  })
  @IsNotEmpty({ message: 'password is required.' })
  @IsString({ message: 'password must be text.' })
  @IsDefined({ message: 'password is required.' })
  password!: string;
}

export class AuthResponseView implements AuthResponse {
  @ApiProperty({ type: UserView })
  user!: UserView;

  @ApiProperty({ description: 'JWT for the Authorization: Bearer header.' })
  accessToken!: string;

  @ApiProperty({ description: 'Seconds until the access token expires.', example: 604800 })
  expiresIn!: number;
}
