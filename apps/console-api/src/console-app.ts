import { HotlineConfig } from '@hotline/config';
import { createHttpApp, HttpAppOptions } from '@hotline/http';
import { ConsoleModule } from './console.module';

export const CONSOLE_APP: HttpAppOptions = {
  name: 'console-api',
  title: 'Hotline staff API',
  description: 'Staff, partner exchange and regulator endpoints. Every view and action is audited.',
};

export function createConsoleApp(config: HotlineConfig) {
  return createHttpApp(ConsoleModule.forRoot(config) as never, config, CONSOLE_APP);
}
