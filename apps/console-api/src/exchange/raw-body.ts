import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Transform } from 'node:stream';

export const EXCHANGE_MESSAGES_PATH = '/api/v1/exchange/messages';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exchange endpoint's body as it arrived, byte for byte (its digest is signed). */
    exchangeRawBody?: Buffer[];
  }
}

/**
 * Keeps the raw bytes of the exchange endpoint's body: the signature covers their digest, and
 * JSON parsed and printed again is not the same bytes. A preParsing hook taps the stream the
 * JSON parser reads (so the body limit and parsing stay Fastify's), on that route only.
 */
@Injectable()
export class ExchangeRawBody implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      if (request.routeOptions?.url !== EXCHANGE_MESSAGES_PATH) return payload;
      const chunks: Buffer[] = [];
      request.exchangeRawBody = chunks;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done(null, chunk);
        },
      });
      payload.on('error', (error) => tap.destroy(error));
      return payload.pipe(tap);
    });
  }
}

/** The raw body of an exchange request (empty when it had none). */
export function rawExchangeBody(request: FastifyRequest): Buffer | null {
  return request.exchangeRawBody ? Buffer.concat(request.exchangeRawBody) : null;
}
