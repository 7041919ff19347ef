import { Global, Module } from '@nestjs/common';
import { LocalDiskStorage } from './local-disk-storage';
import { VideoStorage } from './video-storage';

@Global()
@Module({
  providers: [{ provide: VideoStorage, useClass: LocalDiskStorage }],
  exports: [VideoStorage],
})
export class StorageModule {}
