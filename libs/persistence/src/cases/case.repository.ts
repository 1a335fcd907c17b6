import { CaseStatus, CONTENT_TYPES_BY_SEVERITY } from '@hotline/domain';
import { Injectable } from '@nestjs/common';
import { SqlRunner, updateReturning } from '../sql';
import type { CaseEventRow, CaseRow } from './case.row';
import { ManyTransition, Transition, transition, transitionMany } from './case-transitions';

/** A case read under its row lock, with whether its lease is live by the database clock. */
export type LockedCase = CaseRow & { lease_live: boolean };

/** The columns of a case that priority and routing read. */
export type PlacementFacts = Pick<
  CaseRow,
  | 'id'
  | 'status'
  | 'queue'
  | 'priority'
  | 'source'
  | 'language'
  | 'content_type'
  | 'victim_identifiable'
  | 'report_count'
  | 'reappeared_count'
  | 'registrable_domain'
  | 'hosting_class'
>;
const PLACEMENT_COLUMNS = `id, status, queue, priority, source, language, content_type, victim_identifiable, report_count, reappeared_count, registrable_domain, hosting_class`;

/** The columns of a case that a hosting trace reads. */
export type TraceTarget = Pick<CaseRow, 'id' | 'host' | 'hosting_status' | 'hosting_error' | 'reappeared_count'>;

/** What deduplication reads of the case of a dedup key. */
export type CaseOfKey = Pick<CaseRow, 'id' | 'dedup_key' | 'status' | 'hosting_status' | 'reappeared_count'>;

/** A new case as triage writes it, complete with its placement. */
export interface NewCase {
  id: string;
  dedup_key: string;
  canonical_url: string;
  host: string;
  registrable_domain: string | null;
  status: CaseStatus;
  source: CaseRow['source'];
  language: string | null;
  content_type: string | null;
  victim: boolean;
  report_count: number;
  first_at: Date;
  last_at: Date;
  priority: number;
  factors: unknown;
  queue: string | null;
  rule: string | null;
  known_url_id: string | null;
  settled_by: 'known_url' | null;
  verdict: string | null;
  partner_id: string | null;
  partner_reference: string | null;
  /** The detail of its `created` event. */
  detail: Record<string, unknown>;
}

/** Reports that joined a stored case in one triage group. */
export interface CaseAttachment {
  id: string;
  n: number;
  first_at: Date;
  last_at: Date;
  content_types: string[];
  victim: boolean;
  /** The case came back after removal: back to a queue, traced anew. */
  reappear: boolean;
}

/** A non-status event of a case (routed, hosting_resolved, actions_decided, ...). */
export interface CaseEvent {
  caseId: string;
  kind: string;
  detail: Record<string, unknown>;
}

export interface CasePageQuery {
  queue: string | null;
  status: string | null;
  limit: number;
  after: { priority: number; at: string; id: string } | null;
}

// Most severe first: a case's content type is the most severe any reporter gave. (Constants of
// libs/domain, never input, are spliced here.)
const CONTENT_RANK = `ARRAY[${CONTENT_TYPES_BY_SEVERITY.map((type) => `'${type}'`).join(', ')}]`;
// Pages follow the review order: highest priority first, then longest waiting.
const ORDER_AT = `coalesce(queued_at, first_reported_at)`;

/**
 * The case aggregate: "case" and its case_event rows. Every status change goes through
 * `transition` / `transitionMany` (case-transitions.ts); nothing else in the system writes
 * `case.status`. The set-based statements of triage and hosting traces live here as they were
 * measured (ADR 0006): one statement per group, whatever its size.
 */
@Injectable()
export class CaseRepository {
  transition(db: SqlRunner, t: Transition): Promise<CaseRow> {
    return transition(db, t);
  }

  transitionMany(db: SqlRunner, t: ManyTransition): Promise<string[]> {
    return transitionMany(db, t);
  }

