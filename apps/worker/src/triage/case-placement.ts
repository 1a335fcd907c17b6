import { computePriority, CONFIRMED_STATUSES, PriorityFactor, routeCase, RoutingRule } from '@hotline/domain';
import { CaseRepository, PlacementFacts, SqlRunner } from '@hotline/persistence';
import { Injectable } from '@nestjs/common';

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

/** Priority and routing of cases: what they are computed from, and writing them. */
@Injectable()
export class CasePlacement {
  constructor(private readonly cases: CaseRepository) {}

  /**
   * The priority (with its factors) of each case and, for those waiting in a review queue, the
   * queue their rules send them to. `fresh` holds cases not yet in the database, with their reports
   * of the last hour counted by the caller. Two queries whatever the number of cases.
   */
  async compute(tx: SqlRunner, rows: PlacementFacts[], rules: readonly RoutingRule[], fresh: Map<string, number> = new Map()): Promise<Placement[]> {
    if (rows.length === 0) return [];
    const stored = rows.filter((row) => !fresh.has(row.id)).map((row) => row.id);
    const domains = [...new Set(rows.map((row) => row.registrable_domain).filter((d): d is string => d !== null))];
    const [velocity, history] = await Promise.all([
      stored.length ? this.cases.reportsLastHour(tx, stored) : [],
      domains.length ? this.cases.countByDomain(tx, domains, CONFIRMED_STATUSES) : [],
    ]);
    const lastHour = new Map([...fresh, ...velocity.map((v) => [v.case_id, v.n] as const)]);
    const confirmedOnDomain = new Map(history.map((h) => [h.registrable_domain, h.n]));

    return rows.map((row) => {
      // Earlier confirmed cases of the domain: not this one, if it is stored and confirmed itself.
      const self = !fresh.has(row.id) && CONFIRMED_STATUSES.includes(row.status) ? 1 : 0;
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
  recordMoves(tx: SqlRunner, placements: Placement[]): Promise<void> {
    const moved = placements.filter((p) => p.queue !== p.from);
    return this.cases.recordEvents(
      tx,
      moved.map((p) => ({ caseId: p.id, kind: 'routed', detail: { from: p.from, to: p.queue, rule: p.rule, priority: p.priority } })),
    );
  }

  /**
   * Recomputes and writes the placement of stored cases (locked here), with a `routed` event where
   * the queue changed. Runs inside the caller's transaction.
   */
  async placeStored(tx: SqlRunner, caseIds: string[], rules: readonly RoutingRule[]): Promise<void> {
    if (caseIds.length === 0) return;
    const rows = await this.cases.lockForPlacement(tx, caseIds);
    const placements = await this.compute(tx, rows, rules);
    await this.cases.writePlacements(tx, placements);
    await this.recordMoves(tx, placements);
  }
}
