import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { resolveJwtSecret } from '../config/jwt-secret';
import { UsersModule } from '../users/users.module';
import { VideosModule } from '../videos/videos.module';
import { AccountController } from './account.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { LoginFailuresRepository } from './login-failures.repository';
import { LoginThrottle } from './login-throttle';
import { SessionCookies } from './session-cookies';
import { SessionsRepository } from './sessions.repository';
import { JWT_SECRET, SessionsService } from './sessions.service';

const jwtSecretProvider = {
  provide: JWT_SECRET,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => resolveJwtSecret(config.jwtSecret, config.dataDir),
};

@Module({
  imports: [
    UsersModule,
    VideosModule,
    PassportModule,
    JwtModule.registerAsync({
      extraProviders: [jwtSecretProvider],
      inject: [JWT_SECRET],
      useFactory: (secret: string) => ({ secret, signOptions: { algorithm: 'HS256' } }),
    }),
    // Per client IP, on the register and login routes only (see AuthController).
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => [{ ttl: 60_000, limit: config.authRateLimitPerMinute }],
    }),
  ],
  controllers: [AuthController, AccountController],
  providers: [
    jwtSecretProvider,
    SessionsRepository,
    SessionsService,
    SessionCookies,
    LoginFailuresRepository,
    LoginThrottle,
    AuthService,
    JwtStrategy,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
})
export class AuthModule {}