  /**
   * Several steps in a row from `from` (e.g. confirmed -> actioned -> removed), each a transition
   * with its event. `detail` goes on every step; `last` adds to the last one its own detail and the
   * columns that change with it.
   */
  async transitionPath(
    db: SqlRunner,
    caseId: string,
    from: CaseStatus,
    steps: readonly CaseStatus[],
    detail: Record<string, unknown>,
    last: { detail?: Record<string, unknown>; set?: Transition['set'] } = {},
  ): Promise<CaseRow> {
    if (steps.length === 0) throw new Error('a path needs at least one step');
    let row: CaseRow | null = null;
    let at = from;
    for (const [i, to] of steps.entries()) {
      const isLast = i === steps.length - 1;
      row = await transition(db, { caseId, from: at, to, detail: isLast ? { ...detail, ...last.detail } : detail, set: isLast ? last.set : undefined });
      at = to;
    }
    return row!;
  }

  async find(db: SqlRunner, id: string): Promise<LockedCase | null> {
    const [row]: LockedCase[] = await db.query(`SELECT *, coalesce(lease_expires_at > now(), false) AS lease_live FROM "case" WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** The case under its row lock, for the rest of the caller's transaction. */
  async lock(db: SqlRunner, id: string): Promise<LockedCase | null> {
    const [row]: LockedCase[] = await db.query(`SELECT *, coalesce(lease_expires_at > now(), false) AS lease_live FROM "case" WHERE id = $1 FOR UPDATE`, [id]);
    return row ?? null;
  }

  /** What a hosting trace needs of each case (any order), no lock. */
  traceTargets(db: SqlRunner, ids: string[]): Promise<TraceTarget[]> {
    return db.query(`SELECT id, host, hosting_status, hosting_error, reappeared_count FROM "case" WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * What priority and routing read of each case, under the row locks, taken in id order so two
   * groups cannot deadlock. Only those columns: a group holds up to 500 cases.
   */
  lockForPlacement(db: SqlRunner, ids: string[]): Promise<PlacementFacts[]> {
    return db.query(`SELECT ${PLACEMENT_COLUMNS} FROM "case" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  }

  /**
   * The next free case of a queue under its row lock, skipping cases another claim has locked:
   * parallel claims each take a different case instead of queueing behind the first
   * (case_next_in_queue_idx gives the order).
   */
  async lockNextInQueue(db: SqlRunner, queue: string): Promise<string | null> {
    const [row]: { id: string }[] = await db.query(
      `SELECT id FROM "case" WHERE queue = $1 AND status = 'queued' ORDER BY priority DESC, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [queue],
    );
    return row?.id ?? null;
  }

  /** Lapsed leases nobody else has locked, oldest first. */
  lockLapsed(db: SqlRunner, limit: number): Promise<Pick<CaseRow, 'id' | 'lease_holder' | 'lease_expires_at'>[]> {
    return db.query(
      `SELECT id, lease_holder, lease_expires_at FROM "case"
        WHERE status = 'in_assessment' AND lease_expires_at < now()
        ORDER BY lease_expires_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /** Renews the lease on a case (not a status change); the new expiry. */
  async renewLease(db: SqlRunner, id: string, durationMs: number): Promise<Date> {
    const [row] = await updateReturning<{ lease_expires_at: Date }>(
      db,
      `UPDATE "case" SET lease_expires_at = now() + $2 * interval '1 millisecond', updated_at = now() WHERE id = $1 RETURNING lease_expires_at`,
      [id, durationMs],
    );
    return row.lease_expires_at;
  }

  /** Cases the analyst holds now; one that lapsed but was not swept yet is no longer held. */
  async countLiveLeases(db: SqlRunner, staffId: string): Promise<number> {
    const [{ n }]: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM "case" WHERE status = 'in_assessment' AND lease_holder = $1 AND lease_expires_at > now()`,
      [staffId],
    );
    return n;
  }

  /** One page of cases in review order, keyset-paginated; `order_at` is the cursor's timestamp as PostgreSQL wrote it. */
  page(db: SqlRunner, query: CasePageQuery): Promise<(CaseRow & { order_at: string })[]> {
    const params: unknown[] = [query.queue, query.status, query.limit];
    let after = '';
    if (query.after) {
      params.push(query.after.priority, query.after.at, query.after.id);
      after = `AND (priority < $4 OR (priority = $4 AND (${ORDER_AT} > $5::timestamptz OR (${ORDER_AT} = $5::timestamptz AND id > $6))))`;
    }
    return db.query(
      `SELECT *, ${ORDER_AT}::text AS order_at FROM "case"
        WHERE ($1::text IS NULL OR queue = $1) AND ($2::text IS NULL OR status = $2) ${after}
        ORDER BY priority DESC, ${ORDER_AT}, id LIMIT $3`,
      params,
    );
  }

  /** Settled verdicts of other cases of a domain: counts per verdict and the latest few. */
  async domainHistory(
    db: SqlRunner,
    caseId: string,
    domain: string,
    shown: number,
  ): Promise<{ counts: { verdict: string; n: number }[]; latest: Pick<CaseRow, 'id' | 'verdict' | 'assessed_at'>[] }> {
    // Only settled verdicts: one still waiting for review would tell a blind reviewer too much.
    const settled = `registrable_domain = $1 AND id <> $2 AND verdict IS NOT NULL AND status NOT IN ('pending_review', 'in_assessment')`;
    const counts = await db.query(`SELECT verdict, count(*)::int AS n FROM "case" WHERE ${settled} GROUP BY verdict ORDER BY verdict`, [domain, caseId]);
    const latest = await db.query(`SELECT id, verdict, assessed_at FROM "case" WHERE ${settled} ORDER BY assessed_at DESC NULLS LAST, id LIMIT $3`, [
      domain,
      caseId,
      shown,
    ]);
    return { counts, latest };
  }

  /** The latest reports of a case: metadata only, never reference, contact or description. */
  reportsOf(
    db: SqlRunner,
    caseId: string,
    limit: number,
  ): Promise<{ received_at: Date; source: string; language: string; content_type: string | null; victim_identifiable: boolean; raw_url: string | null }[]> {
    return db.query(
      `SELECT ru.received_at, r.source, r.language, r.content_type, r.victim_identifiable, ru.raw_url
         FROM reported_url ru JOIN report r ON r.id = ru.report_id
        WHERE ru.case_id = $1 ORDER BY ru.received_at DESC, ru.id LIMIT $2`,
      [caseId, limit],
    );
  }

  // ---- triage -----------------------------------------------------------------------------

  /** The open case of each key. Keys are passed as bpchar[] so the index serves them (against text[] PostgreSQL would cast the column and scan every case). */
  openOfKeys(db: SqlRunner, keys: string[]): Promise<CaseOfKey[]> {
    return db.query(`SELECT id, dedup_key, status, hosting_status, reappeared_count FROM "case" WHERE dedup_key = ANY($1::bpchar[]) AND status <> 'closed'`, [keys]);
  }

  /** The latest closed case of each key (it reappears), on its own partial index. */
  latestClosedOfKeys(db: SqlRunner, keys: string[]): Promise<CaseOfKey[]> {
    return db.query(
      `SELECT DISTINCT ON (dedup_key) id, dedup_key, status, hosting_status, reappeared_count FROM "case"
        WHERE dedup_key = ANY($1::bpchar[]) AND status = 'closed' ORDER BY dedup_key, created_at DESC`,
      [keys],
    );
  }

  /** Cases of `ids` whose hosting is still to be traced. */
  pendingTrace(db: SqlRunner, ids: string[]): Promise<Pick<CaseRow, 'id' | 'reappeared_count'>[]> {
    return db.query(`SELECT id, reappeared_count FROM "case" WHERE id = ANY($1::uuid[]) AND hosting_status = 'pending'`, [ids]);
  }

  /** Writes new cases, complete, each with its `created` event: one statement for the group. */
  async createMany(db: SqlRunner, cases: NewCase[]): Promise<void> {
    if (cases.length === 0) return;
    await db.query(
      `WITH n AS (
         SELECT * FROM json_to_recordset($1::json) AS n(id uuid, dedup_key text, canonical_url text, host text,
                registrable_domain text, status text, source text, language text, content_type text, victim boolean,
                report_count int, first_at timestamptz, last_at timestamptz, priority smallint, factors jsonb, queue text,
                rule text, known_url_id uuid, settled_by text, verdict text, partner_id uuid, partner_reference text, detail jsonb)
       ), created AS (
         INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, queued_at, source, language,
                             content_type, victim_identifiable, report_count, first_reported_at, last_reported_at,
                             priority, priority_factors, queue, routed_by, known_url_id, settled_by, verdict,
                             partner_id, partner_reference)
         SELECT id, dedup_key, canonical_url, host, registrable_domain, status, CASE WHEN status = 'queued' THEN now() END,
                source, language, content_type, victim, report_count, first_at, last_at, priority, factors, queue, rule,
                known_url_id, settled_by, verdict, partner_id, partner_reference
           FROM n
       )
       INSERT INTO case_event (case_id, kind, from_status, to_status, detail) SELECT id, 'created', NULL, status, detail FROM n`,
      [JSON.stringify(cases)],
    );
  }

  /**
   * Stored cases take the reports of a group: counts, first/last reported, the most severe content
   * type, the victim flag. A reappearing case also goes back to be queued and traced anew (its
   * status moves by `transitionMany`, not here).
   */
  async attachReports(db: SqlRunner, attachments: CaseAttachment[]): Promise<void> {
    if (attachments.length === 0) return;
    await db.query(
      `UPDATE "case" c SET
              report_count = c.report_count + u.n,
              first_reported_at = least(c.first_reported_at, u.first_at),
              last_reported_at = greatest(c.last_reported_at, u.last_at),
              content_type = (SELECT t FROM unnest(array_append(u.content_types, c.content_type)) AS t
                               WHERE t IS NOT NULL ORDER BY array_position(${CONTENT_RANK}, t) LIMIT 1),
              victim_identifiable = c.victim_identifiable OR u.victim,
              queued_at = CASE WHEN u.reappear THEN now() ELSE c.queued_at END,
              reappeared_count = c.reappeared_count + CASE WHEN u.reappear THEN 1 ELSE 0 END,
              hosting_status = CASE WHEN u.reappear THEN 'pending' ELSE c.hosting_status END,
              hosting_class = CASE WHEN u.reappear THEN 'unknown' ELSE c.hosting_class END,
              hosting_error = CASE WHEN u.reappear THEN NULL ELSE c.hosting_error END,
              updated_at = now()
         FROM json_to_recordset($1::json) AS u(id uuid, n int, first_at timestamptz, last_at timestamptz,
              content_types text[], victim boolean, reappear boolean)
        WHERE c.id = u.id`,
      [JSON.stringify(attachments.map((u) => ({ ...u, content_types: `{${u.content_types.join(',')}}` })))],
    );
  }

  /** Reports of each stored case in the last hour (velocity). */
  reportsLastHour(db: SqlRunner, ids: string[]): Promise<{ case_id: string; n: number }[]> {
    return db.query(
      `SELECT case_id, count(*)::int AS n FROM reported_url
        WHERE case_id = ANY($1::uuid[]) AND received_at > now() - interval '1 hour' GROUP BY case_id`,
      [ids],
    );
  }

  /** Cases of each domain in any of `statuses`. */
  countByDomain(db: SqlRunner, domains: string[], statuses: readonly string[]): Promise<{ registrable_domain: string; n: number }[]> {
    return db.query(
      `SELECT registrable_domain, count(*)::int AS n FROM "case"
        WHERE registrable_domain = ANY($1::text[]) AND status = ANY($2::text[]) GROUP BY registrable_domain`,
      [domains, statuses],
    );
  }

  /** Writes priorities and queues (not a status change). */
  async writePlacements(db: SqlRunner, placements: { id: string; priority: number; factors: unknown; queue: string | null; rule: string | null }[]): Promise<void> {
    if (placements.length === 0) return;
    await db.query(
      `UPDATE "case" c SET priority = p.priority, priority_factors = p.factors, queue = p.queue,
              routed_by = coalesce(p.rule, c.routed_by), updated_at = now()
         FROM json_to_recordset($1::json) AS p(id uuid, priority smallint, factors jsonb, queue text, rule text)
        WHERE c.id = p.id`,
      [JSON.stringify(placements)],
    );
  }

  /** Writes hosting traces with the placement each implies: one UPDATE for the group. */
  async writeTraces(
    db: SqlRunner,
    traces: {
      id: string;
      status: string;
      class: string;
      trace: unknown;
      error: string | null;
      priority: number;
      factors: unknown;
      queue: string | null;
      rule: string | null;
    }[],
  ): Promise<void> {
    if (traces.length === 0) return;
    await db.query(
      `UPDATE "case" c SET hosting_status = t.status, hosting_class = t.class, hosting = coalesce(t.trace, c.hosting),
              hosting_error = t.error, priority = t.priority, priority_factors = t.factors, queue = t.queue,
              routed_by = coalesce(t.rule, c.routed_by), updated_at = now()
         FROM json_to_recordset($1::json) AS t(id uuid, status text, class text, trace jsonb, error text, priority smallint,
              factors jsonb, queue text, rule text)
        WHERE c.id = t.id`,
      [JSON.stringify(traces)],
    );
  }

  /** When the content was seen gone, told again: an earlier time we knew of is kept. */
  async recordRemovalTime(db: SqlRunner, id: string, at: Date): Promise<void> {
    await db.query(`UPDATE "case" SET removed_at = coalesce(removed_at, $2::timestamptz), updated_at = now() WHERE id = $1`, [id, at]);
  }

  /** The hosting goes back to be traced again (a re-route after `not_hosted_here`). */
  async markHostingPending(db: SqlRunner, id: string): Promise<void> {
    await db.query(`UPDATE "case" SET hosting_status = 'pending', hosting_error = NULL, updated_at = now() WHERE id = $1`, [id]);
  }

  /**
   * Of `ids`, the cases that wait for their trace to be acted on: confirmed, or actioned with a
   * forward a partner rejected, and no open action (forwards a partner rejected, or failed because
   * it is disabled, are not open).
   */
  async actableAfterTrace(db: SqlRunner, ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await db.query(
      `SELECT c.id FROM "case" c
        WHERE c.id = ANY($1::uuid[])
          AND (c.status = 'confirmed'
               OR (c.status = 'actioned' AND EXISTS (SELECT 1 FROM action r WHERE r.case_id = c.id AND r.kind = 'partner_forward' AND r.status = 'rejected')))
          AND NOT EXISTS (
                SELECT 1 FROM action a LEFT JOIN partner p ON p.id = a.partner_id
                 WHERE a.case_id = c.id
                   AND NOT (a.kind = 'partner_forward' AND (a.status = 'rejected' OR (a.status = 'failed' AND p.status IS DISTINCT FROM 'active'))))
        ORDER BY c.id`,
      [ids],
    );
    return rows.map((row) => row.id);
  }

  // ---- events -----------------------------------------------------------------------------

  /** Events that do not change the status (routed, hosting_resolved, actions_decided, ...). */
  async recordEvents(db: SqlRunner, events: CaseEvent[]): Promise<void> {
    if (events.length === 0) return;
    await db.query(`INSERT INTO case_event (case_id, kind, detail) SELECT id, kind, detail FROM json_to_recordset($1::json) AS e(id uuid, kind text, detail jsonb)`, [
      JSON.stringify(events.map((e) => ({ id: e.caseId, kind: e.kind, detail: e.detail }))),
    ]);
  }

  /** When the case last reappeared (its latest move into `reappeared`), or null: what was done before belongs to an earlier appearance. */
  async lastReappearedAt(db: SqlRunner, caseId: string): Promise<Date | null> {
    const [row]: { at: Date | null }[] = await db.query(`SELECT max(at) AS at FROM case_event WHERE case_id = $1 AND to_status = 'reappeared'`, [caseId]);
    return row?.at ?? null;
  }

  recordEvent(db: SqlRunner, caseId: string, kind: string, detail: Record<string, unknown>): Promise<void> {
    return this.recordEvents(db, [{ caseId, kind, detail }]);
  }

  /** The case's events, oldest first (the timeline of the case view): at most `limit`, the latest kept. */
  events(db: SqlRunner, caseId: string, limit = 500): Promise<CaseEventRow[]> {
    // id is an identity column: it orders events as they were written, even within one transaction.
    return db.query(
      `SELECT latest.id::text AS id, case_id, at, kind, from_status, to_status, detail FROM (
         SELECT * FROM case_event WHERE case_id = $1 ORDER BY id DESC LIMIT $2
       ) latest ORDER BY latest.id`,
      [caseId, limit],
    );
  }

  /** How often the hosting was traced again, and whether a trace landed after the last request. */
  async retraceHistory(
    db: SqlRunner,
    caseId: string,
  ): Promise<{ retraces: number; last_retrace_id: string | null; last_retrace_at: Date | null; last_trace_id: string | null }> {
    const [row] = await db.query(
      `SELECT count(*) FILTER (WHERE kind = 'hosting_retrace')::int AS retraces,
              max(id) FILTER (WHERE kind = 'hosting_retrace') AS last_retrace_id,
              max(at) FILTER (WHERE kind = 'hosting_retrace') AS last_retrace_at,
              max(id) FILTER (WHERE kind IN ('hosting_resolved', 'hosting_unresolved')) AS last_trace_id
         FROM case_event WHERE case_id = $1 AND kind IN ('hosting_retrace', 'hosting_resolved', 'hosting_unresolved')`,
      [caseId],
    );
    return row;
  }

  // ---- closing and checking ---------------------------------------------------------------

  /**
   * Removed cases whose removal is older than `quietMs` (so none reappeared since), under their row
   * locks, oldest first. Each also takes its dedup key's lock, as triage does: a report of the URL
   * being placed at this moment makes the case reappear, and its case is skipped here (try-lock)
   * rather than closed under triage's feet.
   */
  lockQuietRemoved(db: SqlRunner, quietMs: number, limit: number): Promise<Pick<CaseRow, 'id' | 'removed_at'>[]> {
    return db.query(
      `SELECT id, removed_at FROM "case"
        WHERE status = 'removed' AND coalesce(removed_at, updated_at) < now() - $1 * interval '1 millisecond'
          AND pg_try_advisory_xact_lock(hashtextextended(dedup_key, 0))
        ORDER BY coalesce(removed_at, updated_at), id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [quietMs, limit],
    );
  }

  /**
   * Cases whose status is not the `to_status` of their latest status-bearing event, or that have
   * no `created` event; at most `limit`, and the number of cases checked. All cases, or those of `ids`.
   */
  async unexplained(
    db: SqlRunner,
    limit: number,
    ids: string[] | null = null,
  ): Promise<{ checked: number; broken: { id: string; status: string; latest: string | null; created: boolean }[] }> {
    const [{ n }]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM "case" WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[])`, [ids]);
    const broken = await db.query(
      `SELECT c.id, c.status, latest.to_status AS latest, EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.kind = 'created') AS created
         FROM "case" c
         LEFT JOIN LATERAL (
           SELECT to_status FROM case_event e WHERE e.case_id = c.id AND e.to_status IS NOT NULL ORDER BY e.id DESC LIMIT 1
         ) latest ON true
        WHERE ($2::uuid[] IS NULL OR c.id = ANY($2::uuid[]))
          AND (latest.to_status IS DISTINCT FROM c.status OR NOT EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.kind = 'created'))
        ORDER BY c.id LIMIT $1`,
      [limit, ids],
    );
    return { checked: n, broken };
  }
}

export const caseRepository = new CaseRepository();
