import { Module } from '@nestjs/common';
import { ProvidersController } from './providers.controller';
import { ProvidersModule } from './providers.module';

/** What the configured provider offers, for the web app's form: served by API processes only. */
@Module({ imports: [ProvidersModule], controllers: [ProvidersController] })
export class ProvidersHttpModule {}
