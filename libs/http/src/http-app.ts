import { HotlineConfig } from '@hotline/config';
import { MetricsRegistry } from '@hotline/observability';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ProblemFilter } from './problem.filter';

/** The contract's body limit for every public and staff endpoint. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpAppOptions {
  name: string;
  title: string;
  description: string;
}

/**
 * Builds one of the HTTP apps the same way: Fastify with the contract's body limit and no
 * client address in its logs, pino logging, problem+json errors, request metrics, OpenAPI.
 * Returns it initialised but not listening (tests use it through supertest as it is).
 */
export async function createHttpApp(module: Type, config: HotlineConfig, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy as boolean | string | string[],
    logger: false,
    // Keep-alive beyond typical load-balancer idle timeouts.
    keepAliveTimeout: 65_000,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  observeRequests(fastify, app.get(MetricsRegistry));
  if (config.openApiUi) {
    SwaggerModule.setup('api/docs', app, () => buildOpenApi(app, options), { jsonDocumentUrl: 'api/docs/openapi.json' });
  }
  await app.init();
  await fastify.ready();
  return app;
}

export function buildOpenApi(app: NestFastifyApplication, options: HttpAppOptions): OpenAPIObject {
  const document = new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('1').build();
  return SwaggerModule.createDocument(app, document);
}

function observeRequests(fastify: ReturnType<NestFastifyApplication['getHttpAdapter']>['getInstance'] extends () => infer F ? F : never, metrics: MetricsRegistry): void {
  const duration = metrics.histogram(
    'hotline_http_request_duration_seconds',
    'HTTP requests by route pattern and status (no client address, no path values)',
    ['method', 'route', 'status'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    if (route === '/metrics' || route.startsWith('/health')) return;
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}
