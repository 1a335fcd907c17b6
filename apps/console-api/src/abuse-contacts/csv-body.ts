import { ProblemException } from '@hotline/http';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { errorCodes, FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';

/** Where a CSV file of abuse contacts is posted as it is (`Content-Type: text/csv`). */
export const ABUSE_CONTACT_IMPORT_PATH = '/api/v1/abuse-contacts/import';
/** A directory file is larger than any JSON body of the API: 5 MB (some 50,000 contacts). */
export const CSV_BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * `text/csv` bodies, for the abuse-contact import only, up to CSV_BODY_LIMIT_BYTES, as bytes (the
 * handler decodes them, refusing what is not UTF-8). Any other route answers a CSV body 415
 * without reading it, as before this parser existed.
 */
@Injectable()
export class CsvBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser('text/csv', (request: FastifyRequest, payload: Readable, done: (error: Error | null, body?: unknown) => void) => {
      if (request.routeOptions?.url !== ABUSE_CONTACT_IMPORT_PATH) {
        done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']));
        return;
      }
      readBody(payload, request.headers['content-length'], CSV_BODY_LIMIT_BYTES).then(
        (body) => done(null, body),
        (error: Error) => done(error),
      );
    });
  }
}

/** The whole body; Fastify's 413 as soon as it is larger than `limit`, by its Content-Length or as it arrives. */
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
        payload.resume();
        reject(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      } else chunks.push(bytes);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = () => {
      stop();
      reject(new ProblemException('bad_request'));
    };
    payload.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** A CSV body as text; refused (400) when it is not UTF-8. */
export function csvText(body: unknown): string {
  if (!Buffer.isBuffer(body)) throw new ProblemException('unsupported_media_type', { params: { expected: 'text/csv' } });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new ProblemException('invalid_request', { errors: [{ field: 'body', message: 'field.rule', params: { detail: 'the file is not UTF-8 text' } }] });
  }
}
