import { addCounts, type RollupCell, type StillOnline, stillOnlineOf } from '@hotline/domain';
import { Injectable } from '@nestjs/common';
import { eventScanCtes, type OtherTransactions, otherTransactions } from '../case-event-scan';
import type { SqlRunner } from '../sql';
import { STAT_EVENT_COLUMNS } from './stats-events';
import type { CellSumsRow, SeriesSumsRow, StatEventRow, StatsScanBatch, ViewingDayRow, ViewingDaySumsRow, ViewingSums } from './stats.row';

/**
 * One key for everything that writes the rollups: the worker's rounds take it for their
 * transaction (pg_try_advisory_xact_lock: a busy key skips the round), stats:backfill and
 * stats:check for their session (pg_advisory_lock: they wait for the round in hand).
 */
export const STATS_LOCK_KEY = 7_461_533_001;

// The events past the cursor, in id order, stopping at the first gap (an id not visible yet)
// after $2, like the feedback scan (libs/persistence/src/case-event-scan/event-gaps.ts): the
// caller passes gaps only once no transaction can hold them. Returns the cases touched.
const SCAN = `
WITH ${eventScanCtes('SELECT last_event_id FROM stats_cursor')}
SELECT (SELECT last_event_id FROM cursor)::text AS from_id,
       (SELECT count(*) FROM read)::int AS read,
       (SELECT count(*) FROM passed)::int AS passed,
       (SELECT max(id) FROM passed)::text AS through,
       (SELECT id FROM blocked)::text AS blocked_at,
       (SELECT max(id) FROM read)::text AS last_read,
       (SELECT count(*) FROM passed WHERE step > 1)::int AS gaps_passed,
       clock_timestamp() AS seen_at,
       coalesce((SELECT json_agg(DISTINCT case_id) FROM passed), '[]') AS case_ids`;

const CELL_RECORD = `grain text, period date, metric text, dimension text, value text, n bigint, hits bigint, measured bigint, hist bigint[]`;

// Adds cells in: each row's counts and histogram are added to the stored row's (the worker's
// deltas may be negative). Rows all of whose sums came to zero are then removed.
const ADD_CELLS = `
INSERT INTO stats_rollup AS r (grain, period, metric, dimension, value, n, hits, measured, hist)
SELECT grain, period, metric, dimension, value, n, hits, measured, hist FROM json_to_recordset($1::json) AS c(${CELL_RECORD})
ON CONFLICT (grain, metric, dimension, period, value) DO UPDATE
   SET n = r.n + EXCLUDED.n, hits = r.hits + EXCLUDED.hits, measured = r.measured + EXCLUDED.measured, hist = stats_hist_add(r.hist, EXCLUDED.hist)`;

const DROP_EMPTY_CELLS = `
DELETE FROM stats_rollup r USING json_to_recordset($1::json) AS c(grain text, period date, metric text, dimension text, value text)
 WHERE r.grain = c.grain AND r.metric = c.metric AND r.dimension = c.dimension AND r.period = c.period AND r.value = c.value
   AND r.n = 0 AND r.hits = 0 AND r.measured = 0 AND NOT EXISTS (SELECT 1 FROM unnest(r.hist) AS h WHERE h <> 0)`;

// A range is whole months from the month cells and the edge days from the day cells (at most
// three parts): a year is twelve rows per metric and value, however many cases it holds. Each
// part is one range of the primary key (grain, dimension, period, ...), so what is read never
// depends on the other periods or breakdowns stored. The parts are written out as a UNION ALL:
// joined from a json_to_recordset (estimated at 100 rows), a freshly analysed table was read by
// a sequential scan instead (39 ms for 168 rows at 100,000 cases, bench/results/stats-*).
// $1: dimensions, $2: metrics or null, then grain, from and to of each part.
const RANGE_CELLS = (columns: string, parts: number) =>
  Array.from(
    { length: parts },
    (_, i) => `SELECT ${columns} FROM stats_rollup
       WHERE grain = $${3 + 3 * i}::text AND dimension = ANY($1::text[]) AND period >= $${4 + 3 * i}::date AND period < $${5 + 3 * i}::date
         AND ($2::text[] IS NULL OR metric = ANY($2::text[]))`,
  ).join('\n UNION ALL\n');

