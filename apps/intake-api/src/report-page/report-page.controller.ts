import { negotiateLanguage, ProblemException, requestLanguage, setRequestLanguage, t } from '@hotline/http';
import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReportRateLimiter } from '../rate-limit/report-rate-limiter';
import { ReportIntakeService } from '../reports/report-intake.service';
import { validateReport } from '../reports/report-validation';
import { formToReportBody, formToStatusCheck, formToValues } from './form';
import { REPORT_PAGE_CSP, renderReportPage, renderReceiptPage, renderStatusPage } from './render';

const HTML = 'text/html; charset=utf-8';

/** The report web page: a plain HTML form that works without JavaScript (Tor, old phones). */
@ApiExcludeController()
@Controller()
export class ReportPageController {
  constructor(
    private readonly intake: ReportIntakeService,
    private readonly limiter: ReportRateLimiter,
  ) {}

  @Get()
  page(@Req() request: FastifyRequest, @Query('lang') lang: unknown, @Res() reply: FastifyReply): void {
    const language = negotiateLanguage({ explicit: lang, acceptLanguage: request.headers['accept-language'] });
    void asPage(reply, language).send(renderReportPage({ lang: language, values: { language } }));
  }

  @Post()
  async submit(@Req() request: FastifyRequest, @Body() form: unknown, @Res() reply: FastifyReply): Promise<void> {
    const fields = form && typeof form === 'object' ? (form as Record<string, unknown>) : {};
    const body = formToReportBody(fields);
    const language = negotiateLanguage({ explicit: body.language, acceptLanguage: request.headers['accept-language'] });
    setRequestLanguage(request, language);
    asPage(reply, language);
    const values = { ...formToValues(fields), language };
    try {
      await this.limiter.consume(request);
      const receipt = await this.intake.submit(validateReport(body, language), 'public_web', language);
      void reply.status(201).send(renderReceiptPage({ lang: language, ...receipt }));
    } catch (error) {
      if (!(error instanceof ProblemException) || error.kind === 'internal') throw error;
      const lang = requestLanguage(request);
      const errors = (error.details.errors ?? []).map((e) => ({ field: e.field, message: t(lang, e.message, e.params) }));
      if (errors.length === 0) {
        const params = { ...error.details.params, seconds: error.details.retryAfterSeconds ?? 0 };
        errors.push({ field: '', message: t(lang, `problem.${error.kind}.detail` as never, params) });
      }
      if (error.details.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.details.retryAfterSeconds));
      void reply.status(statusOf(error)).send(renderReportPage({ lang, values, errors }));
    }
  }

  /** The status check form on its own (the receipt page has it too). */
  @Get('status')
  statusPage(@Req() request: FastifyRequest, @Query('lang') lang: unknown, @Res() reply: FastifyReply): void {
    const language = negotiateLanguage({ explicit: lang, acceptLanguage: request.headers['accept-language'] });
    void asPage(reply, language).send(renderStatusPage({ lang: language }));
  }

  /**
   * Answers the status check form like `GET /api/v1/reports/{reference}/status`: unknown reference
   * and wrong token get the same page. Counted by the intake rate limit, so tokens cannot be
   * guessed without limit. The token is never written into the page.
   */
  @Post('status')
  async checkStatus(@Req() request: FastifyRequest, @Body() form: unknown, @Res() reply: FastifyReply): Promise<void> {
    const check = formToStatusCheck(form && typeof form === 'object' ? (form as Record<string, unknown>) : {});
    const language = negotiateLanguage({ explicit: check.language, acceptLanguage: request.headers['accept-language'] });
    setRequestLanguage(request, language);
    asPage(reply, language);
    try {
      await this.limiter.consume(request);
      const found = await this.intake.status(check.reference, check.token);
      const result = { kind: 'found' as const, status: found.status, updatedAt: found.updatedAt };
      void reply.status(200).send(renderStatusPage({ lang: language, reference: found.reference, result }));
    } catch (error) {
      if (!(error instanceof ProblemException) || error.kind === 'internal') throw error;
      const reference = check.reference;
      if (error.kind === 'not_found') {
        void reply.status(404).send(renderStatusPage({ lang: language, reference, result: { kind: 'not_found' } }));
        return;
      }
      const seconds = error.details.retryAfterSeconds;
      if (seconds !== undefined) void reply.header('retry-after', String(seconds));
      const params = { ...error.details.params, seconds: seconds ?? 0 };
      // The catalogue's `unavailable` problem speaks of saving a report; a look-up has its own words.
      const prefix = error.kind === 'unavailable' ? 'status.unavailable' : `problem.${error.kind}`;
      const result = {
        kind: 'error' as const,
        title: t(language, `${prefix}.title` as never),
        message: t(language, `${prefix}.detail` as never, params),
      };
      void reply.status(statusOf(error)).send(renderStatusPage({ lang: language, reference, result }));
    }
  }
}

function statusOf(error: ProblemException): number {
  return { validation: 400, rate_limited: 429, unavailable: 503 }[error.kind as string] ?? 400;
}

/** Every page: its CSP, no referrer, never cached (a receipt holds the status token), its language. */
function asPage(reply: FastifyReply, language: string): FastifyReply {
  return reply
    .header('Content-Security-Policy', REPORT_PAGE_CSP)
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .header('content-language', language)
    .type(HTML);
}
