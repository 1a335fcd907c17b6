import { cellKey, FineCells, isEmptyCell, type ObservationRules, observeCase, type RollupCell, spreadCells, type StatEvent, trimHist } from '@hotline/domain';
import type { DataSource, QueryRunner } from 'typeorm';
import type { StatsRules } from '@hotline/config';
import type { SqlRunner } from '../sql';
import { type StatsRepository } from './stats.repository';
import type { StatEventRow, ViewingDaySumsRow } from './stats.row';

/** Rows fetched per round trip of the cursor over every event. */
const FETCH = 20_000;
/** Cases whose observations are summed before they are spread into cells (bounds the memory of the fine cells). */
const CASES_PER_FOLD = 20_000;
/** How long the backfill waits for older transactions before it gives up (they may hold events it must include). */
const WAIT_FOR_OLDER_MS = 600_000;

/** What every event up to `through` gives: the stored cells and the viewing rows, as the rollups must hold them. */
export interface RecomputedStats {
  through: string;
  cases: number;
  events: number;
  cells: Map<string, RollupCell>;
  viewing: Map<string, number>;
  /** Cases still online per hour of confirmation (ISO). */
  online: Map<string, number>;
}

/**
 * Reads every case event up to `through` in (case, id) order through a server-side cursor and
 * folds them into cells, a batch of cases at a time: memory is bounded by the cells, never by the
 * number of cases. Runs in the caller's transaction (a REPEATABLE READ one, for one snapshot).
 */
async function recompute(runner: QueryRunner, stats: StatsRepository, through: string, rules: ObservationRules): Promise<RecomputedStats> {
  const cells = new Map<string, RollupCell>();
  const viewing = new Map<string, number>();
  const online = new Map<string, number>();
  let fine = new FineCells();
  let foldedCases = 0;
  let cases = 0;
  let events = 0;
  const fold = () => {
    spreadCells(cells, fine.cells.values());
    for (const [key, seconds] of fine.viewing) viewing.set(key, (viewing.get(key) ?? 0) + Math.round(seconds * 1000));
    for (const [since, n] of fine.online) online.set(since, (online.get(since) ?? 0) + n);
    fine = new FineCells();
    foldedCases = 0;
  };

  const statement = stats.allEventsStatement(through);
  await runner.query(`DECLARE stats_events NO SCROLL CURSOR FOR ${statement.sql}`, statement.parameters);
  let current: string | null = null;
  let caseEvents: StatEvent[] = [];
  const closeCase = () => {
    if (caseEvents.length === 0) return;
    fine.add(observeCase(caseEvents, rules));
    cases++;
    if (++foldedCases >= CASES_PER_FOLD) fold();
    caseEvents = [];
  };
  const fetch = (): Promise<StatEventRow[]> => {
    const rows: Promise<StatEventRow[]> = runner.query(`FETCH ${FETCH} FROM stats_events`);
    // Handled where it is awaited; this only keeps a fetch left pending by an error from being an unhandled rejection.
    rows.catch(() => undefined);
    return rows;
  };
  // The next batch is asked for before this one is folded, so PostgreSQL reads it (on another
  // core) while Node folds: a quarter of the backfill's profile was waiting for the FETCH; the
  // whole backfill of 100,000 cases took 8% less.
  let next = fetch();
  for (;;) {
    const rows = await next;
    if (rows.length === 0) break;
    next = fetch();
    events += rows.length;
    for (const row of rows) {
      if (row.caseId !== current) {
        closeCase();
        current = row.caseId;
      }
      caseEvents.push(row);
    }
  }
  closeCase();
  fold();
  await runner.query(`CLOSE stats_events`);
  for (const [key, cell] of cells) {
    trimHist(cell.hist);
    if (isEmptyCell(cell)) cells.delete(key);
  }
  for (const [key, ms] of viewing) if (ms === 0) viewing.delete(key);
  for (const [since, n] of online) if (n === 0) online.delete(since);
  return { through, cases, events, cells, viewing, online };
}

