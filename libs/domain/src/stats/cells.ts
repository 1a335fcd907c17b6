import { durationBucket } from './histogram';
import { STAT_DIMENSIONS, type StatDimension, type StatMetric } from './metrics';
import type { CaseObservations } from './observations';

/**
 * Observations summed per metric, day and full set of breakdown values: the unit the worker, the
 * backfill and `stats:check` add up (one map entry per observation, whatever the size of the
 * database), before `rollupCells` spreads each into the stored cells.
 */
export interface FineCell {
  metric: StatMetric;
  day: string;
  source: string;
  hosting: string;
  contentType: string;
  verdict: string;
  n: number;
  hits: number;
  measured: number;
  hist: Map<number, number>;
}

/** The periods cells are kept for: any range is read from whole months and the days at its edges (periods.ts). */
export const STAT_GRAINS = ['day', 'month'] as const;
export type Grain = (typeof STAT_GRAINS)[number];

/** One stored cell (stats_rollup): a metric in one period, in total (`all`) or for one value of one breakdown. */
export interface RollupCell {
  grain: Grain;
  /** `YYYY-MM-DD`: the day, or the first day of the month. */
  period: string;
  metric: StatMetric;
  dimension: 'all' | StatDimension;
  /** '' for `all`. */
  value: string;
  n: number;
  hits: number;
  measured: number;
  /** Durations per histogram bucket (histogram.ts), dense from bucket 0. */
  hist: number[];
}

export class FineCells {
  readonly cells = new Map<string, FineCell>();
  /** Viewing seconds per `day|staffId`. */
  readonly viewing = new Map<string, number>();
  /** Cases still online per hour of their latest confirmation (CaseObservations.onlineSince). */
  readonly online = new Map<string, number>();

  /** Adds (sign 1) or takes away (sign -1) everything a case gives. */
  add(observed: CaseObservations, sign: 1 | -1 = 1): void {
    for (const { dims, observations } of observed.appearances) {
      for (const o of observations) {
        const key = `${o.metric}|${o.day}|${dims.source}|${dims.hosting}|${dims.contentType}|${dims.verdict}`;
        let cell = this.cells.get(key);
        if (!cell) {
          cell = { metric: o.metric, day: o.day, ...dims, n: 0, hits: 0, measured: 0, hist: new Map() };
          this.cells.set(key, cell);
        }
        cell.n += sign * o.n;
        cell.hits += sign * o.hits;
        if (o.seconds !== null) {
          cell.measured += sign;
          const bucket = durationBucket(o.seconds);
          cell.hist.set(bucket, (cell.hist.get(bucket) ?? 0) + sign);
        }
      }
    }
    for (const v of observed.viewing) {
      const key = `${v.day}|${v.staffId}`;
      this.viewing.set(key, (this.viewing.get(key) ?? 0) + sign * v.seconds);
    }
    if (observed.onlineSince !== null) this.online.set(observed.onlineSince, (this.online.get(observed.onlineSince) ?? 0) + sign);
  }
}

const monthOf = (day: string) => `${day.slice(0, 7)}-01`;

/** The stored cells the fine cells make: per day and per month, in total and by each breakdown; all-zero cells left out. */
export function rollupCells(fine: Iterable<FineCell>): Map<string, RollupCell> {
  const out = spreadCells(new Map(), fine);
  for (const [key, cell] of out) if (isEmptyCell(cell)) out.delete(key);
  for (const cell of out.values()) trimHist(cell.hist);
  return out;
}

/**
 * Adds the stored cells the fine cells make into `out` (keyed by cellKey), which may hold cells
 * already: the backfill spreads each batch of fine cells into one map, rather than making a map
 * per batch and merging it in (each stored cell's histogram array is made once).
 */
export function spreadCells(out: Map<string, RollupCell>, fine: Iterable<FineCell>): Map<string, RollupCell> {
  const into = (grain: Grain, period: string, f: FineCell, dimension: 'all' | StatDimension, value: string) => {
    const key = `${grain}|${period}|${f.metric}|${dimension}|${value}`;
    let cell = out.get(key);
    if (!cell) {
      cell = { grain, period, metric: f.metric, dimension, value, n: 0, hits: 0, measured: 0, hist: [] };
      out.set(key, cell);
    }
    cell.n += f.n;
    cell.hits += f.hits;
    cell.measured += f.measured;
    for (const [bucket, count] of f.hist) {
      for (let k = cell.hist.length; k <= bucket; k++) cell.hist.push(0);
      cell.hist[bucket] += count;
    }
  };
  for (const f of fine) {
    const values: Record<StatDimension, string> = { source: f.source, hosting: f.hosting, content_type: f.contentType, verdict: f.verdict };
    for (const [grain, period] of [
      ['day', f.day],
      ['month', monthOf(f.day)],
    ] as const) {
      into(grain, period, f, 'all', '');
      for (const dimension of STAT_DIMENSIONS) into(grain, period, f, dimension, values[dimension]);
    }
  }
  return out;
}

export function isEmptyCell(cell: Pick<RollupCell, 'n' | 'hits' | 'measured' | 'hist'>): boolean {
  return cell.n === 0 && cell.hits === 0 && cell.measured === 0 && cell.hist.every((c) => c === 0);
}

export function trimHist(hist: number[]): number[] {
  while (hist.length > 0 && hist[hist.length - 1] === 0) hist.pop();
  return hist;
}

export function cellKey(cell: Pick<RollupCell, 'grain' | 'period' | 'metric' | 'dimension' | 'value'>): string {
  return `${cell.grain}|${cell.period}|${cell.metric}|${cell.dimension}|${cell.value}`;
}
