import { addDays, isStatDate, type SeriesPeriod, STAT_DIMENSIONS, type StatDimension } from '@hotline/domain';
import type { StatsRange } from '../../stats/stats-query';
import type { ConsoleMessageKey } from '../i18n';

/** The API's limit (stats-query.ts): ten years of days. */
export const MAX_PAGE_RANGE_DAYS = 3_660;

export const RANGE_FIELDS = { from: 'stats-from', to: 'stats-to', by: 'stats-by' } as const;

export interface PageProblem {
  field: (typeof RANGE_FIELDS)[keyof typeof RANGE_FIELDS];
  key: ConsoleMessageKey;
  params?: Record<string, number>;
}

/** What the statistics page was asked: its period, the breakdown, and what was wrong with the question. */
export interface StatsPageQuery {
  range: StatsRange;
  by: StatDimension;
  /** As typed, to show again in the form. */
  typed: { from: string; to: string; by: string };
  problems: PageProblem[];
}

const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 40) : '');

/**
 * The page's question from its query: a missing period is this year until today (UTC), a
 * missing breakdown the source. Problems are the page's own words (the form shows them next to
 * their fields), never a 5xx.
 */
export function readStatsQuery(query: Record<string, unknown>, today: string): StatsPageQuery {
  const typed = { from: text(query.from) || `${today.slice(0, 4)}-01-01`, to: text(query.to) || today, by: text(query.by) || 'source' };
  const problems: PageProblem[] = [];
  if (!isStatDate(typed.from)) problems.push({ field: RANGE_FIELDS.from, key: 'stats.error.from' });
  if (!isStatDate(typed.to)) problems.push({ field: RANGE_FIELDS.to, key: 'stats.error.to' });
  if (problems.length === 0) {
    if (typed.from > typed.to) problems.push({ field: RANGE_FIELDS.to, key: 'stats.error.order' });
    else if (daysBetween(typed.from, addDays(typed.to, 1)) > MAX_PAGE_RANGE_DAYS)
      problems.push({ field: RANGE_FIELDS.to, key: 'stats.error.tooLong', params: { days: MAX_PAGE_RANGE_DAYS } });
  }
  const known = (STAT_DIMENSIONS as readonly string[]).includes(typed.by);
  if (!known) problems.push({ field: RANGE_FIELDS.by, key: 'stats.error.by' });
  const range = problems.some((p) => p.field !== RANGE_FIELDS.by)
    ? { from: today, to: today, end: addDays(today, 1) }
    : { from: typed.from, to: typed.to, end: addDays(typed.to, 1) };
  return { range, by: known ? (typed.by as StatDimension) : 'source', typed, problems };
}

export function daysBetween(from: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface RangePreset {
  key: ConsoleMessageKey;
  from: string;
  to: string;
}

/** This year until today, last year whole, the last 30 days (today included). */
export function rangePresets(today: string): RangePreset[] {
  const year = Number(today.slice(0, 4));
  return [
    { key: 'stats.preset.thisYear', from: `${year}-01-01`, to: today },
    { key: 'stats.preset.lastYear', from: `${year - 1}-01-01`, to: `${year - 1}-12-31` },
    { key: 'stats.preset.last30', from: addDays(today, -29), to: today },
  ];
}

/**
 * The charts' period for a range: weeks up to about two months (a month or two of bars would say
 * little), months up to three years, years beyond.
 */
export function chartPeriod(range: StatsRange): SeriesPeriod {
  const days = daysBetween(range.from, range.end);
  if (days <= 62) return 'week';
  if (days <= 3 * 366) return 'month';
  return 'year';
}
