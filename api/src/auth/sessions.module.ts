import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AppConfig } from '../config/app-config';
import { resolveJwtSecret } from '../config/jwt-secret';
import { SessionsRepository } from './sessions.repository';
import { JWT_SECRET, SessionsService } from './sessions.service';

const jwtSecretProvider = {
  provide: JWT_SECRET,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => resolveJwtSecret(config.jwtSecret, config.dataDir),
};

/**
 * The credentials: sessions and their tokens, and API keys. Apart from the rest of Auth so that
 * modules Auth itself depends on (the job streams) can check a credential without an import cycle.
 */
@Module({
  imports: [
    ApiKeysModule,
    JwtModule.registerAsync({
      extraProviders: [jwtSecretProvider],
      inject: [JWT_SECRET],
      useFactory: (secret: string) => ({ secret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [jwtSecretProvider, SessionsRepository, SessionsService],
  exports: [JWT_SECRET, SessionsService, ApiKeysModule],
})
export class SessionsModule {}
