import { Global, Module } from '@nestjs/common';
import { HotlineConfig, loadConfig } from './hotline-config';

/** Makes the validated HotlineConfig injectable everywhere. Tests pass their own instance. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HotlineConfig = loadConfig()) {
    return { module: ConfigModule, providers: [{ provide: HotlineConfig, useValue: config }], exports: [HotlineConfig] };
  }
}
