import type { HotlineConfig } from '@hotline/config';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';

/**
 * nestjs-pino settings shared by every app. Request logs hold a correlation id, the method, the
 * route pattern (never the query, never a body), the status and the time taken. The client
 * address, headers and bodies are never serialised; the redaction list is a second fence for
 * anything a developer logs by mistake.
 */
export function loggerParams(config: Pick<HotlineConfig, 'logLevel' | 'env'>, app: string): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { app },
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : randomUUID();
      },
      serializers: {
        req: (req: { id: string; method: string; raw?: IncomingMessage & { routeOptions?: { url?: string } }; url?: string }) => ({
          id: req.id,
          method: req.method,
          route: routePattern(req.raw ?? (req as unknown as IncomingMessage)),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: (err: Error & { code?: string }) => ({ type: err.name, code: err.code, message: err.message, stack: err.stack }),
      },
      redact: {
        paths: [
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
        ],
        remove: true,
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
      quietReqLogger: true,
      ...(config.env === 'test' ? { level: 'silent' } : {}),
    },
    // Health probes and scrapes are frequent and say nothing.
    exclude: ['/health/*path', '/metrics'],
  } as Params;
}

/** `/api/v1/reports/:reference/status` rather than the concrete path. */
function routePattern(req: IncomingMessage): string {
  const url = req.url ?? '';
  const path = url.split('?')[0];
  return path.replace(/\/reports\/[^/]+\/status$/, '/reports/:reference/status');
}
