import { BULK_BODY_LIMIT_BYTES, BULK_BODY_LIMIT_TEXT, MAX_BULK_URLS } from '@hotline/domain';
import { Language, negotiateLanguage, ProblemException, replyWithProblem, setRequestLanguage } from '@hotline/http';
import { ApiKeyRow } from '@hotline/persistence';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemDto } from '../reports/report.dto';
import { BulkReceiptDto, BulkUrlDto, ContentHashDto, SubmitBulkBatchDto } from './bulk-report.dto';
import { BulkReportIntakeService } from './bulk-report-intake.service';
import { urlsInBody, validateBulkBatch } from './bulk-validation';

export const BULK_REPORTS_PATH = '/api/v1/bulk-reports';

/**
 * `POST /api/v1/bulk-reports`, for trusted sources (API keys with the `bulk_reports` scope).
 * Registered on Fastify directly, like the public submission route, because it needs what a Nest
 * controller cannot say: a body limit of its own (4 MiB: BULK_BODY_LIMIT_BYTES) and checks that
 * run before the body is read, so a request without a valid key is refused without reading
 * megabytes. Under a per-key daily quota instead of the public rate limit. Like every intake
 * route it never reads the client address.
 */
@Injectable()
export class BulkReportsRoute implements OnModuleInit {
  private readonly logger = new Logger('Problem');
  private readonly keys = new WeakMap<FastifyRequest, ApiKeyRow>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly intake: BulkReportIntakeService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'POST',
      url: BULK_REPORTS_PATH,
      bodyLimit: BULK_BODY_LIMIT_BYTES,
      onRequest: (request) => this.admit(request),
      handler: (request, reply) => this.submit(request, reply),
      // Also answers this route's body-parsing failures: 413 (with this route's limit), malformed JSON.
      errorHandler: (error, request, reply) => {
        if (error instanceof ProblemException && error.kind === 'unauthorized') void reply.header('www-authenticate', 'Bearer');
        const tooLarge = (error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE';
        replyWithProblem(tooLarge ? new ProblemException('payload_too_large', { params: { limit: BULK_BODY_LIMIT_TEXT } }) : error, request, reply, this.logger);
      },
    });
  }

  /** Before the body is read: the key, then the media type (errors in the Accept-Language). */
  private async admit(request: FastifyRequest): Promise<void> {
    const language = negotiateLanguage({ acceptLanguage: request.headers['accept-language'] });
    this.keys.set(request, await this.intake.authenticate(request.headers.authorization, language));
    if (!isJson(request.headers['content-type'])) {
      throw new ProblemException('unsupported_media_type', { params: { expected: 'application/json' }, language });
    }
  }

  private async submit(request: FastifyRequest, reply: FastifyReply): Promise<BulkReceiptDto> {
    const body = request.body;
    const explicit = body && typeof body === 'object' ? (body as { language?: unknown }).language : undefined;
    const language: Language = negotiateLanguage({ explicit, acceptLanguage: request.headers['accept-language'] });
    setRequestLanguage(request, language);
    let batch;
    try {
      batch = validateBulkBatch(body, language);
    } catch (error) {
      this.intake.refused(urlsInBody(body));
      throw error;
    }
    const { receipt, replayed } = await this.intake.submit(this.keys.get(request)!, batch, language);
    void reply.status(replayed ? 200 : 201);
    return receipt;
  }
}

function isJson(contentType: string | undefined): boolean {
  return typeof contentType === 'string' && /^application\/json\s*(;|$)/i.test(contentType);
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
});

const receipt = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/BulkReceiptDto' } } } });

/** The OpenAPI description of the route, which Nest's scanner cannot see. */
export const BULK_REPORTS_OPENAPI: { paths: OpenAPIObject['paths']; extraModels: (new () => object)[] } = {
  extraModels: [SubmitBulkBatchDto, BulkUrlDto, ContentHashDto, BulkReceiptDto, ProblemDto],
  paths: {
    [BULK_REPORTS_PATH]: {
      post: {
        operationId: 'submitBulkReports',
        summary: 'Report a batch of web addresses as a trusted source',
        description:
          `For API keys with the bulk_reports scope (Authorization: Bearer hlk_...). Up to ${MAX_BULK_URLS} URLs, filed as one report, ` +
          'whole or not at all: one bad URL refuses the batch, naming it by index. Idempotent by batchId: the first batch sent under an id ' +
          'is filed; the same id again answers 200 with the first receipt and files nothing, whatever the body. ' +
          'Counted against the key’s daily quota of URLs (UTC day). A URL whose content hash matches a known hash is confirmed without review.',
        tags: ['bulk-reports'],
        security: [{ bearer: [] }],
        parameters: [],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SubmitBulkBatchDto' } } } },
        responses: {
          '201': receipt('Filed (committed)'),
          '200': receipt('This batch id was filed before: its receipt, nothing new filed'),
          '400': problem('Malformed JSON or invalid fields (unknown fields included), each named, e.g. urls[12].url'),
          '401': problem('No API key, or not a live one'),
          '403': problem('The key lacks the bulk_reports scope'),
          '413': problem(`Body larger than ${BULK_BODY_LIMIT_TEXT}`),
          '415': problem('Not application/json'),
          '429': problem('The key’s daily quota of URLs would be exceeded; see Retry-After (the next UTC midnight)'),
          '503': problem('Storage unavailable; nothing was saved; see Retry-After'),
        },
      },
    },
  },
};
