import { type HotlineConfig, loadWorkingCalendar } from '@hotline/config';
import { DURATION_RELATIVE_ERROR, type Figure, figureOf, splitRange, STAT_HOSTING, type StatMetric } from '@hotline/domain';
import type { CellSumsRow, SqlRunner, StatsRepository } from '@hotline/persistence';
import { UsageError } from '../commands/usage-error';

/** The metrics the yearly report shows (docs/statistics.md has their definitions). */
export const TRANSPARENCY_METRICS = ['deduplication', 'public_accuracy', 'police_notification', 'time_to_removal', 'notice_to_removal', 'removal_completion'] as const;
export type TransparencyMetric = (typeof TRANSPARENCY_METRICS)[number];

/** A plain count (reports received, cases still online), suppressed below STATS_MIN_CELL like a cell. */
export interface CountFigure {
  count: number | null;
  suppressed: boolean;
}

export interface HostingRow {
  /** One of STAT_HOSTING. */
  hosting: string;
  /** Confirmed appearances hosted there (police_notification's population). */
  confirmed: Figure;
  removal: Figure;
}

export interface MonthRow {
  /** First day of the month, YYYY-MM-DD. */
  start: string;
  reports: CountFigure;
  confirmed: Figure;
  removal: Figure;
}

/** Everything the report shows, read once: the renderer (transparency-report.ts) only lays it out. */
export interface TransparencyFigures {
  year: number;
  /** HOTLINE_COUNTRY, ISO 3166-1 alpha-2 (`ZZ`: not set). */
  country: string;
  /** When the report was produced (ISO 8601). */
  generatedAt: string;
  /** The year is not over yet: its figures run to `generatedAt`. */
  inProgress: boolean;
  minCell: number;
  durationRelativeError: number;
  /** The last case event the rollups include, and the last one recorded (the worker may be a few seconds behind). */
  throughEvent: string;
  latestEvent: string;
  reportsReceived: CountFigure;
  totals: Record<TransparencyMetric, Figure>;
  byHosting: HostingRow[];
  months: MonthRow[];
  stillOnline: { count: number | null; medianSeconds: number | null; oldestSeconds: number | null; suppressed: boolean };
  calendar: { country: string; weekend: readonly number[]; holidays: string[]; source: 'file' | 'generated' };
}

const FIRST_YEAR = 2000;

/** `--year`: four digits, from 2000 to the current year (a year in progress is reported to date). */
export function transparencyYear(value: string, now: Date): number {
  const last = now.getUTCFullYear();
  if (!/^\d{4}$/.test(value) || Number(value) < FIRST_YEAR || Number(value) > last) {
    throw new UsageError(`--year must be a year from ${FIRST_YEAR} to ${last}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** Suppressed like figureOf: a count of 1 to minCell - 1 could point at one case; none discloses nothing. */
export function countFigure(count: number, minCell: number): CountFigure {
  return count > 0 && count < minCell ? { count: null, suppressed: true } : { count, suppressed: false };
}

const EMPTY = { n: 0, hits: 0, measured: 0, hist: [] as number[] };
const month = (year: number, m: number) => `${year}-${String(m).padStart(2, '0')}-01`;

/**
 * The year's figures from the rollups (sums of its month cells, like the statistics API), the
 * reports table for reports received and the still-online count now; suppressed as the API
 * suppresses them. Nothing here reads a case, a URL or a name.
 */
export async function readTransparencyFigures(
  db: SqlRunner,
  stats: StatsRepository,
  config: HotlineConfig,
  year: number,
  now: Date = new Date(),
): Promise<TransparencyFigures> {
  const minCell = config.stats.minCell;
  const from = month(year, 1);
  const end = month(year + 1, 1);
  const metrics = [...TRANSPARENCY_METRICS];
  const calendar = loadWorkingCalendar(config);
  const [totals, hosting, series, reports, monthlyReports, online, cursor, latestEvent] = await Promise.all([
    stats.sums(db, splitRange(from, end), ['all'], metrics),
    stats.sums(db, splitRange(from, end), ['hosting'], ['police_notification', 'time_to_removal']),
    stats.series(db, { period: 'month', from, to: end, metrics: ['police_notification', 'time_to_removal'], dimension: 'all' }),
    stats.reportsReceived(db, from, end),
    Promise.all(Array.from({ length: 12 }, (_, i) => stats.reportsReceived(db, month(year, i + 1), i === 11 ? end : month(year, i + 2)))),
    stats.stillOnline(db),
    stats.cursor(db),
    stats.lastEventId(db),
  ]);
  const figure = (rows: readonly CellSumsRow[], metric: StatMetric, match: (row: CellSumsRow) => boolean = () => true) =>
    figureOf(metric, rows.find((row) => row.metric === metric && match(row)) ?? EMPTY, minCell);
  const onlineShown = countFigure(online.count, minCell);
  return {
    year,
    country: config.hotlineCountry,
    generatedAt: now.toISOString(),
    inProgress: now.getTime() < Date.parse(`${end}T00:00:00Z`),
    minCell,
    durationRelativeError: DURATION_RELATIVE_ERROR,
    throughEvent: cursor.lastEventId,
    latestEvent,
    reportsReceived: countFigure(reports, minCell),
    totals: Object.fromEntries(metrics.map((metric) => [metric, figure(totals, metric)])) as Record<TransparencyMetric, Figure>,
    byHosting: STAT_HOSTING.map((value) => ({
      hosting: value,
      confirmed: figure(hosting, 'police_notification', (row) => row.value === value),
      removal: figure(hosting, 'time_to_removal', (row) => row.value === value),
    })),
    months: monthlyReports.map((count, i) => {
      const start = month(year, i + 1);
      const rows = series.filter((row) => row.start === start);
      return { start, reports: countFigure(count, minCell), confirmed: figure(rows, 'police_notification'), removal: figure(rows, 'time_to_removal') };
    }),
    stillOnline: onlineShown.suppressed
      ? { count: null, medianSeconds: null, oldestSeconds: null, suppressed: true }
      : { count: online.count, medianSeconds: online.medianSeconds, oldestSeconds: online.oldestSeconds, suppressed: false },
    calendar: {
      country: calendar.country,
      weekend: calendar.weekend,
      holidays: [...calendar.holidays].filter((day) => day.startsWith(`${year}-`)).sort(),
      source: config.stats.workingDaysFile ? 'file' : 'generated',
    },
  };
}