// The cells are read as they are and added up here: a few hundred rows for a year, however many
// cases it holds, and adding histograms in Node costs microseconds where the SQL aggregate
// (an SQL aggregate over stats_hist_add, tried first) cost 0.2 ms a row (bench/results/stats-*).
// Histograms come as text and are split here: node-postgres's array parser took 3.5 ms for a
// year's 168 total cells (20,000 buckets), splitting the text 1 ms.
const CELL_COLUMNS = `metric, dimension, value, n::float8 AS n, hits::float8 AS hits, measured::float8 AS measured, hist::text AS hist`;

/** A bigint[] as PostgreSQL writes it ('{}', '{0,3,1}') into numbers. */
export function parseHist(text: string): number[] {
  return text.length <= 2 ? [] : text.slice(1, -1).split(',').map(Number);
}

/** Rows read with CELL_COLUMNS (`hist` as text), their histograms parsed in place. */
function withHist<R extends { hist: number[] }>(rows: R[]): R[] {
  for (const row of rows as unknown as { hist: string | number[] }[]) row.hist = parseHist(row.hist as string);
  return rows;
}

/** Adds up cells that share a key (metric, dimension, value, and the series' start). */
function addUp<R extends CellSumsRow>(rows: readonly R[], keyOf: (row: R) => string): R[] {
  const sums = new Map<string, R>();
  for (const row of rows) {
    const key = keyOf(row);
    const into = sums.get(key);
    if (!into) {
      sums.set(key, { ...row, hist: [...row.hist] });
      continue;
    }
    into.n += row.n;
    into.hits += row.hits;
    into.measured += row.measured;
    addCounts(into.hist, row.hist);
  }
  return [...sums.values()];
}

/** A range split into whole months and edge days (splitRange in libs/domain/src/stats/periods.ts). */
export interface RangeParts {
  months: [string, string] | null;
  days: [string, string][];
}

function rangeParts(parts: RangeParts): { grain: 'day' | 'month'; from: string; to: string }[] {
  return [
    ...(parts.months ? [{ grain: 'month' as const, from: parts.months[0], to: parts.months[1] }] : []),
    ...parts.days.map(([from, to]) => ({ grain: 'day' as const, from, to })),
  ];
}

const histLiteral = (hist: readonly number[]) => `{${hist.join(',')}}`;

