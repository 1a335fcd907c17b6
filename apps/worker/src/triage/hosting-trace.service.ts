import { HotlineConfig } from '@hotline/config';
import { HostingClass, HostingStatus } from '@hotline/domain';
import { HostingLookupError, HostingResolver, HostingTrace, IpRangeTable } from '@hotline/enrichment';
import { MetricsRegistry } from '@hotline/observability';
import { CaseRepository, OutboxRepository, PartnerRepository, TraceTarget, RoutingRulesRepository, SqlRunner, WorkGroups } from '@hotline/persistence';
import { JOB_IDS, JobName, JOBS, OutboxTopic, QueueName, QueueRegistry } from '@hotline/queue';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { batchFailure, ConcurrencyLimit } from './batches';
import { CasePlacement } from './case-placement';

interface HostingResult {
  status: Exclude<HostingStatus, 'pending'>;
  hostingClass: HostingClass;
  trace: HostingTrace | null;
  error: string | null;
}

interface HostingRecord extends HostingResult {
  caseId: string;
}

/** When a transiently failed lookup of a batch is first retried, as its own job (then it backs off). */
const FIRST_RETRY_MS = 5000;

/**
 * The hosting trace of a case (DNS -> IP -> country, ASN), in jobs of its own so a slow or failing
 * lookup never holds the case back: it is already in a queue. A transient failure (timeout,
 * SERVFAIL) marks the case `unresolved` with the reason and is retried with backoff in a job of
 * its own; a definitive one (NXDOMAIN, no address) marks it and stops. Success re-routes the case
 * while it still waits in a queue.
 */
