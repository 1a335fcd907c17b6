import { negotiateLanguage, ProblemException, replyWithProblem, setRequestLanguage } from '@hotline/http';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ReportRateLimiter } from '../rate-limit/report-rate-limiter';
import { ProblemDto, ReportReceiptDto, SubmitReportDto } from './report.dto';
import { ReportIntakeService } from './report-intake.service';
import { validateReport } from './report-validation';

export const SUBMIT_REPORT_PATH = '/api/v1/reports';

/**
 * `POST /api/v1/reports`, the route every reporter hits, registered on Fastify directly by this
 * provider instead of through a Nest controller: Nest's router costs about 13 µs of the 80 µs a
 * submission takes (ADR 0004). Everything else is shared with the Nest routes: the services come
 * from DI, errors are the same problem+json, the request metrics hook sees it like any route.
 */
@Injectable()
export class ReportSubmissionRoute implements OnModuleInit {
  private readonly logger = new Logger('Problem');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly intake: ReportIntakeService,
    private readonly limiter: ReportRateLimiter,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'POST',
      url: SUBMIT_REPORT_PATH,
      handler: (request, reply) => this.submit(request, reply),
      // Also answers this route's body-parsing failures: 413, 415, malformed JSON.
      errorHandler: (error, request, reply) => replyWithProblem(error, request, reply, this.logger),
    });
  }

  private async submit(request: FastifyRequest, reply: FastifyReply): Promise<ReportReceiptDto> {
    await this.limiter.consume(request);
    if (!isJson(request.headers['content-type'])) {
      throw new ProblemException('unsupported_media_type', { params: { expected: 'application/json' } });
    }
    const body = request.body;
    const explicit = body && typeof body === 'object' ? (body as { language?: unknown }).language : undefined;
    const language = negotiateLanguage({ explicit, acceptLanguage: request.headers['accept-language'] });
    setRequestLanguage(request, language);
    const receipt = await this.intake.submit(validateReport(body, language), 'public_api', language);
    void reply.status(201);
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

/** The OpenAPI description of the route, which Nest's scanner cannot see. */
export const SUBMIT_REPORT_OPENAPI: { paths: OpenAPIObject['paths']; extraModels: (new () => object)[] } = {
  extraModels: [SubmitReportDto, ReportReceiptDto, ProblemDto],
  paths: {
    [SUBMIT_REPORT_PATH]: {
      post: {
        operationId: 'submitReport',
        summary: 'Report web addresses anonymously',
        description: 'Answers 201 only after the report is committed.',
        tags: ['reports'],
        parameters: [],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SubmitReportDto' } } } },
        responses: {
          '201': { description: 'Stored', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReportReceiptDto' } } } },
          '400': problem('Malformed JSON or invalid fields (unknown fields included)'),
          '413': problem('Body larger than 64 KiB'),
          '415': problem('Not application/json'),
          '429': problem('Too many reports from this client; see Retry-After'),
          '503': problem('Storage unavailable; nothing was saved; see Retry-After'),
        },
      },
    },
  },
};