const viewingRows = (viewing: Map<string, number>) => [...viewing].map(([key, ms]) => ({ day: key.slice(0, 10), staffId: key.slice(11), ms }));

/** The stats_viewing_day rows `viewing` (ms per `day|staffId`) makes, each day's analyst-days over the cap counted against `capOf(day)`. */
function viewingDays(viewing: Map<string, number>, capOf: (day: string) => number): Map<string, ViewingDaySumsRow> {
  const days = new Map<string, ViewingDaySumsRow>();
  for (const { day, ms } of viewingRows(viewing)) {
    let row = days.get(day);
    if (!row) {
      row = { day, analystDays: 0, totalMs: 0, maxMs: 0, capMs: capOf(day), overCap: 0 };
      days.set(day, row);
    }
    row.analystDays++;
    row.totalMs += ms;
    row.maxMs = Math.max(row.maxMs, ms);
    if (ms > row.capMs) row.overCap++;
  }
  return days;
}

/** How many times the backfill takes its snapshot again when a transaction it could not see wrote an event below its cursor. */
const SNAPSHOT_ATTEMPTS = 5;

/**
 * Waits until no transaction of another session (nor `except`, the backfill's own) that began
 * before `before` is still open, polling on fresh connections (pg_stat_activity is read once per
 * transaction), or gives up after WAIT_FOR_OLDER_MS.
 */
async function waitForTransactionsBefore(db: DataSource, before: Date, except: number): Promise<void> {
  const deadline = Date.now() + WAIT_FOR_OLDER_MS;
  for (;;) {
    const [row]: { older: number }[] = await db.query(
      `SELECT ((SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> $2
                   AND (xact_start < $1 OR query = '<insufficient privilege>'))
             + (SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()))::int AS older`,
      [before, except],
    );
    if (row.older === 0) return;
    if (Date.now() > deadline) throw new Error('older transactions still open after 10 minutes: they may hold case events the backfill must include');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function countEvents(db: SqlRunner, after: string, through: string): Promise<number> {
  const [row]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM case_event WHERE id > $1::bigint AND id <= $2::bigint`, [after, through]);
  return row.n;
}

async function withStatsSession<T>(dataSource: DataSource, stats: StatsRepository, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // The worker's rounds stop while this session holds the key (they skip; nothing is lost: the cursor waits).
    await stats.lockSession(runner);
    try {
      return await work(runner);
    } finally {
      await stats.unlockSession(runner);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Rebuilds the rollups from every case event (after the statistics' migration, or to repair what
 * stats:check found): one snapshot, everything up to its last event, the cursor set there, in one
 * transaction. The worker carries on from that cursor.
 */
export async function backfillStats(
  dataSource: DataSource,
  stats: StatsRepository,
  rules: StatsRules,
): Promise<Omit<RecomputedStats, 'cells' | 'viewing' | 'online'> & { cells: number }> {
  return withStatsSession(dataSource, stats, async (runner) => {
    const [{ pid }]: { pid: number }[] = await runner.query(`SELECT pg_backend_pid() AS pid`);
    for (let attempt = 1; ; attempt++) {
      // Ids are taken at insert, not at commit: a transaction open when the snapshot is taken may
      // hold an id below the snapshot's last one, which the worker (starting after it) would never
      // read. Such an id was taken after `floor` (every transaction older than that is waited for
      // first), so comparing the events above it in the snapshot with a fresh count, once every
      // transaction older than the snapshot has ended, tells whether one was missed.
      const floor = await stats.lastEventId(dataSource);
      const [{ now }]: { now: Date }[] = await dataSource.query(`SELECT clock_timestamp() AS now`);
      await waitForTransactionsBefore(dataSource, now, pid);
      await runner.startTransaction('REPEATABLE READ');
      try {
        // The first statement takes the snapshot; clock_timestamp() is read after it.
        const [{ at }]: { at: Date }[] = await runner.query(`SELECT clock_timestamp() AS at`);
        const through = await stats.lastEventId(runner);
        const seen = await countEvents(runner, floor, through);
        await waitForTransactionsBefore(dataSource, at, pid);
        if ((await countEvents(dataSource, floor, through)) !== seen) {
          await runner.rollbackTransaction();
          if (attempt >= SNAPSHOT_ATTEMPTS)
            throw new Error(`case events committed below the backfill's snapshot ${SNAPSHOT_ATTEMPTS} times running: try again when the system is quieter`);
          continue;
        }
        const result = await recompute(runner, stats, through, rules);
        await stats.reset(runner, through);
        await stats.addCells(runner, [...result.cells.values()]);
        await stats.addViewing(runner, viewingRows(result.viewing), rules.viewingCapMs);
        await stats.addOnline(
          runner,
          [...result.online].map(([since, n]) => ({ since, n })),
        );
        await runner.commitTransaction();
        return { through, cases: result.cases, events: result.events, cells: result.cells.size };
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        throw error;
      }
    }
  });
}

