import { assertTransition, CaseStatus } from '@hotline/domain';
import type { SqlRunner } from '../sql';
import type { CaseRow } from './case.row';

/** `now()` of the database (plus `plusMs`), for a column set by a transition. */
export class DbNow {
  constructor(readonly plusMs = 0) {}
}
export const dbNow = (plusMs = 0): DbNow => new DbNow(plusMs);

/** Columns that change together with the status. Never the status itself: that is the transition. */
export type CaseChanges = { [K in Exclude<keyof CaseRow, 'id' | 'status' | 'dedup_key' | 'created_at' | 'updated_at'>]?: CaseRow[K] | DbNow };

const JSON_COLUMNS = new Set<string>(['priority_factors', 'hosting', 'classification']);
// Only these names are ever spliced into SQL: every column of CaseChanges (the compiler holds the
// list to the type), no other text.
const CHANGEABLE = {
  canonical_url: true,
  host: true,
  queue: true,
  priority: true,
  report_count: true,
  first_reported_at: true,
  last_reported_at: true,
  registrable_domain: true,
  source: true,
  language: true,
  content_type: true,
  victim_identifiable: true,
  priority_factors: true,
  routed_by: true,
  queued_at: true,
  reappeared_count: true,
  hosting_status: true,
  hosting_class: true,
  hosting: true,
  hosting_error: true,
  known_url_id: true,
  settled_by: true,
  verdict: true,
  lease_holder: true,
  lease_expires_at: true,
  classification: true,
  assessed_by: true,
  assessed_at: true,
  reviewed_by: true,
  reviewed_at: true,
  partner_id: true,
  partner_reference: true,
  removed_at: true,
} as const satisfies Record<keyof CaseChanges, true>;

/** The case was not in the status the caller read (or does not exist): nothing was written. */
export class CaseStatusChangedError extends Error {
  override readonly name = 'CaseStatusChangedError';
  /** What the HTTP layer answers (libs/http toProblem): the caller may reload and try again. */
  readonly problemKind = 'case_changed';
  constructor(
    readonly caseIds: string[],
    readonly expected: CaseStatus | CaseStatus[],
  ) {
    super(`case ${caseIds.join(', ')} is no longer ${[expected].flat().join(' or ')}`);
  }
}

export interface Transition {
  caseId: string;
  from: CaseStatus;
  to: CaseStatus;
  /** Why, in the event: who, which step, what was decided. */
  detail?: Record<string, unknown>;
  set?: CaseChanges;
}

export interface ManyTransition {
  to: CaseStatus;
  /** Each case with the status it is in now and the detail of its event. */
  cases: { caseId: string; from: CaseStatus; detail?: Record<string, unknown> }[];
  /** The same changes for every case. */
  set?: CaseChanges;
}

/**
 * The one way a case's status changes: the state machine of libs/domain is asked first, then the
 * row moves only if it is still in `from`, and its `transition` event is written by the same
 * statement, so no status exists without the event that explains it.
 */
export async function transition(db: SqlRunner, t: Transition): Promise<CaseRow> {
  assertTransition(t.from, t.to);
  const params: unknown[] = [t.caseId, t.from, t.to, JSON.stringify(t.detail ?? {})];
  const sets = setClauses(t.set ?? {}, params);
  const rows: CaseRow[] = await db.query(
    `WITH moved AS (
       UPDATE "case" SET status = $3, ${sets}updated_at = now() WHERE id = $1 AND status = $2 RETURNING *
     ), event AS (
       INSERT INTO case_event (case_id, kind, from_status, to_status, detail) SELECT id, 'transition', $2, $3, $4::jsonb FROM moved
     )
     SELECT * FROM moved`,
    params,
  );
  if (rows.length !== 1) throw new CaseStatusChangedError([t.caseId], t.from);
  return rows[0];
}

/**
 * The set-based form, for the worker's sweeps and triage: one statement for any number of cases.
 * All or nothing: if any case is no longer where the caller read it, it throws (and the caller's
 * transaction rolls back).
 */
export async function transitionMany(db: SqlRunner, t: ManyTransition): Promise<string[]> {
  if (t.cases.length === 0) return [];
  for (const c of t.cases) assertTransition(c.from, t.to);
  const params: unknown[] = [JSON.stringify(t.cases.map((c) => ({ id: c.caseId, from_status: c.from, detail: c.detail ?? {} }))), t.to];
  const sets = setClauses(t.set ?? {}, params);
  const rows: { id: string }[] = await db.query(
    `WITH target AS (
       SELECT * FROM json_to_recordset($1::json) AS t(id uuid, from_status text, detail jsonb)
     ), moved AS (
       UPDATE "case" c SET status = $2, ${sets}updated_at = now() FROM target t WHERE c.id = t.id AND c.status = t.from_status
       RETURNING c.id, t.from_status, t.detail
     ), event AS (
       INSERT INTO case_event (case_id, kind, from_status, to_status, detail) SELECT id, 'transition', from_status, $2, detail FROM moved ORDER BY id
     )
     SELECT id FROM moved`,
    params,
  );
  if (rows.length !== t.cases.length) {
    const moved = new Set(rows.map((row) => row.id));
    throw new CaseStatusChangedError(
      t.cases.filter((c) => !moved.has(c.caseId)).map((c) => c.caseId),
      [...new Set(t.cases.map((c) => c.from))],
    );
  }
  return rows.map((row) => row.id);
}

/** `col = $n, ` for each change, appending the values to `params`. */
function setClauses(changes: CaseChanges, params: unknown[]): string {
  let sql = '';
  for (const [column, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (!Object.hasOwn(CHANGEABLE, column)) throw new Error(`not a case column a transition may set: ${column}`);
    if (value instanceof DbNow) {
      if (value.plusMs === 0) sql += `${column} = now(), `;
      else {
        params.push(value.plusMs);
        sql += `${column} = now() + $${params.length} * interval '1 millisecond', `;
      }
      continue;
    }
    params.push(JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value);
    sql += `${column} = $${params.length}, `;
  }
  return sql;
}
