import 'reflect-metadata';
import { runApp } from '@hotline/http';
import { createWorkerApp } from './worker-app';

void runApp(
  'worker',
  (config) => createWorkerApp(config),
  (config) => config.ports.worker,
);
