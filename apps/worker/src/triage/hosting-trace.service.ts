import { HotlineConfig } from '@hotline/config';
import { HostingClass } from '@hotline/domain';
import { HostingLookupError, HostingResolver, HostingTrace, IpRangeTable } from '@hotline/enrichment';
import { MetricsRegistry } from '@hotline/observability';
import { RoutingRulesRepository } from '@hotline/persistence';
import { Injectable, Logger } from '@nestjs/common';
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
@Injectable()
export class HostingTraceService {
  private readonly log = new Logger(HostingTraceService.name);
  private readonly resolver: HostingResolver;
  private readonly outcomes;

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

  private async record(
    caseId: string,
    result: { status: 'resolved' | 'onion' | 'unresolved'; hostingClass: HostingClass; trace: HostingTrace | null; error: string | null },
  ): Promise<void> {
    const rules = (await this.rules.current()).rules;
    await this.dataSource.transaction(async (tx) => {
      // The trace and the placement it implies are written by one statement: one row version.
      const [row]: CaseRow[] = await tx.query(`SELECT ${CASE_ROW_COLUMNS} FROM "case" WHERE id = $1 FOR UPDATE`, [caseId]);
      const [placement] = await computePlacements(tx, [{ ...row, hosting_class: result.hostingClass }], rules);
      await tx.query(
        `UPDATE "case" SET hosting_status = $2, hosting_class = $3, hosting = coalesce($4, hosting), hosting_error = $5,
                priority = $6, priority_factors = $7, queue = $8, routed_by = coalesce($9, routed_by), updated_at = now()
          WHERE id = $1`,
        [
          caseId,
          result.status,
          result.hostingClass,
          result.trace ? JSON.stringify(result.trace) : null,
          result.error,
          placement.priority,
          JSON.stringify(placement.factors),
          placement.queue,
          placement.rule,
        ],
      );
      await tx.query(`INSERT INTO case_event (case_id, kind, detail) VALUES ($1, $2, $3)`, [
        caseId,
        result.status === 'unresolved' ? 'hosting_unresolved' : 'hosting_resolved',
        JSON.stringify(result.trace ? { class: result.hostingClass, ip: result.trace.ip, country: result.trace.country, asn: result.trace.asn } : { error: result.error }),
      ]);
      await recordMoves(tx, [placement]);
    });
  }
}
