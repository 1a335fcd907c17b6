import { computePriority, HostingClass, PriorityFactor, ReportedContentType, routeCase, RoutingRule } from '@hotline/domain';
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

export interface Placement {
  id: string;
  priority: number;
  factors: PriorityFactor[];
  queue: string | null;
  /** The routing rule that chose the queue; null when the case waits in no queue. */
  rule: string | null;
  /** The queue before, to tell whether the case moved. */
  from: string | null;
}

/**
 * The priority (with its factors) of each case and, for those waiting in a review queue, the
 * queue their rules send them to. `fresh` holds cases not yet in the database, with their reports
 * of the last hour counted by the caller. Two queries whatever the number of cases.
 */
export async function computePlacements(
  tx: EntityManager,
  rows: CaseRow[],
  rules: readonly RoutingRule[],
  fresh: Map<string, number> = new Map(),
): Promise<Placement[]> {
  if (rows.length === 0) return [];
  const stored = rows.filter((row) => !fresh.has(row.id)).map((row) => row.id);
  const domains = [...new Set(rows.map((row) => row.registrable_domain).filter((d): d is string => d !== null))];
  const [velocity, history]: [{ case_id: string; n: number }[], { registrable_domain: string; n: number }[]] = await Promise.all([
    stored.length
      ? tx.query(
          `SELECT case_id, count(*)::int AS n FROM reported_url
            WHERE case_id = ANY($1::uuid[]) AND received_at > now() - interval '1 hour' GROUP BY case_id`,
          [stored],
        )
      : [],
    domains.length
      ? tx.query(
          `SELECT registrable_domain, count(*)::int AS n FROM "case"
            WHERE registrable_domain = ANY($1::text[]) AND status = ANY($2::text[]) GROUP BY registrable_domain`,
          [domains, CONFIRMED],
        )
      : [],
  ]);
  const lastHour = new Map([...fresh, ...velocity.map((v) => [v.case_id, v.n] as const)]);
  const confirmedOnDomain = new Map(history.map((h) => [h.registrable_domain, h.n]));

  return rows.map((row) => {
    // Earlier confirmed cases of the domain: not this one, if it is stored and confirmed itself.
    const self = !fresh.has(row.id) && CONFIRMED.includes(row.status) ? 1 : 0;
    const domainConfirmed = row.registrable_domain ? (confirmedOnDomain.get(row.registrable_domain) ?? 0) - self : 0;
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
    return { id: row.id, priority: priority.score, factors: priority.factors, queue: routed ? routed.queue : row.queue, rule: routed?.rule ?? null, from: row.queue };
  });
}

/** A `routed` event for every case whose queue changed. */
export async function recordMoves(tx: EntityManager, placements: Placement[]): Promise<void> {
  const moved = placements.filter((p) => p.queue !== p.from);
  if (moved.length === 0) return;
  await tx.query(
    `INSERT INTO case_event (case_id, kind, detail) SELECT id, 'routed', detail FROM json_to_recordset($1::json) AS e(id uuid, detail jsonb)`,
    [JSON.stringify(moved.map((p) => ({ id: p.id, detail: { from: p.from, to: p.queue, rule: p.rule, priority: p.priority } })))],
  );
}

/**
 * Recomputes and writes the placement of stored cases (locked here), with a `routed` event where
 * the queue changed. Runs inside the caller's transaction.
 */
export async function placeCases(tx: EntityManager, caseIds: string[], rules: readonly RoutingRule[]): Promise<void> {
  if (caseIds.length === 0) return;
  const rows: CaseRow[] = await tx.query(`SELECT ${CASE_ROW_COLUMNS} FROM "case" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [caseIds]);
  const placements = await computePlacements(tx, rows, rules);
  await tx.query(
    `UPDATE "case" c SET priority = p.priority, priority_factors = p.factors, queue = p.queue,
            routed_by = coalesce(p.rule, c.routed_by), updated_at = now()
       FROM json_to_recordset($1::json) AS p(id uuid, priority smallint, factors jsonb, queue text, rule text)
      WHERE c.id = p.id`,
    [JSON.stringify(placements)],
  );
  await recordMoves(tx, placements);
}
