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
import { IsEmail, IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { NormalizeEmail, Trim } from '../../common/http/trim.decorator';
import { UserView } from '../../users/user.presenter';

const PASSWORD_RULE = `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`;

export class RegisterDto implements RegisterRequest {
  @ApiProperty({ maxLength: EMAIL_MAX_LENGTH, example: 'ada@example.com', description: 'Case-insensitive; stored lower-case.' })
  @NormalizeEmail()
  @IsString({ message: 'email must be text.' })
  @IsNotEmpty({ message: 'email is required.' })
  @MaxLength(EMAIL_MAX_LENGTH, { message: `email must be at most ${EMAIL_MAX_LENGTH} characters.` })
  @IsEmail({}, { message: 'email must be a valid email address.' })
  email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' })
  @IsString({ message: 'password must be text.' })
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, { message: PASSWORD_RULE })
  password!: string;

  @ApiPropertyOptional({ maxLength: DISPLAY_NAME_MAX_LENGTH, description: 'Defaults to the part of the email before the @.' })
  @IsOptional()
  @Trim()
  @IsString({ message: 'displayName must be text.' })
  @Length(1, DISPLAY_NAME_MAX_LENGTH, { message: `displayName must be 1 to ${DISPLAY_NAME_MAX_LENGTH} characters.` })
  displayName?: string;
}

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'ada@example.com' })
  @NormalizeEmail()
  @IsString({ message: 'email must be text.' })
  @IsNotEmpty({ message: 'email is required.' })
  @MaxLength(EMAIL_MAX_LENGTH, { message: `email must be at most ${EMAIL_MAX_LENGTH} characters.` })
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString({ message: 'password must be text.' })
  @IsNotEmpty({ message: 'password is required.' })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `password must be at most ${PASSWORD_MAX_LENGTH} characters.` })
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
