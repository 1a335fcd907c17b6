import { PartnerVerifier } from '@hotline/exchange';
import { BODY_LIMIT_BYTES, ProblemException, ProblemWording, setProblemWording } from '@hotline/http';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { errorCodes, FastifyInstance, FastifyRequest } from 'fastify';
import { PassThrough, Readable } from 'node:stream';
import { ExchangeInboundService } from './exchange-inbound.service';

export const EXCHANGE_MESSAGES_PATH = '/api/v1/exchange/messages';

/**
 * The exchange endpoint answers partner hotlines, not reporters: its problems in words meant for
 * them (a 413 is not "Your report is too large"), whatever raised them, Fastify's parser included.
 */
export const PARTNER_WORDING: ProblemWording = {
  malformed_json: 'exchange_unreadable',
  bad_request: 'exchange_unreadable',
  invalid_request: 'exchange_invalid',
  payload_too_large: 'exchange_too_large',
  unsupported_media_type: 'exchange_media_type',
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The exchange endpoint's body as it arrived, byte for byte (its digest is signed). */
    exchangeRawBody?: Buffer;
    /** The partner whose signature on it held. */
    exchangeSender?: PartnerVerifier;
  }
}

/**
 * Who sent an exchange request is checked before anything reads what it says. A preParsing hook
 * (it runs before Fastify's content type check, body limit and JSON parser, and before Nest's
 * guards and pipes), on that route only: a request that names no partner of ours is refused from
 * its headers; then the raw body is read (the signature covers its digest, and JSON parsed and
 * printed again is not the same bytes), up to the body limit; then the signature and nonce are
 * checked; only then do the same bytes go on to be parsed. So an unsigned or forged request gets
 * its 401 whatever its body, except a body over the limit (413), which is not read to check.
 */
@Injectable()
export class ExchangeRawBody implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly inbound: ExchangeInboundService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request) => {
      if (isExchangeRequest(request)) setProblemWording(request, PARTNER_WORDING);
    });
    fastify.addHook('preParsing', async (request, _reply, payload) => {
      if (!isExchangeRequest(request)) return payload;
      const sender = await this.inbound.sender(request.headers);
      const body = await readBody(payload, request.headers['content-length'], BODY_LIMIT_BYTES);
      await this.inbound.verify(sender, { method: request.method, url: request.url, headers: request.headers, body });
      request.exchangeSender = sender;
      request.exchangeRawBody = body;
      return new PassThrough().end(body);
    });
  }
}

/** The sender and raw body of an exchange request whose signature held (null if the hook did not run). */
export function signedExchangeRequest(request: FastifyRequest): { sender: PartnerVerifier; body: Buffer } | null {
  return request.exchangeSender && request.exchangeRawBody ? { sender: request.exchangeSender, body: request.exchangeRawBody } : null;
}

function isExchangeRequest(request: FastifyRequest): boolean {
  return request.routeOptions?.url === EXCHANGE_MESSAGES_PATH;
}

/**
 * The whole body; the 413 Fastify's own reader gives as soon as it is larger than `limit`, by its
 * Content-Length or as it arrives (then it is read no further).
 */
function readBody(payload: Readable, contentLength: string | undefined, limit: number): Promise<Buffer> {
  if (Number(contentLength) > limit) return Promise.reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => payload.off('data', onData).off('end', onEnd).off('error', onError);
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > limit) {
        stop();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      } else chunks.push(bytes);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    // The sender went away while sending: nothing anyone will read is answered, and it is no fault of ours.
    const onError = () => {
      stop();
      reject(new ProblemException('bad_request'));
    };
    payload.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
