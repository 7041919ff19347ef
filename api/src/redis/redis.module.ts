import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { RedisConnections } from './redis-connections';

/** The Redis connections of the scaled shape, when REDIS_URL is set; nothing otherwise. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.redis) return { module: RedisModule };
    return { module: RedisModule, providers: [RedisConnections], exports: [RedisConnections] };
  }
}
