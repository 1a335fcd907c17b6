import 'reflect-metadata';
import { runApp } from '@hotline/http';
import { createIntakeApp } from './intake-app';

void runApp(
  'intake-api',
  (config) => createIntakeApp(config),
  (config) => config.ports.intake,
);
