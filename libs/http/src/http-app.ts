import { HotlineConfig } from '@hotline/config';
import { createRootLogger, MetricsRegistry, PinoNestLogger, requestId } from '@hotline/observability';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { ProblemFilter } from './problem.filter';

/** The contract's body limit for every public and staff endpoint. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpAppOptions {
  name: string;
  title: string;
  description: string;
  /** Routes registered on Fastify directly, which Nest's scanner cannot see, and their DTOs. */
  openApi?: { paths: OpenAPIObject['paths']; extraModels: Type[] };
}

/**
 * Builds one of the HTTP apps the same way: Fastify with the contract's body limit and no
 * client address in its logs, pino logging, problem+json errors, request metrics, OpenAPI.
 * Returns it initialised but not listening (tests use it through supertest as it is).
 */
export async function createHttpApp(module: Type, config: HotlineConfig, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const logger = createRootLogger(config, options.name);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy as boolean | string | string[],
    // Fastify's own request logging would print the client address; ours (below) does not.
    logger: false,
    genReqId: requestId,
    // Keep-alive beyond typical load-balancer idle timeouts.
    keepAliveTimeout: 65_000,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(new PinoNestLogger(logger));
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  observeRequests(fastify, app.get(MetricsRegistry), logger);
  if (config.openApiUi) {
    SwaggerModule.setup('api/docs', app, () => buildOpenApi(app, options), { jsonDocumentUrl: 'api/docs/openapi.json' });
  }
  await app.init();
  await fastify.ready();
  return app;
}

export function buildOpenApi(app: NestFastifyApplication, options: HttpAppOptions): OpenAPIObject {
  const document = new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('1').build();
  const openApi = SwaggerModule.createDocument(app, document, { extraModels: options.openApi?.extraModels ?? [] });
  for (const [path, item] of Object.entries(options.openApi?.paths ?? {})) openApi.paths[path] = { ...item, ...openApi.paths[path] };
  return openApi;
}

/**
 * One log line and one histogram sample per request: id, method, route pattern (never the path's
 * values, never the query, never a body), status and time. No client address, no headers.
 */
function observeRequests(
  fastify: ReturnType<NestFastifyApplication['getHttpAdapter']>['getInstance'] extends () => infer F ? F : never,
  metrics: MetricsRegistry,
  logger: Logger,
): void {
  const duration = metrics.histogram(
    'hotline_http_request_duration_seconds',
    'HTTP requests by route pattern and status (no client address, no path values)',
    ['method', 'route', 'status'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  // One labelled child per method, route pattern and status, looked up without prom-client
  // hashing the label object on every request.
  const series = new Map<string, ReturnType<typeof duration.labels>>();
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    if (route === '/metrics' || route.startsWith('/health')) return;
    const status = reply.statusCode;
    const key = `${request.method} ${route} ${status}`;
    let child = series.get(key);
    if (!child) series.set(key, (child = duration.labels({ method: request.method, route, status: String(status) })));
    child.observe(reply.elapsedTime / 1000);
    const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
    if (logger.isLevelEnabled(level)) {
      logger[level]({ req: { id: request.id, method: request.method, route }, res: { statusCode: status }, responseTime: Math.round(reply.elapsedTime) }, 'request completed');
    }
  });
}