/** The regulators' statistics: stats_rollup, stats_viewing, stats_cursor (migration 1796250000000), stats_viewing_day, stats_online (1796280000000). */
@Injectable()
export class StatsRepository {
  /** The worker's round: false when a backfill, a check or another worker holds the rollups. */
  async tryLockForRound(db: SqlRunner): Promise<boolean> {
    const [row]: { locked: boolean }[] = await db.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [STATS_LOCK_KEY]);
    return row.locked;
  }

  async lockSession(db: SqlRunner): Promise<void> {
    await db.query(`SELECT pg_advisory_lock($1)`, [STATS_LOCK_KEY]);
  }

  async unlockSession(db: SqlRunner): Promise<void> {
    await db.query(`SELECT pg_advisory_unlock($1)`, [STATS_LOCK_KEY]);
  }

  /** The other transactions on the database (case-event-scan): first thing in a round's transaction. */
  otherTransactions(db: SqlRunner): Promise<OtherTransactions> {
    return otherTransactions(db);
  }

  /** The next events past the cursor (at most `limit`), stopping at the first gap after `passGapsThrough`. */
  async scanBatch(db: SqlRunner, options: { limit: number; passGapsThrough: string | null }): Promise<StatsScanBatch> {
    const [row]: {
      from_id: string;
      read: number;
      passed: number;
      through: string | null;
      blocked_at: string | null;
      last_read: string | null;
      gaps_passed: number;
      seen_at: Date;
      case_ids: string[];
    }[] = await db.query(SCAN, [options.limit, options.passGapsThrough]);
    return {
      from: row.from_id,
      read: row.read,
      passed: row.passed,
      through: row.through,
      blockedAt: row.blocked_at,
      lastRead: row.last_read,
      gapsPassed: row.gaps_passed,
      seenAt: new Date(row.seen_at),
      caseIds: row.case_ids,
    };
  }

  /** Every event of `caseIds` up to `through`, in (case, id) order. */
  eventsOfCases(db: SqlRunner, caseIds: readonly string[], through: string): Promise<StatEventRow[]> {
    return db.query(`SELECT ${STAT_EVENT_COLUMNS} FROM case_event e WHERE e.case_id = ANY($1::uuid[]) AND e.id <= $2::bigint ORDER BY e.case_id, e.id`, [
      caseIds,
      through,
    ]);
  }

  /** The statement that reads every event up to `through` in (case, id) order: for a cursor (backfill, check). */
  allEventsStatement(through: string): { sql: string; parameters: unknown[] } {
    return { sql: `SELECT ${STAT_EVENT_COLUMNS} FROM case_event e WHERE e.id <= $1::bigint ORDER BY e.case_id, e.id`, parameters: [through] };
  }

  /** Adds cells (sums, possibly negative) into the stored ones; a row that comes to nothing is removed. */
  async addCells(db: SqlRunner, cells: readonly RollupCell[]): Promise<void> {
    for (let i = 0; i < cells.length; i += 5_000) {
      const chunk = JSON.stringify(cells.slice(i, i + 5_000).map((c) => ({ ...c, hist: histLiteral(c.hist) })));
      await db.query(ADD_CELLS, [chunk]);
      await db.query(DROP_EMPTY_CELLS, [chunk]);
    }
  }

  /**
   * Adds viewing time (ms, possibly negative) per day and analyst; a row that comes to nothing is
   * removed. Then sums the days touched again into stats_viewing_day, counting the analyst-days
   * over `capMs` (EXPOSURE_DAILY_LIMIT).
   */
  async addViewing(db: SqlRunner, viewing: readonly { day: string; staffId: string; ms: number }[], capMs: number): Promise<void> {
    for (let i = 0; i < viewing.length; i += 5_000) {
      const chunk = JSON.stringify(viewing.slice(i, i + 5_000));
      await db.query(
        `INSERT INTO stats_viewing AS v (day, staff_user_id, ms)
         SELECT day, "staffId", ms FROM json_to_recordset($1::json) AS x(day date, "staffId" uuid, ms bigint)
         ON CONFLICT (day, staff_user_id) DO UPDATE SET ms = v.ms + EXCLUDED.ms`,
        [chunk],
      );
      await db.query(
        `DELETE FROM stats_viewing v USING json_to_recordset($1::json) AS x(day date, "staffId" uuid)
          WHERE v.day = x.day AND v.staff_user_id = x."staffId" AND v.ms = 0`,
        [chunk],
      );
    }
    const days = [...new Set(viewing.map((v) => v.day))];
    if (days.length > 0) await this.sumViewingDays(db, days, capMs);
  }

  /** Sums the stats_viewing rows of `days` into stats_viewing_day; a day with none left is removed. */
  private async sumViewingDays(db: SqlRunner, days: readonly string[], capMs: number): Promise<void> {
    await db.query(
      `INSERT INTO stats_viewing_day AS d (day, analyst_days, total_ms, max_ms, cap_ms, over_cap)
       SELECT v.day, count(*), sum(v.ms), max(v.ms), $2::bigint, count(*) FILTER (WHERE v.ms > $2::bigint) FROM stats_viewing v WHERE v.day = ANY($1::date[]) GROUP BY v.day
       ON CONFLICT (day) DO UPDATE SET analyst_days = EXCLUDED.analyst_days, total_ms = EXCLUDED.total_ms, max_ms = EXCLUDED.max_ms,
         cap_ms = EXCLUDED.cap_ms, over_cap = EXCLUDED.over_cap`,
      [days, capMs],
    );
    await db.query(`DELETE FROM stats_viewing_day d WHERE d.day = ANY($1::date[]) AND NOT EXISTS (SELECT 1 FROM stats_viewing v WHERE v.day = d.day)`, [days]);
  }

  /** Counts again the days whose analyst-days over the cap were counted against another cap (after EXPOSURE_DAILY_LIMIT changed); how many. */
  async recountViewingCap(db: SqlRunner, capMs: number): Promise<number> {
    const stale: { day: string }[] = await db.query(`SELECT day::text AS day FROM stats_viewing_day WHERE cap_ms <> $1::bigint`, [capMs]);
    if (stale.length > 0)
      await this.sumViewingDays(
        db,
        stale.map((d) => d.day),
        capMs,
      );
    return stale.length;
  }

  /** Adds cases still online (possibly negative) per hour of confirmation; an hour that comes to nothing is removed. */
  async addOnline(db: SqlRunner, online: readonly { since: string; n: number }[]): Promise<void> {
    for (let i = 0; i < online.length; i += 5_000) {
      const chunk = JSON.stringify(online.slice(i, i + 5_000));
      await db.query(
        `INSERT INTO stats_online AS o (since, n) SELECT since, n FROM json_to_recordset($1::json) AS x(since timestamptz, n bigint)
         ON CONFLICT (since) DO UPDATE SET n = o.n + EXCLUDED.n`,
        [chunk],
      );
      await db.query(`DELETE FROM stats_online o USING json_to_recordset($1::json) AS x(since timestamptz) WHERE o.since = x.since AND o.n = 0`, [chunk]);
    }
  }

  async moveCursor(db: SqlRunner, through: string): Promise<void> {
    await db.query(`UPDATE stats_cursor SET last_event_id = $1::bigint`, [through]);
  }

  async cursor(db: SqlRunner): Promise<{ lastEventId: string; backfilledAt: Date | null }> {
    const [row]: { last_event_id: string; backfilled_at: Date | null }[] = await db.query(`SELECT last_event_id::text AS last_event_id, backfilled_at FROM stats_cursor`);
    return { lastEventId: row.last_event_id, backfilledAt: row.backfilled_at };
  }

  async lastEventId(db: SqlRunner): Promise<string> {
    const [row]: { id: string }[] = await db.query(`SELECT coalesce(max(id), 0)::text AS id FROM case_event`);
    return row.id;
  }

  /** Empties the rollups and sets the cursor (the backfill, before it writes everything again). */
  async reset(db: SqlRunner, through: string): Promise<void> {
    await db.query(`TRUNCATE stats_rollup, stats_viewing, stats_viewing_day, stats_online`);
    await db.query(`UPDATE stats_cursor SET last_event_id = $1::bigint, backfilled_at = now()`, [through]);
  }

  /** Every stored cell (stats:check). */
  async allCells(db: SqlRunner): Promise<RollupCell[]> {
    return db
      .query(
        `SELECT grain, period::text AS period, metric, dimension, value, n::float8 AS n, hits::float8 AS hits, measured::float8 AS measured, hist::text AS hist FROM stats_rollup`,
      )
      .then((rows: RollupCell[]) => withHist(rows));
  }

  async allViewing(db: SqlRunner): Promise<{ day: string; staffId: string; ms: number }[]> {
    return db.query(`SELECT day::text AS day, staff_user_id::text AS "staffId", ms::float8 AS ms FROM stats_viewing`);
  }

  async allViewingDays(db: SqlRunner): Promise<ViewingDaySumsRow[]> {
    return db.query(
      `SELECT day::text AS day, analyst_days AS "analystDays", total_ms::float8 AS "totalMs", max_ms::float8 AS "maxMs", cap_ms::float8 AS "capMs", over_cap AS "overCap"
         FROM stats_viewing_day`,
    );
  }

  async allOnline(db: SqlRunner): Promise<{ since: string; n: number }[]> {
    return db
      .query(`SELECT since, n::float8 AS n FROM stats_online`)
      .then((rows: { since: Date; n: number }[]) => rows.map((row) => ({ since: new Date(row.since).toISOString(), n: row.n })));
  }

  /** Sums per metric and value over a range, for the given cell dimensions ('all' for the totals). */
  async sums(db: SqlRunner, range: RangeParts, dimensions: readonly string[], metrics: readonly string[] | null = null): Promise<CellSumsRow[]> {
    const parts = rangeParts(range);
    if (parts.length === 0) return [];
    const cells: CellSumsRow[] = withHist(
      await db.query(RANGE_CELLS(CELL_COLUMNS, parts.length), [dimensions, metrics, ...parts.flatMap((part) => [part.grain, part.from, part.to])]),
    );
    return addUp(cells, (c) => `${c.metric}|${c.dimension}|${c.value}`);
  }

  /**
   * Sums per period of a series: days and weeks from the day cells, months and years from the month
   * cells, over [from, to) (which the caller aligns to whole periods).
   */
  async series(
    db: SqlRunner,
    options: { period: 'day' | 'week' | 'month' | 'year'; from: string; to: string; metrics: readonly string[]; dimension: string },
  ): Promise<SeriesSumsRow[]> {
    const grain = options.period === 'day' || options.period === 'week' ? 'day' : 'month';
    const cells: SeriesSumsRow[] = withHist(
      await db.query(
        `SELECT date_trunc($1, period)::date::text AS start, ${CELL_COLUMNS} FROM stats_rollup
          WHERE grain = $2 AND metric = ANY($3::text[]) AND dimension = $4 AND period >= $5::date AND period < $6::date`,
        [options.period, grain, options.metrics, options.dimension, options.from, options.to],
      ),
    );
    return addUp(cells, (c) => `${c.start}|${c.metric}|${c.dimension}|${c.value}`).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  /**
   * Viewing time over [from, to) from the day sums: a row per day, however many analysts. A day
   * counted against another cap than `capMs` (EXPOSURE_DAILY_LIMIT changed, the worker has not
   * recounted it yet) has its analyst-days over the cap counted from its stats_viewing rows, by a
   * second query only then: as a subquery in the first, its estimated cost alone made PostgreSQL
   * JIT-compile the read (98 ms of a 0.1 ms query, bench/results/stats-2026-12-02.md).
   */
  async viewingSums(db: SqlRunner, from: string, to: string, capMs: number): Promise<ViewingSums> {
    const [row]: (ViewingSums & { stale: string[] })[] = await db.query(
      `SELECT coalesce(sum(analyst_days), 0)::int AS "analystDays", coalesce(sum(total_ms), 0)::float8 AS "totalMs",
              coalesce(sum(over_cap) FILTER (WHERE cap_ms = $3::bigint), 0)::int AS "overCap", coalesce(max(max_ms), 0)::float8 AS "maxMs",
              coalesce(array_agg(day::text) FILTER (WHERE cap_ms <> $3::bigint), '{}') AS stale
         FROM stats_viewing_day WHERE day >= $1::date AND day < $2::date`,
      [from, to, capMs],
    );
    const { stale, ...sums } = row;
    if (stale.length > 0) for (const n of (await this.overCapOfDays(db, 'day', stale, capMs)).values()) sums.overCap += n;
    return sums;
  }

  async viewingSeries(db: SqlRunner, period: string, from: string, to: string, capMs: number): Promise<ViewingDayRow[]> {
    const rows: (ViewingDayRow & { stale: string[] })[] = await db.query(
      `SELECT date_trunc($1, day)::date::text AS start, sum(analyst_days)::int AS "analystDays", sum(total_ms)::float8 AS "totalMs",
              coalesce(sum(over_cap) FILTER (WHERE cap_ms = $4::bigint), 0)::int AS "overCap", max(max_ms)::float8 AS "maxMs",
              coalesce(array_agg(day::text) FILTER (WHERE cap_ms <> $4::bigint), '{}') AS stale
         FROM stats_viewing_day WHERE day >= $2::date AND day < $3::date GROUP BY 1 ORDER BY 1`,
      [period, from, to, capMs],
    );
    const stale = rows.flatMap((row) => row.stale);
    const recounted = stale.length > 0 ? await this.overCapOfDays(db, period, stale, capMs) : new Map<string, number>();
    return rows.map(({ stale: _, ...row }) => ({ ...row, overCap: row.overCap + (recounted.get(row.start) ?? 0) }));
  }

  /** Analyst-days over `capMs` of `days` counted from their stats_viewing rows, per `period` start. */
  private async overCapOfDays(db: SqlRunner, period: string, days: readonly string[], capMs: number): Promise<Map<string, number>> {
    const rows: { start: string; n: number }[] = await db.query(
      `SELECT date_trunc($1, day)::date::text AS start, count(*)::int AS n FROM stats_viewing WHERE day = ANY($2::date[]) AND ms > $3::bigint GROUP BY 1`,
      [period, days, capMs],
    );
    return new Map(rows.map((row) => [row.start, row.n]));
  }

  /**
   * Confirmed cases still online and how long since their confirmation (metric 7's "age of those
   * still online"), from stats_online: a row per hour of confirmation, however many cases. Ages
   * are counted from the start of that hour (at most an hour more than the exact age), the
   * percentiles as percentile_disc would take them.
   */
  async stillOnline(db: SqlRunner): Promise<StillOnline> {
    const rows: { since: Date; n: number; now: Date }[] = await db.query(`SELECT since, n::float8 AS n, now() AS now FROM stats_online WHERE n > 0 ORDER BY since DESC`);
    return stillOnlineOf(
      rows.map((row) => ({ since: new Date(row.since).getTime(), n: row.n })),
      rows.length > 0 ? new Date(rows[0].now).getTime() : Date.now(),
    );
  }

  /** Reports received in [from, to) (the transparency report's first figure). */
  async reportsReceived(db: SqlRunner, from: string, to: string): Promise<number> {
    const [row]: { n: number }[] = await db.query(`SELECT count(*)::float8 AS n FROM report WHERE received_at >= $1::date AND received_at < $2::date`, [from, to]);
    return row.n;
  }
}

export const statsRepository = new StatsRepository();
