import type { StatEvent } from '@hotline/domain';

/** A case event as the statistics read it, with its case. */
export interface StatEventRow extends StatEvent {
  caseId: string;
}

/** Sums of stored cells over a range, per metric and breakdown value. */
export interface CellSumsRow {
  metric: string;
  dimension: string;
  value: string;
  n: number;
  hits: number;
  measured: number;
  hist: number[];
}

/** Sums per series period (`start`: its first day). */
export interface SeriesSumsRow extends CellSumsRow {
  start: string;
}

/** Viewing time over a range: analyst-days, their total, those over the daily cap. */
export interface ViewingSums {
  analystDays: number;
  totalMs: number;
  overCap: number;
  maxMs: number;
}

export interface ViewingDayRow extends ViewingSums {
  start: string;
}

/** One row of stats_viewing_day: a day's viewing, its analyst-days over `capMs` counted as `overCap`. */
export interface ViewingDaySumsRow {
  day: string;
  analystDays: number;
  totalMs: number;
  maxMs: number;
  capMs: number;
  overCap: number;
}

/** The next events past the stats cursor (see SCAN). */
export interface StatsScanBatch {
  /** The cursor before this batch. */
  from: string;
  read: number;
  /** Events before the first gap that holds the scan (the ones this round takes in). */
  passed: number;
  /** The last event that may be passed; null when a gap right after the cursor holds the scan. */
  through: string | null;
  blockedAt: string | null;
  lastRead: string | null;
  gapsPassed: number;
  seenAt: Date;
  caseIds: string[];
}