@Injectable()
export class HostingTraceService implements BeforeApplicationShutdown {
  private readonly log = new Logger(HostingTraceService.name);
  private readonly resolver: HostingResolver;
  private readonly outcomes;
  private readonly records: WorkGroups<HostingRecord>;
  private readonly lookups: ConcurrencyLimit;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly outbox: OutboxRepository,
    private readonly placement: CasePlacement,
    private readonly rules: RoutingRulesRepository,
    private readonly partners: PartnerRepository,
    private readonly queues: QueueRegistry,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.lookups = new ConcurrencyLimit(config.hostingConcurrency);
    const geo = config.geoIpTable ? IpRangeTable.load(config.geoIpTable) : null;
    if (!geo) this.log.warn('GEO_IP_TABLE is not set: hosting traces will have addresses but no country');
    this.resolver = new HostingResolver({ servers: config.dnsServers.length ? config.dnsServers : undefined, timeoutMs: config.dnsTimeoutMs, geo });
    this.outcomes = metrics.counter('hotline_hosting_traces_total', 'Hosting lookups, by outcome', ['outcome']);
    // Lookups run at once (HOSTING_CONCURRENCY at most); their results are written in groups, one transaction each.
    this.records = new WorkGroups((records) => this.recordAll(records), {
      maxGroup: 500,
      maxInFlight: 2,
      onSplit: (size, error) => this.log.warn(`group of ${size} hosting traces failed (${error.message}); writing them one by one`),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.records.drained();
  }

  /** The single-case job: a retry of a transient failure, or a case a batch could not trace. */
  async trace(caseId: string): Promise<void> {
    const [found] = await this.cases.traceTargets(this.dataSource, [caseId]);
    if (!found) throw new UnrecoverableError(`case ${caseId} does not exist`);
    const transient = await this.traceCase(found);
    if (transient) throw transient;
  }

  /**
   * The batch job: the cases of a triage group, looked up at once (within the process's lookup
   * limit) and written in groups. A case whose lookup failed transiently, or that could not be
   * traced or written, goes on as its own job: retried with backoff, then a dead letter.
   */
  async traceBatch(caseIds: string[]): Promise<void> {
    const targets = await this.cases.traceTargets(this.dataSource, caseIds);
    const found = new Set(targets.map((target) => target.id));
    const retry: { caseId: string; appearance: number; delay: number }[] = caseIds.filter((id) => !found.has(id)).map((caseId) => ({ caseId, appearance: 0, delay: 0 })); // fails for good as its own job: a dead letter
    const errors: Error[] = [];
    await Promise.all(
      targets.map(async (target) => {
        try {
          const transient = await this.lookups.run(() => this.traceCase(target));
          if (transient) retry.push({ caseId: target.id, appearance: target.reappeared_count, delay: FIRST_RETRY_MS });
        } catch (error) {
          errors.push(error as Error);
          retry.push({ caseId: target.id, appearance: target.reappeared_count, delay: 0 });
        }
      }),
    );
    if (errors.length === caseIds.length) throw batchFailure(errors, caseIds.length, 'hosting traces');
    if (retry.length === 0) return;
    const options = JOBS[JobName.ResolveHosting].options();
    await this.queues.get(QueueName.Hosting).addBulk(
      retry.map(({ caseId, appearance, delay }) => ({
        name: JobName.ResolveHosting,
        data: { caseId },
        opts: { ...options, delay, jobId: JOB_IDS.resolveHosting(caseId, appearance) },
      })),
    );
  }

  /** Looks up one case's hosting and records the result; returns a transient failure, to be retried. */
  private async traceCase(found: TraceTarget): Promise<HostingLookupError | null> {
    if (found.hosting_status === 'resolved' || found.hosting_status === 'onion') return null; // delivered twice
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
        await this.record(found.id, { status: 'unresolved', hostingClass: 'unresolved', trace: null, error: reason });
      }
      return error.transient ? error : null;
    }
    const hostingClass: HostingClass = trace.onion ? 'onion' : trace.country === null ? 'unknown' : trace.country === this.config.hotlineCountry ? 'domestic' : 'foreign';
    this.outcomes.inc({ outcome: hostingClass });
    await this.record(found.id, { status: trace.onion ? 'onion' : 'resolved', hostingClass, trace, error: null });
    return null;
  }

  private record(caseId: string, result: HostingResult): Promise<void> {
    return this.records.submit({ caseId, ...result });
  }

  /**
   * A confirmed case waiting for its trace to be acted on (settled by a known-URL list at intake),
   * or an actioned one re-routed after a partner's `not_hosted_here` (CaseActionsService traced it
   * again), is acted on now: a `case.act` outbox row in the trace's transaction. Only cases with no
   * open action (forwards a partner rejected, or failed because it is disabled, are not open).
   */
  private async actWhenTraced(tx: SqlRunner, caseIds: string[]): Promise<void> {
    if (caseIds.length === 0) return;
    const actable = await this.cases.actableAfterTrace(tx, caseIds);
    await this.outbox.appendMany(tx, OutboxTopic.CaseAct, actable, { reason: 'traced' }, `:traced-${Date.now()}`);
  }

  /** Writes a group of traces, each with the placement it implies, in one transaction. */
  private async recordAll(records: HostingRecord[]): Promise<Map<HostingRecord, Error>> {
    const rules = (await this.rules.current()).rules;
    const failed = new Map<HostingRecord, Error>();
    await this.dataSource.transaction(async (tx) => {
      const rows = await this.cases.lockForPlacement(tx, [...new Set(records.map((r) => r.caseId))]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      // One write per case: if a group holds two traces of a case, the later one counts.
      const latest = new Map<string, HostingRecord>();
      for (const record of records) {
        if (byId.has(record.caseId)) latest.set(record.caseId, record);
        else failed.set(record, new UnrecoverableError(`case ${record.caseId} does not exist`));
      }
      const chosen = [...latest.values()];
      const placements = await this.placement.compute(
        tx,
        chosen.map((record) => ({ ...byId.get(record.caseId)!, hosting_class: record.hostingClass })),
        rules,
      );
      await this.cases.writeTraces(
        tx,
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
      );
      // Whether a partner hotline serves the hosting country, as known at the trace: the statistics'
      // "no-hotline country" breakdown reads it from this event.
      const partnerCountries = new Set((await this.partners.listActive(tx)).flatMap((partner) => partner.countries));
      await this.cases.recordEvents(
        tx,
        chosen.map((record) => ({
          caseId: record.caseId,
          kind: record.status === 'unresolved' ? 'hosting_unresolved' : 'hosting_resolved',
          detail: record.trace
            ? {
                class: record.hostingClass,
                ip: record.trace.ip,
                country: record.trace.country,
                asn: record.trace.asn,
                ...(record.hostingClass === 'foreign' ? { partnerCountry: record.trace.country !== null && partnerCountries.has(record.trace.country) } : {}),
              }
            : { error: record.error },
        })),
      );
      await this.placement.recordMoves(tx, placements);
      await this.actWhenTraced(
        tx,
        chosen.map((record) => record.caseId),
      );
    });
    return failed;
  }
}