/** One difference between the rollups and the events: a cell (or viewing row) and both values. */
export interface StatsDifference {
  key: string;
  stored: string | null;
  expected: string | null;
}

const describeCell = (cell: RollupCell | undefined) =>
  cell ? JSON.stringify({ n: cell.n, hits: cell.hits, measured: cell.measured, hist: trimHist([...cell.hist]) }) : null;

/**
 * Recomputes every cell from the events up to the rollups' cursor, in one snapshot with the
 * rollups, and lists every difference (stats:check exits 1 on any).
 */
export async function checkStats(
  dataSource: DataSource,
  stats: StatsRepository,
  rules: StatsRules,
): Promise<{ through: string; cases: number; cells: number; differences: StatsDifference[] }> {
  return withStatsSession(dataSource, stats, async (runner) => {
    await runner.startTransaction('REPEATABLE READ');
    try {
      const { lastEventId } = await stats.cursor(runner);
      const expected = await recompute(runner, stats, lastEventId, rules);
      const differences: StatsDifference[] = [];
      const stored = new Map((await stats.allCells(runner)).map((cell) => [cellKey(cell), cell]));
      for (const key of new Set([...stored.keys(), ...expected.cells.keys()])) {
        const [a, b] = [describeCell(stored.get(key)), describeCell(expected.cells.get(key))];
        if (a !== b) differences.push({ key, stored: a, expected: b });
      }
      const viewing = new Map((await stats.allViewing(runner)).map((v) => [`${v.day}|${v.staffId}`, v.ms]));
      for (const key of new Set([...viewing.keys(), ...expected.viewing.keys()])) {
        const [a, b] = [viewing.get(key) ?? null, expected.viewing.get(key) ?? null];
        if (a !== b) differences.push({ key: `viewing|${key}`, stored: a === null ? null : String(a), expected: b === null ? null : String(b) });
      }
      // The day sums against the stored rows' own cap (a day the worker has not recounted since EXPOSURE_DAILY_LIMIT changed is still right for it).
      const storedDays = new Map((await stats.allViewingDays(runner)).map((d) => [d.day, d]));
      const expectedDays = viewingDays(expected.viewing, (day) => storedDays.get(day)?.capMs ?? rules.viewingCapMs);
      for (const day of new Set([...storedDays.keys(), ...expectedDays.keys()])) {
        const [a, b] = [storedDays.get(day), expectedDays.get(day)].map((row) => (row ? JSON.stringify(row) : null));
        if (a !== b) differences.push({ key: `viewing_day|${day}`, stored: a, expected: b });
      }
      const online = new Map((await stats.allOnline(runner)).map((o) => [o.since, o.n]));
      for (const since of new Set([...online.keys(), ...expected.online.keys()])) {
        const [a, b] = [online.get(since) ?? null, expected.online.get(since) ?? null];
        if (a !== b) differences.push({ key: `online|${since}`, stored: a === null ? null : String(a), expected: b === null ? null : String(b) });
      }
      await runner.commitTransaction();
      return { through: lastEventId, cases: expected.cases, cells: expected.cells.size, differences };
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  });
}
