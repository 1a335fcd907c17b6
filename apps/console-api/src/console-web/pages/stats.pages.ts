import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { STAT_METRICS } from '@hotline/domain';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Requires } from '../../staff-access/access.decorators';
import { StatsService } from '../../stats/stats.service';
import { ct } from '../i18n';
import { pageContext } from '../layout';
import { pageReply } from '../page-reply';
import { ConsolePages } from '../page-routes';
import { auditVerifyBody } from './audit-verify-page';
import { statsPageBody } from './stats-page';
import { chartPeriod, readStatsQuery } from './stats-range';

/**
 * The regulators' pages (regulator, admin): the statistics of a period (the same StatsService the
 * API answers from, so page and exports cannot disagree) with charts drawn on the server, and the
 * audit log's integrity check. Read-only; each view is audited by the interceptor.
 */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class StatsPages {
  constructor(
    private readonly stats: StatsService,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  @Get('stats')
  @Requires('stats.read')
  async statistics(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<string> {
    const ctx = pageContext(request, this.config);
    const today = ctx.now.toISOString().slice(0, 10);
    const asked = readStatsQuery(query, today);
    const title = ct(ctx.lang, 'stats.title');
    if (asked.problems.length > 0) return pageReply(reply, ctx, { title, active: 'stats', body: statsPageBody(ctx, { query: asked, today, figures: null }) }, 400);
    const [period, stillOnline, series, breakdown] = await Promise.all([
      this.stats.summary(asked.range),
      this.stats.stillOnline(),
      this.stats.series(asked.range, chartPeriod(asked.range), STAT_METRICS),
      this.stats.breakdown(asked.range, asked.by, STAT_METRICS),
    ]);
    const summary = { ...period, stillOnline };
    return pageReply(reply, ctx, { title, active: 'stats', body: statsPageBody(ctx, { query: asked, today, figures: { summary, series, breakdown } }) });
  }

  @Get('audit/verify')
  @Requires('audit.verify')
  async auditVerify(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const ctx = pageContext(request, this.config);
    const verdict = await this.audit.verify();
    return pageReply(reply, ctx, { title: ct(ctx.lang, 'stats.verify.title'), active: 'auditVerify', body: auditVerifyBody(ctx, verdict) });
  }
}
