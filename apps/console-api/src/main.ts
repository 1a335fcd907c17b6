import 'reflect-metadata';
import { runApp } from '@hotline/http';
import { createConsoleApp } from './console-app';

void runApp(
  'console-api',
  (config) => createConsoleApp(config),
  (config) => config.ports.console,
);
