import type { HotlineConfig } from '@hotline/config';
import { LoggerService } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import pino, { Logger } from 'pino';
import { currentCorrelationId, isCorrelationId, newCorrelationId } from './correlation';

/**
 * Paths removed from anything logged, as a second fence: code must not log these in the first
 * place (no client address, no report content, no secrets).
 */
const REDACT = [
  'req.headers',
  'req.remoteAddress',
  'req.remotePort',
  'req.body',
  '*.ip',
  '*.ips',
  '*.email',
  '*.contact',
  '*.description',
  '*.statusToken',
  '*.password',
  '*.totp',
  '*.authorization',
];

/** The process's root logger (JSON lines on stdout). */
export function createRootLogger(config: Pick<HotlineConfig, 'logLevel' | 'env'>, app: string): Logger {
  return pino({
    level: config.env === 'test' ? 'silent' : config.logLevel,
    base: { app },
    redact: { paths: REDACT, remove: true },
    serializers: { err: pino.stdSerializers.err },
    // Every line written for a request or a job says which (see correlation.ts).
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId ? { correlationId } : {};
    },
  });
}

/** A request id from a well-formed X-Request-Id (a staff-side proxy's or caller's), or a fresh one. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return isCorrelationId(given) ? given : newCorrelationId();
}

/**
 * Always a fresh request id, whatever the request says: on the public side an id a proxy set
 * would join our rows to that proxy's access log, which holds the reporter's address.
 */
export function freshRequestId(): string {
  return newCorrelationId();
}

/**
 * Nest's logger interface on top of pino. (nestjs-pino's per-request middleware took a measurable share
 * of intake throughput, so request logs come from a Fastify hook instead; see http-app.ts and
 * docs/adr/0003-request-logging-without-middleware.md.)
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    // Nest passes (message, context) or (message, stack, context); objects are merged as fields.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message !== null && typeof message === 'object') {
      const { msg, ...fields } = message as Record<string, unknown>;
      this.logger[level]({ context, ...fields }, typeof msg === 'string' ? msg : undefined);
    } else {
      this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
