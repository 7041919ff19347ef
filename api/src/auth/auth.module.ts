import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { RedisConnections } from '../redis/redis-connections';
import { UsersModule } from '../users/users.module';
import { VideosModule } from '../videos/videos.module';
import { AccountController } from './account.controller';
import { AuthController } from './auth.controller';
import { ApiKeyStrategy } from './api-key.strategy';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { JwtStrategy } from './jwt.strategy';
import { LoginFailuresRepository } from './login-failures.repository';
import { LoginThrottle } from './login-throttle';
import { RedisThrottlerStorage } from './redis-throttler-storage';
import { SessionCookies } from './session-cookies';
import { SessionsModule } from './sessions.module';

@Module({
  imports: [
    UsersModule,
    VideosModule,
    PassportModule,
    SessionsModule,
    // Per client IP, on the register and login routes only (see AuthController); counted in
    // Redis when there is one, so that every API process counts the same requests.
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, { token: RedisConnections, optional: true }],
      useFactory: (config: AppConfig, redis?: RedisConnections) => ({
        throttlers: [{ ttl: 60_000, limit: config.authRateLimitPerMinute }],
        storage: redis ? new RedisThrottlerStorage(redis) : undefined,
      }),
    }),
  ],
  controllers: [AuthController, AccountController],
  providers: [
    SessionCookies,
    LoginFailuresRepository,
    LoginThrottle,
    AuthService,
    JwtStrategy,
    ApiKeyStrategy,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
})
export class AuthModule {}
