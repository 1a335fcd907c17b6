import { HotlineConfig } from '@hotline/config';
import { HostingClass } from '@hotline/domain';
import { HostingLookupError, HostingResolver, HostingTrace, IpRangeTable } from '@hotline/enrichment';
import { MetricsRegistry } from '@hotline/observability';
import { RoutingRulesRepository, WorkGroups } from '@hotline/persistence';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { CASE_ROW_COLUMNS, CaseRow, computePlacements, recordMoves } from './case-placement';

/**
 * The hosting trace of a case (DNS -> IP -> country, ASN), in its own job so a slow or failing
 * lookup never holds the case back: it is already in a queue. A transient failure (timeout,
 * SERVFAIL) marks the case `unresolved` with the reason and throws, so the job retries with
 * backoff; a definitive one (NXDOMAIN, no address) marks it and stops. Success re-routes the case
 * while it still waits in a queue.
 */
interface HostingResult {
  status: 'resolved' | 'onion' | 'unresolved';
  hostingClass: HostingClass;
  trace: HostingTrace | null;
  error: string | null;
}

interface HostingRecord extends HostingResult {
  caseId: string;
}

@Injectable()
export class HostingTraceService implements BeforeApplicationShutdown {
  private readonly log = new Logger(HostingTraceService.name);
  private readonly resolver: HostingResolver;
  private readonly outcomes;
  private readonly records: WorkGroups<HostingRecord>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RoutingRulesRepository,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    const geo = config.geoIpTable ? IpRangeTable.load(config.geoIpTable) : null;
    if (!geo) this.log.warn('GEO_IP_TABLE is not set: hosting traces will have addresses but no country');
    this.resolver = new HostingResolver({ servers: config.dnsServers.length ? config.dnsServers : undefined, timeoutMs: config.dnsTimeoutMs, geo });
    this.outcomes = metrics.counter('hotline_hosting_traces_total', 'Hosting lookups, by outcome', ['outcome']);
    // Lookups run one per job; their results are written in groups, one transaction each.
    this.records = new WorkGroups((records) => this.recordAll(records), {
      maxGroup: 500,
      maxInFlight: 2,
      onSplit: (size, error) => this.log.warn(`group of ${size} hosting traces failed (${error.message}); writing them one by one`),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.records.drained();
  }

  async trace(caseId: string): Promise<void> {
    const [found] = await this.dataSource.query(`SELECT host, hosting_status, hosting_error FROM "case" WHERE id = $1`, [caseId]);
    if (!found) throw new UnrecoverableError(`case ${caseId} does not exist`);
    if (found.hosting_status === 'resolved' || found.hosting_status === 'onion') return; // delivered twice
    let trace: HostingTrace;
    try {
      trace = await this.resolver.resolve(found.host);
    } catch (error) {
      if (!(error instanceof HostingLookupError)) throw error;
      this.outcomes.inc({ outcome: error.reason });
      const reason = `${error.reason}: ${error.message}`;
      // The case already says so: a retry that fails the same way writes nothing (a DNS outage
      // must not turn into a storm of writes), the job's attempts count it.
      if (found.hosting_status !== 'unresolved' || found.hosting_error !== reason) {
        await this.record(caseId, { status: 'unresolved', hostingClass: 'unresolved', trace: null, error: reason });
      }
      if (error.transient) throw error;
      return;
    }
    const hostingClass: HostingClass = trace.onion
      ? 'onion'
      : trace.country === null
        ? 'unknown'
        : trace.country === this.config.hotlineCountry
          ? 'domestic'
          : 'foreign';
    this.outcomes.inc({ outcome: hostingClass });
    await this.record(caseId, { status: trace.onion ? 'onion' : 'resolved', hostingClass, trace, error: null });
  }

  private record(caseId: string, result: HostingResult): Promise<void> {
    return this.records.submit({ caseId, ...result });
  }

  /** Writes a group of traces, each with the placement it implies, in one transaction. */
  private async recordAll(records: HostingRecord[]): Promise<Map<HostingRecord, Error>> {
    const rules = (await this.rules.current()).rules;
    const failed = new Map<HostingRecord, Error>();
    await this.dataSource.transaction(async (tx) => {
      const rows: CaseRow[] = await tx.query(`SELECT ${CASE_ROW_COLUMNS} FROM "case" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [
        [...new Set(records.map((r) => r.caseId))],
      ]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      // One write per case: if a group holds two traces of a case, the later one counts.
      const latest = new Map<string, HostingRecord>();
      for (const record of records) {
        if (byId.has(record.caseId)) latest.set(record.caseId, record);
        else failed.set(record, new UnrecoverableError(`case ${record.caseId} does not exist`));
      }
      const chosen = [...latest.values()];
      const placements = await computePlacements(
        tx,
        chosen.map((record) => ({ ...byId.get(record.caseId)!, hosting_class: record.hostingClass })),
        rules,
      );
      await tx.query(
        `UPDATE "case" c SET hosting_status = t.status, hosting_class = t.class, hosting = coalesce(t.trace, c.hosting),
                hosting_error = t.error, priority = t.priority, priority_factors = t.factors, queue = t.queue,
                routed_by = coalesce(t.rule, c.routed_by), updated_at = now()
           FROM json_to_recordset($1::json) AS t(id uuid, status text, class text, trace jsonb, error text, priority smallint,
                factors jsonb, queue text, rule text)
          WHERE c.id = t.id`,
        [
          JSON.stringify(
            chosen.map((record, i) => ({
              id: record.caseId,
              status: record.status,
              class: record.hostingClass,
              trace: record.trace,
              error: record.error,
              priority: placements[i].priority,
              factors: placements[i].factors,
              queue: placements[i].queue,
              rule: placements[i].rule,
            })),
          ),
        ],
      );
      await tx.query(
        `INSERT INTO case_event (case_id, kind, detail) SELECT id, kind, detail FROM json_to_recordset($1::json) AS e(id uuid, kind text, detail jsonb)`,
        [
          JSON.stringify(
            chosen.map((record) => ({
              id: record.caseId,
              kind: record.status === 'unresolved' ? 'hosting_unresolved' : 'hosting_resolved',
              detail: record.trace
                ? { class: record.hostingClass, ip: record.trace.ip, country: record.trace.country, asn: record.trace.asn }
                : { error: record.error },
            })),
          ),
        ],
      );
      await recordMoves(tx, placements);
    });
    return failed;
  }
}
