import { addDays, isStatDate, SERIES_PERIODS, type SeriesPeriod, STAT_DIMENSIONS, STAT_METRICS, type StatDimension, type StatMetric } from '@hotline/domain';
import { FieldProblem, ProblemException } from '@hotline/http';

/** The longest range one request may cover: ten years of days is 3,650 points a metric. */
const MAX_RANGE_DAYS = 3_660;

export type StatsFormat = 'json' | 'csv';

/** A range as the API takes it (`from` and `to` both included) and as the rollups read it (`end`: the day after `to`). */
export interface StatsRange {
  from: string;
  to: string;
  end: string;
}

const rule = (field: string, detail: string): FieldProblem => ({ field, message: 'field.rule', params: { detail } });

/** A missing range is the current year until today (UTC). */
export function parseRange(fromText: unknown, toText: unknown, errors: FieldProblem[], today = new Date().toISOString().slice(0, 10)): StatsRange {
  const from = fromText === undefined ? `${today.slice(0, 4)}-01-01` : fromText;
  const to = toText === undefined ? today : toText;
  if (typeof from !== 'string' || !isStatDate(from)) errors.push(rule('from', 'a date YYYY-MM-DD'));
  if (typeof to !== 'string' || !isStatDate(to)) errors.push(rule('to', 'a date YYYY-MM-DD'));
  if (errors.length > 0) return { from: today, to: today, end: addDays(today, 1) };
  const range = { from: from as string, to: to as string, end: addDays(to as string, 1) };
  if (range.from > range.to) errors.push(rule('to', 'on or after from'));
  else if (Date.parse(range.end) - Date.parse(range.from) > MAX_RANGE_DAYS * 86_400_000) errors.push(rule('to', `at most ${MAX_RANGE_DAYS} days after from`));
  return range;
}

export function parseFormat(text: unknown, errors: FieldProblem[]): StatsFormat {
  if (text === undefined || text === 'json') return 'json';
  if (text === 'csv') return 'csv';
  errors.push(rule('format', 'json or csv'));
  return 'json';
}

export function parseDimension(text: unknown, errors: FieldProblem[], field = 'by'): StatDimension {
  if (typeof text === 'string' && (STAT_DIMENSIONS as readonly string[]).includes(text)) return text as StatDimension;
  errors.push(rule(field, STAT_DIMENSIONS.join(', ')));
  return 'source';
}

export function parsePeriod(text: unknown, errors: FieldProblem[]): SeriesPeriod {
  if (text === undefined) return 'month';
  if (typeof text === 'string' && (SERIES_PERIODS as readonly string[]).includes(text)) return text as SeriesPeriod;
  errors.push(rule('period', SERIES_PERIODS.join(', ')));
  return 'month';
}

/** Metrics as a comma-separated list; none means all. */
export function parseMetrics(text: unknown, errors: FieldProblem[]): StatMetric[] {
  if (text === undefined) return [...STAT_METRICS];
  const names = typeof text === 'string' ? text.split(',') : [];
  if (names.length === 0 || names.some((name) => !(STAT_METRICS as readonly string[]).includes(name))) {
    errors.push(rule('metric', `one or more of ${STAT_METRICS.join(', ')}, separated by commas`));
    return [...STAT_METRICS];
  }
  return [...new Set(names)] as StatMetric[];
}

export function throwIfInvalid(errors: FieldProblem[]): void {
  if (errors.length > 0) throw new ProblemException('invalid_request', { errors });
}
