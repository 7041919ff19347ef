import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LocalDiskStorage } from './local-disk-storage';
import { S3VideoStorage } from './s3-video-storage';
import { VideoStorage } from './video-storage';

/** Provides the one VideoStorage adapter STORAGE_DRIVER names. */
@Global()
@Module({
  providers: [
    {
      provide: VideoStorage,
      inject: [AppConfig],
      useFactory: (config: AppConfig): VideoStorage =>
        config.storage.driver === 's3'
          ? new S3VideoStorage(config.storage.s3, config.dataDir)
          : new LocalDiskStorage(config),
    },
  ],
  exports: [VideoStorage],
})
export class StorageModule {}
