import { computePriority, HostingClass, Priority, ReportedContentType, routeCase, RoutingRule } from '@hotline/domain';
import type { EntityManager } from 'typeorm';

/** The columns of a case that priority and routing read. */
export interface CaseRow {
  id: string;
  status: string;
  queue: string | null;
  priority: number;
  source: 'public' | 'partner' | 'bulk';
  language: string | null;
  content_type: ReportedContentType | null;
  victim_identifiable: boolean;
  report_count: number;
  reappeared_count: number;
  registrable_domain: string | null;
  hosting_class: HostingClass;
}

export const CASE_ROW_COLUMNS = `id, status, queue, priority, source, language, content_type, victim_identifiable,
  report_count, reappeared_count, registrable_domain, hosting_class`;

const CONFIRMED_STATUSES = `('confirmed', 'actioned', 'removed', 'closed')`;

/**
 * Recomputes a case's priority (with its factors) and, while it waits in a review queue, the
 * queue its rules send it to. Writes a `routed` event when the queue changes. Runs inside the
 * caller's transaction, with the case row locked.
 */
export async function placeCase(tx: EntityManager, row: CaseRow, rules: readonly RoutingRule[]): Promise<{ priority: Priority; queue: string | null }> {
  const [{ last_hour: lastHour, domain_confirmed: domainConfirmed }] = await tx.query(
    `SELECT (SELECT count(*) FROM reported_url WHERE case_id = $1 AND received_at > now() - interval '1 hour')::int AS last_hour,
            (SELECT count(*) FROM "case" WHERE registrable_domain = $2 AND status IN ${CONFIRMED_STATUSES} AND id <> $1)::int
              AS domain_confirmed`,
    [row.id, row.registrable_domain],
  );
  const priority = computePriority({
    contentTypes: row.content_type ? [row.content_type] : [],
    victimIdentifiable: row.victim_identifiable,
    reportsLastHour: lastHour,
    reportCount: row.report_count,
    reappearances: row.reappeared_count,
    fromPartner: row.source === 'partner',
    domainConfirmedCases: row.registrable_domain ? domainConfirmed : 0,
  });
  let queue = row.queue;
  let rule: string | null = null;
  if (row.status === 'queued') {
    const routed = routeCase(rules, {
      priority: priority.score,
      contentType: row.content_type,
      hosting: row.hosting_class,
      source: row.source,
      language: row.language ?? 'und',
      reappeared: row.reappeared_count > 0,
    });
    queue = routed.queue;
    rule = routed.rule;
  }
  await tx.query(
    `UPDATE "case" SET priority = $2, priority_factors = $3, queue = $4, routed_by = coalesce($5, routed_by), updated_at = now()
      WHERE id = $1`,
    [row.id, priority.score, JSON.stringify(priority.factors), queue, rule],
  );
  if (queue !== row.queue) {
    await tx.query(`INSERT INTO case_event (case_id, kind, detail) VALUES ($1, 'routed', $2)`, [
      row.id,
      JSON.stringify({ from: row.queue, to: queue, rule, priority: priority.score }),
    ]);
  }
  return { priority, queue };
}
