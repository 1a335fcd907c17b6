import { HotlineConfig } from '@hotline/config';
import { createHttpApp } from '@hotline/http';
import { WorkerModule } from './worker.module';

export function createWorkerApp(config: HotlineConfig) {
  return createHttpApp(WorkerModule.forRoot(config) as never, { ...config, openApiUi: false } as HotlineConfig, {
    name: 'worker',
    title: 'Hotline worker',
    description: 'Health and metrics only.',
  });
}
