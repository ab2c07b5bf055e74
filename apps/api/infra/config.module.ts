import { DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../../config/config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Configuration is validated once before Nest starts and shared as a value. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
