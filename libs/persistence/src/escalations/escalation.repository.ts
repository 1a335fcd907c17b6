import { currentCorrelationId } from '@hotline/observability';
import { Injectable } from '@nestjs/common';
import { SqlRunner, updateReturning } from '../sql';
import type { CaseAuditRow, EscalationCursor, EscalationRow, NoticeHoldRow } from './escalation.row';

const ESCALATION_COLUMNS = `a.id, a.case_id, a.agency, a.escalation, a.status, a.reason, a.channel, a.parent_action_id, a.sent_at, a.acknowledged_at,
       a.acknowledged_by, a.created_at, a.created_at::text AS order_at,
       c.status AS case_status, c.canonical_url, c.host, c.registrable_domain, c.priority, c.victim_identifiable, c.hosting_class, c.hosting,
       c.verdict, c.classification, c.report_count, c.first_reported_at, c.last_reported_at, c.removed_at`;

// The order of what waits for acknowledgement as one ascending key (false before true):
// unanswered notices, priority (negated: higher first), an identifiable child, oldest, id. One
// tuple, so the keyset of the next page is a single row comparison. The acknowledged ones follow,
// newest first (created_at, id descending).
const URGENCY = `(a.escalation IS DISTINCT FROM 'notice_unanswered'), -c.priority, (NOT c.victim_identifiable), a.created_at, a.id`;

export interface EscalationPageQuery {
  agency: string;
  limit: number;
  after: EscalationCursor | null;
}

export interface NewNoticeHold {
  id: string;
  caseId: string;
  agency: string;
  reason: string;
  placedBy: string;
}

/**
 * Escalations (police referrals, `action` rows of kind police_referral) as the liaisons of their
 * agency see them, and police holds on a case's notices (notice_hold). Every read of an escalation
 * names the agency: another agency's escalation is not found (deny by default).
 */
@Injectable()
export class EscalationRepository {
  /**
   * One page of an agency's inbox: first what waits for acknowledgement, most urgent first (see
   * URGENCY), then what was acknowledged, newest first. Two keysets, each over its own partial
   * index: the unacknowledged part reads only action_agency_unacknowledged_idx (a few rows, all of
   * them sorted by urgency: the order needs the case's priority, so no index can give it), the acknowledged
   * part walks action_agency_inbox_idx backwards and stops at the page's end, however long the
   * agency's history.
   */
  async inbox(db: SqlRunner, query: EscalationPageQuery): Promise<EscalationRow[]> {
    const c = query.after;
    const rows: EscalationRow[] = [];
    if (!c?.acknowledged) {
      const params: unknown[] = [query.agency, query.limit];
      let after = '';
      if (c) {
        params.push(c.confirmedOnly, -c.priority, !c.victimIdentifiable, c.at, c.id);
        after = `AND (${URGENCY}) > ($3::boolean, $4::int, $5::boolean, $6::timestamptz, $7::uuid)`;
      }
      rows.push(
        ...(await db.query(
          // The case by its key for each row found: the planner, taking `acknowledged_at IS NULL` for
          // independent of the kind (every notice has it), expects thousands of rows and would hash-join
          // a scan of every case; LIMIT 1 (a key matches one case) keeps the lookup per row.
          `SELECT ${ESCALATION_COLUMNS} FROM action a CROSS JOIN LATERAL (SELECT * FROM "case" WHERE id = a.case_id LIMIT 1) c
            WHERE a.kind = 'police_referral' AND a.agency = $1 AND a.acknowledged_at IS NULL ${after}
            ORDER BY ${URGENCY} LIMIT $2`,
          params,
        )),
      );
    }
    if (rows.length >= query.limit) return rows;
    const params: unknown[] = [query.agency, query.limit - rows.length];
    let after = '';
    if (c?.acknowledged) {
      params.push(c.at, c.id);
      after = `AND a.created_at <= $3::timestamptz AND (a.created_at, a.id) < ($3::timestamptz, $4::uuid)`;
    }
    rows.push(
      ...(await db.query(
        `SELECT ${ESCALATION_COLUMNS} FROM action a JOIN "case" c ON c.id = a.case_id
          WHERE a.kind = 'police_referral' AND a.agency = $1 AND a.acknowledged_at IS NOT NULL ${after}
          ORDER BY a.created_at DESC, a.id DESC LIMIT $2`,
        params,
      )),
    );
    return rows;
  }

