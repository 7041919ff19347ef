import { Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { ResultDownloader, SafeResultDownloader } from './result-downloader';
import { VIDEO_PROVIDER_ADAPTERS } from './provider-registry';
import { VIDEO_PROVIDER } from './video-provider';

/**
 * Provides VIDEO_PROVIDER: the one adapter the configuration names. Only that one is built, so
 * an adapter whose upstream isn't configured never runs its constructor.
 */
@Module({
  providers: [
    {
      provide: VIDEO_PROVIDER,
      inject: [AppConfig, ModuleRef],
      useFactory: (config: AppConfig, moduleRef: ModuleRef) =>
        moduleRef.create(VIDEO_PROVIDER_ADAPTERS[config.videoProvider]),
    },
    { provide: ResultDownloader, useClass: SafeResultDownloader },
  ],
  exports: [VIDEO_PROVIDER, ResultDownloader],
})
export class ProvidersModule {}
