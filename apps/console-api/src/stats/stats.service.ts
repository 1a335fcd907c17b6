import { HotlineConfig } from '@hotline/config';
import {
  addDays,
  DIMENSION_VALUES,
  DURATION_RELATIVE_ERROR,
  type Figure,
  figureOf,
  METRIC_DEFINITIONS,
  periodStart,
  type SeriesPeriod,
  splitRange,
  STAT_METRICS,
  type StatDimension,
  type StatMetric,
} from '@hotline/domain';
import { type CellSumsRow, StatsRepository } from '@hotline/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StatsRange } from './stats-query';
import { StatsBreakdownView, StatsFigureView, StatsSeriesView, StatsSummaryView, StillOnlineView, ViewingView } from './stats-views';

const NEXT_PERIOD: Record<SeriesPeriod, (start: string) => string> = {
  day: (start) => addDays(start, 1),
  week: (start) => addDays(start, 7),
  month: (start) =>
    start.slice(5, 7) === '12' ? `${Number(start.slice(0, 4)) + 1}-01-01` : `${start.slice(0, 5)}${String(Number(start.slice(5, 7)) + 1).padStart(2, '0')}-01`,
  year: (start) => `${Number(start.slice(0, 4)) + 1}-01-01`,
};

const EMPTY: Omit<CellSumsRow, 'metric' | 'dimension' | 'value'> = { n: 0, hits: 0, measured: 0, hist: [] };

function figureView(metric: StatMetric, sums: Omit<CellSumsRow, 'metric' | 'dimension' | 'value'>, minCell: number): StatsFigureView {
  const figure: Figure = figureOf(metric, sums, minCell);
  return { ...figure, domain: METRIC_DEFINITIONS[metric].domain };
}

/**
 * The regulators' figures: read from the rollups only (never a case, a URL or a name), each cell
 * of fewer than STATS_MIN_CELL cases suppressed. A range's figures are the sums of its whole
 * months' cells and its edge days' cells, so a year costs the same at any size.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stats: StatsRepository,
    private readonly config: HotlineConfig,
  ) {}

  async summary(range: StatsRange): Promise<StatsSummaryView> {
    const minCell = this.config.stats.minCell;
    const [rows, viewing, cursor] = await Promise.all([
      this.stats.sums(this.dataSource, splitRange(range.from, range.end), ['all']),
      this.stats.viewingSums(this.dataSource, range.from, range.end, this.config.exposureDailyLimitMs),
      this.stats.cursor(this.dataSource),
    ]);
    const byMetric = new Map(rows.map((row) => [row.metric, row]));
    return {
      ...this.frame(range, cursor.lastEventId),
      figures: STAT_METRICS.map((metric) => figureView(metric, byMetric.get(metric) ?? EMPTY, minCell)),
      viewing: this.viewingView(viewing),
    };
  }

  /** Confirmed cases not removed yet, now, and the time since their confirmation (suppressed below STATS_MIN_CELL). */
  async stillOnline(): Promise<StillOnlineView> {
    return this.stillOnlineView(await this.stats.stillOnline(this.dataSource), this.config.stats.minCell);
  }

  async breakdown(range: StatsRange, by: StatDimension, metrics: readonly StatMetric[]): Promise<StatsBreakdownView> {
    const minCell = this.config.stats.minCell;
    const [rows, cursor] = await Promise.all([this.stats.sums(this.dataSource, splitRange(range.from, range.end), [by], metrics), this.stats.cursor(this.dataSource)]);
    const sums = new Map(rows.map((row) => [`${row.metric}|${row.value}`, row]));
    return {
      ...this.frame(range, cursor.lastEventId),
      by,
      rows: metrics.flatMap((metric) => DIMENSION_VALUES[by].map((value) => ({ value, ...figureView(metric, sums.get(`${metric}|${value}`) ?? EMPTY, minCell) }))),
    };
  }

  /** One point per period overlapping the range (whole periods: a month series of 15 March to 2 June has March, April, May and June). */
  async series(range: StatsRange, period: SeriesPeriod, metrics: readonly StatMetric[]): Promise<StatsSeriesView> {
    const minCell = this.config.stats.minCell;
    const first = periodStart(range.from, period);
    const end = NEXT_PERIOD[period](periodStart(range.to, period));
    const [rows, viewing, cursor] = await Promise.all([
      this.stats.series(this.dataSource, { period, from: first, to: end, metrics, dimension: 'all' }),
      this.stats.viewingSeries(this.dataSource, period, first, end, this.config.exposureDailyLimitMs),
      this.stats.cursor(this.dataSource),
    ]);
    const sums = new Map(rows.map((row) => [`${row.start}|${row.metric}`, row]));
    const viewingOf = new Map(viewing.map((row) => [row.start, row]));
    const points = [];
    for (let start = first; start < end; start = NEXT_PERIOD[period](start)) {
      points.push({
        start,
        figures: metrics.map((metric) => figureView(metric, sums.get(`${start}|${metric}`) ?? EMPTY, minCell)),
        viewing: this.viewingView(viewingOf.get(start) ?? { analystDays: 0, totalMs: 0, overCap: 0, maxMs: 0 }),
      });
    }
    return { ...this.frame(range, cursor.lastEventId), period, points };
  }

  private frame(range: StatsRange, throughEvent: string) {
    return {
      from: range.from,
      to: range.to,
      minCell: this.config.stats.minCell,
      durationRelativeError: DURATION_RELATIVE_ERROR,
      throughEvent,
    };
  }

  private viewingView(v: { analystDays: number; totalMs: number; overCap: number; maxMs: number }): ViewingView {
    return {
      analystDays: v.analystDays,
      hours: v.totalMs / 3_600_000,
      hoursPerAnalystDay: v.analystDays > 0 ? v.totalMs / 3_600_000 / v.analystDays : null,
      maxHours: v.maxMs / 3_600_000,
      capHours: this.config.exposureDailyLimitMs / 3_600_000,
      overCap: v.overCap,
    };
  }

  private stillOnlineView(
    online: { count: number; medianSeconds: number | null; p90Seconds: number | null; oldestSeconds: number | null },
    minCell: number,
  ): StillOnlineView {
    if (online.count > 0 && online.count < minCell) return { count: null, medianSeconds: null, p90Seconds: null, oldestSeconds: null, suppressed: true };
    return { ...online, suppressed: false };
  }
}
