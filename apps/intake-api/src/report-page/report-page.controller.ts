import { negotiateLanguage, ProblemException, requestLanguage, setRequestLanguage, t } from '@hotline/http';
import { Body, Controller, Get, Header, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReportRateLimiter } from '../rate-limit/report-rate-limiter';
import { ReportIntakeService } from '../reports/report-intake.service';
import { validateReport } from '../reports/report-validation';
import { formToReportBody, formToValues } from './form';
import { REPORT_PAGE_CSP, renderReportPage, renderReceiptPage } from './render';

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
  @Header('Content-Security-Policy', REPORT_PAGE_CSP)
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  page(@Req() request: FastifyRequest, @Query('lang') lang: unknown, @Res() reply: FastifyReply): void {
    const language = negotiateLanguage({ explicit: lang, acceptLanguage: request.headers['accept-language'] });
    void reply
      .type(HTML)
      .header('content-language', language)
      .send(renderReportPage({ lang: language, values: { language } }));
  }

  @Post()
  async submit(@Req() request: FastifyRequest, @Body() form: unknown, @Res() reply: FastifyReply): Promise<void> {
    const fields = form && typeof form === 'object' ? (form as Record<string, unknown>) : {};
    const body = formToReportBody(fields);
    const language = negotiateLanguage({ explicit: body.language, acceptLanguage: request.headers['accept-language'] });
    setRequestLanguage(request, language);
    void reply
      .header('Content-Security-Policy', REPORT_PAGE_CSP)
      .header('Referrer-Policy', 'no-referrer')
      .header('Cache-Control', 'no-store')
      .header('content-language', language)
      .type(HTML);
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
}

function statusOf(error: ProblemException): number {
  return { validation: 400, rate_limited: 429, unavailable: 503 }[error.kind as string] ?? 400;
}
