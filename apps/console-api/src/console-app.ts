import { HotlineConfig } from '@hotline/config';
import { createHttpApp } from '@hotline/http';
import { ConsoleModule } from './console.module';

export function createConsoleApp(config: HotlineConfig) {
  return createHttpApp(ConsoleModule.forRoot(config) as never, config, {
    name: 'console-api',
    title: 'Hotline staff API',
    description: 'Staff, partner exchange and regulator endpoints. Every view and action is audited.',
  });
}