  /** How many of an agency's escalations wait for acknowledgement (from action_agency_unacknowledged_idx alone). */
  async countUnacknowledged(db: SqlRunner, agency: string): Promise<number> {
    const [row]: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM action WHERE kind = 'police_referral' AND agency = $1 AND acknowledged_at IS NULL`, [
      agency,
    ]);
    return row.n;
  }

  /** The escalation `id` if it is addressed to `agency`; null otherwise (another agency's is as unknown as one that does not exist). */
  async find(db: SqlRunner, id: string, agency: string): Promise<EscalationRow | null> {
    const [row]: EscalationRow[] = await db.query(
      `SELECT ${ESCALATION_COLUMNS} FROM action a JOIN "case" c ON c.id = a.case_id WHERE a.id = $1 AND a.kind = 'police_referral' AND a.agency = $2`,
      [id, agency],
    );
    return row ?? null;
  }

  /** Acknowledges the escalation for its agency; false when it was acknowledged already (nothing changes: idempotent). */
  async acknowledge(db: SqlRunner, id: string, agency: string, by: string): Promise<boolean> {
    const updated = await updateReturning<{ id: string }>(
      db,
      `UPDATE action SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $3, updated_at = now()
        WHERE id = $1 AND kind = 'police_referral' AND agency = $2 AND acknowledged_at IS NULL RETURNING id`,
      [id, agency, by],
    );
    return updated.length > 0;
  }

  // ---- police holds on notices ------------------------------------------------------------

  /** The hold in force on the case's notices, if any (at most one: notice_hold_active_uq). */
  async activeHold(db: SqlRunner, caseId: string): Promise<NoticeHoldRow | null> {
    const [row]: NoticeHoldRow[] = await db.query(`SELECT * FROM notice_hold WHERE case_id = $1 AND lifted_at IS NULL`, [caseId]);
    return row ?? null;
  }

  /** Every hold the case had, oldest first. */
  holdsOf(db: SqlRunner, caseId: string): Promise<NoticeHoldRow[]> {
    return db.query(`SELECT * FROM notice_hold WHERE case_id = $1 ORDER BY placed_at, id`, [caseId]);
  }

  /** Places a hold. The caller holds the case's lock and found none in force (a second one would break notice_hold_active_uq). */
  async placeHold(db: SqlRunner, hold: NewNoticeHold): Promise<NoticeHoldRow> {
    const [row]: NoticeHoldRow[] = await db.query(
      `INSERT INTO notice_hold (id, case_id, agency, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING *`,
      [hold.id, hold.caseId, hold.agency, hold.reason, hold.placedBy],
    );
    return row;
  }

  /** Lifts the hold in force on the case; null when there was none. */
  async liftHold(db: SqlRunner, caseId: string, by: string): Promise<NoticeHoldRow | null> {
    const [row] = await updateReturning<NoticeHoldRow>(
      db,
      `UPDATE notice_hold SET lifted_at = now(), lifted_by = $2 WHERE case_id = $1 AND lifted_at IS NULL RETURNING *`,
      [caseId, by],
    );
    return row ?? null;
  }

  /**
   * Queues again, through the outbox, the mails of the case that a hold kept back: its notices and
   * reminders still pending, as `<kind>:<id><tag>` (tagged: a batch of the bare key was published
   * already, and the queue would take the same batch again for the same job, its id being a digest
   * of the keys). One statement (PostgreSQL runs the INSERT in WITH to completion though the result
   * does not read it); returns the actions queued, oldest first.
   */
  async requeueHeldMail(db: SqlRunner, caseId: string, topic: string, tag: string): Promise<{ kind: 'notice' | 'reminder'; id: string }[]> {
    const rows: { kind: 'notice' | 'reminder'; id: string }[] = await db.query(
      `WITH held AS (
         SELECT kind, id, row_number() OVER (ORDER BY created_at, id) AS n FROM action WHERE case_id = $1 AND kind IN ('notice', 'reminder') AND status = 'pending'
       ), queued AS (
         INSERT INTO outbox (topic, message_key, payload, correlation_id) SELECT $2, kind || ':' || id::text || $3, '{}', $4 FROM held ORDER BY n
       )
       SELECT kind, id::text AS id FROM held ORDER BY n`,
      [caseId, topic, tag, currentCorrelationId()],
    );
    return rows;
  }

  /** The case ids among `caseIds` that have a hold in force (for the inbox). */
  async heldCases(db: SqlRunner, caseIds: readonly string[]): Promise<Set<string>> {
    if (caseIds.length === 0) return new Set();
    const rows: { case_id: string }[] = await db.query(`SELECT case_id FROM notice_hold WHERE case_id = ANY($1::uuid[]) AND lifted_at IS NULL`, [caseIds]);
    return new Set(rows.map((row) => row.case_id));
  }

  // ---- the export package -------------------------------------------------------------------

  /**
   * The audit events about a case that `agency` may see, in sequence order: those naming the case as
   * their target, and those naming one of its actions (an escalation viewed, acknowledged, held or
   * exported) except another agency's police referral: what another agency's liaisons did (and who
   * they are) is theirs.
   */
  caseAudit(db: SqlRunner, caseId: string, agency: string): Promise<CaseAuditRow[]> {
    return db.query(
      `WITH ids AS (
         SELECT $1::text AS id
         UNION ALL SELECT id::text FROM action WHERE case_id = $1::uuid AND (kind <> 'police_referral' OR agency IS NOT DISTINCT FROM $2)
       )
       SELECT seq::text AS seq, at, actor_id, actor_role, action, target_type, target_id, detail, prev_hash, hash FROM audit_event
        WHERE target_type IN ('case', 'escalation', 'resource') AND target_id IN (SELECT id FROM ids)
        ORDER BY seq`,
      [caseId, agency],
    );
  }
}

export const escalationRepository = new EscalationRepository();
