import { HotlineConfig } from '@hotline/config';
import { createRootLogger, freshRequestId, MetricsRegistry, PinoNestLogger, requestId, withCorrelationId } from '@hotline/observability';
import { Logger as NestLogger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyBodyParser, FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { hostileBodyProblem, RefusedBody, reservedNameProblem } from './hostile-body';
import { ProblemFilter, replyWithProblem } from './problem.filter';

/** The contract's body limit for every public and staff endpoint. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface HttpAppOptions {
  name: string;
  title: string;
  description: string;
  /** Routes registered on Fastify directly, which Nest's scanner cannot see, and their DTOs. */
  openApi?: { paths: OpenAPIObject['paths']; extraModels: Type[] };
  /** Take a well-formed X-Request-Id from the caller as this request's id; false on the public side (see freshRequestId). */
  acceptRequestId?: boolean;
}

/**
 * On every response of every app, errors and 404s included, unless the route set its own (the
 * report page sets its CSP). HSTS is the TLS terminator's to send: these apps speak plain HTTP.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
};

/** The CSP of what is not a page (JSON, problems, metrics): nothing runs in it, nothing frames it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Builds one of the HTTP apps the same way: Fastify with the contract's body limit and no
 * client address in its logs, pino logging, problem+json errors, hostile bodies refused, security
 * headers, request metrics, OpenAPI.
 * Returns it initialised but not listening (tests use it through supertest as it is).
 */
export async function createHttpApp(module: Type, config: HotlineConfig, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const logger = createRootLogger(config, options.name);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy as boolean | string | string[],
    // Fastify's own request logging would print the client address; ours (below) does not.
    logger: false,
    genReqId: options.acceptRequestId === false ? freshRequestId : requestId,
    // Keep-alive beyond typical load-balancer idle timeouts.
    keepAliveTimeout: 65_000,
    // Fastify's defaults, stated because they matter: a JSON body holding `__proto__` or
    // `constructor.prototype` never becomes a request's body (see parseJsonBody).
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(new PinoNestLogger(logger));
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  const fastify = app.getHttpAdapter().getInstance();
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, parseJsonBody(fastify));
  refuseHostileBodies(fastify);
  addSecurityHeaders(fastify);
  correlateRequests(fastify);
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
 * Fastify's JSON parser (Nest's default one), except for a body it refuses that is JSON all the
 * same: it held `__proto__` or `constructor.prototype`. That one is read again, by JSON.parse
 * (which only makes them own keys), to say where they are, and handed on as a RefusedBody for
 * refuseHostileBodies to answer like any other hostile body. Malformed JSON stays Fastify's error.
 */
function parseJsonBody(fastify: FastifyInstance): FastifyBodyParser<Buffer> {
  const parse = fastify.getDefaultJsonParser('error', 'error') as unknown as FastifyBodyParser<Buffer>;
  return (request, body, done) =>
    parse(request, body, (error, value) => {
      if (!error) return done(null, value);
      const refused = (error as FastifyError).code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? refusedForReservedNames(body) : null;
      done(refused ? null : error, refused ?? undefined);
    });
}

function refusedForReservedNames(body: Buffer): RefusedBody | null {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  return new RefusedBody(hostileBodyProblem(value) ?? reservedNameProblem('body', '__proto__'));
}

/**
 * Every parsed body, of every route (Nest's, those registered on Fastify directly, plugins'), is
 * checked before anything reads it: guards, pipes, class-transformer, handlers. The problem is
 * answered here, so a plugin's own error handler (Bull Board's answers 500) never sees it.
 */
function refuseHostileBodies(fastify: FastifyInstance): void {
  const logger = new NestLogger('Problem');
  // A callback hook, not an async one: it runs on every request, and most have nothing to refuse.
  fastify.addHook('preValidation', (request, reply, done) => {
    const body = request.body;
    const problem = body === null || typeof body !== 'object' || Buffer.isBuffer(body) ? null : body instanceof RefusedBody ? body.problem : hostileBodyProblem(body);
    if (!problem) return done();
    replyWithProblem(problem, request, reply, logger);
  });
}

function addSecurityHeaders(fastify: FastifyInstance): void {
  const headers = Object.entries(SECURITY_HEADERS);
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    for (const [name, value] of headers) if (!reply.hasHeader(name)) reply.header(name, value);
    // Pages (the report page, the API docs, Bull Board) set the CSP they need, or none.
    if (!reply.hasHeader('content-security-policy') && !/^text\/html/i.test(String(reply.getHeader('content-type') ?? ''))) {
      reply.header('content-security-policy', API_CSP);
    }
    done(null, payload);
  });
}

/**
 * The request's id is its correlation id: answered as X-Request-Id (so a caller can quote it), and
 * current for everything the request runs (its log lines, the outbox rows it writes).
 */
function correlateRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    withCorrelationId(request.id, done);
  });
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
      logger[level](
        { req: { id: request.id, method: request.method, route }, res: { statusCode: status }, responseTime: Math.round(reply.elapsedTime) },
        'request completed',
      );
    }
  });
}
