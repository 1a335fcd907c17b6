import { FieldProblem } from '@hotline/http';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Requires } from '../staff-access/access.decorators';
import { parseDimension, parseFormat, parseMetrics, parsePeriod, parseRange, type StatsFormat, throwIfInvalid } from './stats-query';
import { breakdownCsv, seriesCsv, summaryCsv } from './stats-csv';
import { StatsService } from './stats.service';
import { StatsBreakdownView, StatsSeriesView, StatsSummaryView, StillOnlineView } from './stats-views';

const RANGE_QUERIES = [
  ApiQuery({ name: 'from', required: false, description: 'First day, YYYY-MM-DD (UTC); default 1 January of this year' }),
  ApiQuery({ name: 'to', required: false, description: 'Last day, included; default today' }),
  ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] }),
];

function send<T>(reply: FastifyReply, format: StatsFormat, view: T, toCsv: (view: T) => string, name: string): T | string {
  if (format === 'json') return view;
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${name}.csv"`);
  return toCsv(view);
}

/**
 * The regulators' statistics (docs/statistics.md): aggregates only, read from the rollups; no URL,
 * report text or staff name can appear in them. Read-only, audited like every staff request.
 */
@ApiTags('statistics')
@ApiBearerAuth()
@ApiExtraModels(StatsSummaryView)
@Controller('api/v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('summary')
  @Requires('stats.read')
  @ApiOperation({ summary: 'Every metric over a range: count, hits and rate, median and 90th percentile of its clock; viewing time; confirmed cases still online' })
  @(RANGE_QUERIES[0])
  @(RANGE_QUERIES[1])
  @(RANGE_QUERIES[2])
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ schema: { $ref: getSchemaPath(StatsSummaryView) } })
  async summary(@Query('from') from: unknown, @Query('to') to: unknown, @Query('format') format: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const errors: FieldProblem[] = [];
    const range = parseRange(from, to, errors);
    const as = parseFormat(format, errors);
    throwIfInvalid(errors);
    return send(reply, as, await this.stats.summary(range), summaryCsv, `summary-${range.from}-${range.to}`);
  }

  @Get('still-online')
  @Requires('stats.read')
  @ApiOperation({ summary: 'Confirmed cases not removed yet, now, and the time since their confirmation (to the hour): now, whatever the period' })
  @ApiOkResponse({ type: StillOnlineView })
  stillOnline(): Promise<StillOnlineView> {
    return this.stats.stillOnline();
  }

  @Get('breakdown')
  @Requires('stats.read')
  @ApiOperation({ summary: 'The metrics over a range for each value of one breakdown (source, hosting, content type or verdict)' })
  @(RANGE_QUERIES[0])
  @(RANGE_QUERIES[1])
  @(RANGE_QUERIES[2])
  @ApiQuery({ name: 'by', required: true, enum: ['source', 'hosting', 'content_type', 'verdict'] })
  @ApiQuery({ name: 'metric', required: false, description: 'Metrics, separated by commas; default all' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: StatsBreakdownView })
  async breakdown(
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Query('by') by: unknown,
    @Query('metric') metric: unknown,
    @Query('format') format: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const errors: FieldProblem[] = [];
    const range = parseRange(from, to, errors);
    const dimension = parseDimension(by, errors);
    const metrics = parseMetrics(metric, errors);
    const as = parseFormat(format, errors);
    throwIfInvalid(errors);
    return send(reply, as, await this.stats.breakdown(range, dimension, metrics), breakdownCsv, `breakdown-${dimension}-${range.from}-${range.to}`);
  }

  @Get('series')
  @Requires('stats.read')
  @ApiOperation({ summary: 'The metrics per day, week (ISO, from Monday), month or year over a range, whole periods' })
  @(RANGE_QUERIES[0])
  @(RANGE_QUERIES[1])
  @(RANGE_QUERIES[2])
  @ApiQuery({ name: 'period', required: false, enum: ['day', 'week', 'month', 'year'] })
  @ApiQuery({ name: 'metric', required: false, description: 'Metrics, separated by commas; default all' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: StatsSeriesView })
  async series(
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Query('period') period: unknown,
    @Query('metric') metric: unknown,
    @Query('format') format: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const errors: FieldProblem[] = [];
    const range = parseRange(from, to, errors);
    const every = parsePeriod(period, errors);
    const metrics = parseMetrics(metric, errors);
    const as = parseFormat(format, errors);
    throwIfInvalid(errors);
    return send(reply, as, await this.stats.series(range, every, metrics), seriesCsv, `series-${every}-${range.from}-${range.to}`);
  }
}
