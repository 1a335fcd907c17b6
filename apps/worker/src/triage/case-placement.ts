import { computePriority, HostingClass, ReportedContentType, routeCase, RoutingRule } from '@hotline/domain';
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

const CONFIRMED = ['confirmed', 'actioned', 'removed', 'closed'];

/**
 * Recomputes the priority (with its factors) of the given cases and, for those waiting in a
 * review queue, the queue their rules send them to; writes a `routed` event where the queue
 * changes. Set-based: a handful of statements whatever the number of cases. Runs inside the
 * caller's transaction; the cases are locked here.
 */
export async function placeCases(tx: EntityManager, caseIds: string[], rules: readonly RoutingRule[]): Promise<void> {
  if (caseIds.length === 0) return;
  const rows: CaseRow[] = await tx.query(`SELECT ${CASE_ROW_COLUMNS} FROM "case" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [caseIds]);
  const domains = [...new Set(rows.map((row) => row.registrable_domain).filter((d): d is string => d !== null))];
  const [velocity, history]: [{ case_id: string; n: number }[], { registrable_domain: string; n: number }[]] = await Promise.all([
    tx.query(
      `SELECT case_id, count(*)::int AS n FROM reported_url
        WHERE case_id = ANY($1::uuid[]) AND received_at > now() - interval '1 hour' GROUP BY case_id`,
      [caseIds],
    ),
    tx.query(
      `SELECT registrable_domain, count(*)::int AS n FROM "case"
        WHERE registrable_domain = ANY($1::text[]) AND status = ANY($2::text[]) GROUP BY registrable_domain`,
      [domains, CONFIRMED],
    ),
  ]);
  const lastHour = new Map(velocity.map((v) => [v.case_id, v.n]));
  const confirmedOnDomain = new Map(history.map((h) => [h.registrable_domain, h.n]));

  const placements = rows.map((row) => {
    // Earlier confirmed cases of the domain: not this one.
    const domainConfirmed = row.registrable_domain
      ? (confirmedOnDomain.get(row.registrable_domain) ?? 0) - (CONFIRMED.includes(row.status) ? 1 : 0)
      : 0;
    const priority = computePriority({
      contentTypes: row.content_type ? [row.content_type] : [],
      victimIdentifiable: row.victim_identifiable,
      reportsLastHour: lastHour.get(row.id) ?? 0,
      reportCount: row.report_count,
      reappearances: row.reappeared_count,
      fromPartner: row.source === 'partner',
      domainConfirmedCases: Math.max(0, domainConfirmed),
    });
    const routed =
      row.status === 'queued'
        ? routeCase(rules, {
            priority: priority.score,
            contentType: row.content_type,
            hosting: row.hosting_class,
            source: row.source,
            language: row.language ?? 'und',
            reappeared: row.reappeared_count > 0,
          })
        : null;
    return { row, priority, queue: routed ? routed.queue : row.queue, rule: routed?.rule ?? null };
  });

  await tx.query(
    `UPDATE "case" c SET priority = p.priority, priority_factors = p.factors, queue = p.queue,
            routed_by = coalesce(p.rule, c.routed_by), updated_at = now()
       FROM json_to_recordset($1::json) AS p(id uuid, priority smallint, factors jsonb, queue text, rule text)
      WHERE c.id = p.id`,
    [JSON.stringify(placements.map((p) => ({ id: p.row.id, priority: p.priority.score, factors: p.priority.factors, queue: p.queue, rule: p.rule })))],
  );
  const moved = placements.filter((p) => p.queue !== p.row.queue);
  if (moved.length > 0) {
    await tx.query(
      `INSERT INTO case_event (case_id, kind, detail) SELECT id, 'routed', detail FROM json_to_recordset($1::json) AS e(id uuid, detail jsonb)`,
      [JSON.stringify(moved.map((p) => ({ id: p.row.id, detail: { from: p.row.queue, to: p.queue, rule: p.rule, priority: p.priority.score } })))],
    );
  }
}
