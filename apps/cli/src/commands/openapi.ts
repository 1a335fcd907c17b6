import { HotlineConfig, loadConfig } from '@hotline/config';
import { buildOpenApi, HttpAppOptions } from '@hotline/http';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_APP } from '../../../console-api/src/console-app';
import { ConsoleModule } from '../../../console-api/src/console.module';
import { INTAKE_APP } from '../../../intake-api/src/intake-app';
import { IntakeModule } from '../../../intake-api/src/intake.module';

/** npm scripts run from the repository root. */
export const OPENAPI_DIR = join(process.cwd(), 'docs', 'openapi');

interface Spec {
  file: string;
  options: HttpAppOptions;
  module: (config: HotlineConfig) => DynamicModule;
}

export const OPENAPI_SPECS: Spec[] = [
  { file: 'intake-api.json', options: INTAKE_APP, module: (config) => IntakeModule.forRoot(config) },
  { file: 'console-api.json', options: CONSOLE_APP, module: (config) => ConsoleModule.forRoot(config) },
];

/**
 * The OpenAPI document of an app, built in Nest's preview mode: the module graph is read but no
 * provider runs, so no database or Redis is needed and the output depends on the code alone.
 */
export async function generateOpenApi(spec: Spec, config: HotlineConfig = loadConfig()): Promise<string> {
  const app = await NestFactory.create<NestFastifyApplication>(spec.module(config) as never, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  const document = buildOpenApi(app, spec.options);
  await app.close();
  return `${JSON.stringify(document, null, 2)}\n`;
}

export async function writeOpenApi(dir = OPENAPI_DIR): Promise<string[]> {
  const written: string[] = [];
  for (const spec of OPENAPI_SPECS) {
    const file = join(dir, spec.file);
    writeFileSync(file, await generateOpenApi(spec));
    written.push(file);
  }
  return written;
}
