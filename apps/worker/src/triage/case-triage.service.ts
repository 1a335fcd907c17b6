import { caseSourceOf, finalStatusOf, highestContentType, REAPPEAR_FROM, ReportedContentType, RoutingRule } from '@hotline/domain';
import { registrableDomain } from '@hotline/enrichment';
import { MetricsRegistry } from '@hotline/observability';
import {
  CaseOfKey,
  CaseRepository,
  KnownUrlRepository,
  NewCase,
  OutboxRepository,
  PlacementFacts,
  ReportedUrlRepository,
  RoutingRulesRepository,
  SqlRunner,
  TriageUrl,
  WorkGroups,
} from '@hotline/persistence';
import { JOB_IDS, JobName, JOBS, OutboxTopic, QueueName, QueueRegistry } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { batchFailure } from './batches';
import { CasePlacement } from './case-placement';
import { HostingTrace, queueHostingTraces, Reappearing, reopenReappeared } from './reappearance';

type Outcome = 'new_case' | 'attached' | 'reappeared' | 'known_url' | 'already_attached';

interface BatchResult {
  missing: Set<string>;
  /** Cases whose hosting trace must be (re)queued: new, reappeared, or still pending. */
  traces: HostingTrace[];
  outcomes: Partial<Record<Outcome, number>>;
}

/**
 * Deduplication: every reported URL joins exactly one case per dedup key.
 *
 * Jobs running at the same time in this process are placed together (WorkGroups, as intake
 * writes reports): one transaction and a handful of set-based statements per group, not a dozen
 * round trips and a commit per URL. Per-key advisory locks, taken in key order, serialise groups
 * of different workers that share a key, and the unique partial index on open cases stands behind
 * them. A URL delivered twice is found attached and changes nothing.
 */
@Injectable()
export class CaseTriageService implements BeforeApplicationShutdown {
  private readonly log = new Logger(CaseTriageService.name);
  private readonly groups: WorkGroups<string>;
  private readonly outcomes;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    private readonly rules: RoutingRulesRepository,
    private readonly cases: CaseRepository,
    private readonly reportedUrls: ReportedUrlRepository,
    private readonly knownUrls: KnownUrlRepository,
    private readonly outbox: OutboxRepository,
    private readonly placement: CasePlacement,
    metrics: MetricsRegistry,
  ) {
    this.outcomes = metrics.counter('hotline_reported_urls_triaged_total', 'Reported URLs placed into cases, by outcome', ['outcome']);
    const groupSize = metrics.histogram('hotline_triage_group_size', 'Reported URLs placed per transaction', [], [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
    this.groups = new WorkGroups((ids) => this.placeAll(ids), {
      maxGroup: 500,
      maxInFlight: 2,
      onGroup: (size) => groupSize.observe(size),
      onSplit: (size, error) => this.log.warn(`group of ${size} reported URLs failed (${error.message}); placing them one by one`),
    });
  }

  /** Places one reported URL; settles after its group committed and its trace job was queued. */
  attach(reportedUrlId: string): Promise<void> {
    return this.groups.submit(reportedUrlId);
  }

  /**
   * Places the URLs of a relayed batch. If some failed on their own (their groups were retried
   * URL by URL and the rest placed), each of those goes on as its own job, with its own retries
   * and dead letter. If all failed (the database is down), the batch job fails and retries;
   * the URLs it placed before are found attached and change nothing.
   */
  async attachBatch(reportedUrlIds: string[]): Promise<void> {
    const settled = await Promise.allSettled(reportedUrlIds.map((id) => this.groups.submit(id)));
    const errors = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
    if (errors.length === 0) return;
    if (errors.length === reportedUrlIds.length) throw batchFailure(errors, reportedUrlIds.length, 'reported URLs');
    const failed = reportedUrlIds.filter((_, i) => settled[i].status === 'rejected');
    this.log.warn(`${failed.length} of ${reportedUrlIds.length} reported URLs of a batch failed (${errors[0].message}); each goes on as its own job`);
    const options = JOBS[JobName.AttachReportedUrl].options();
    await this.queues.get(QueueName.ReportedUrls).addBulk(
      failed.map((reportedUrlId) => ({
        name: JobName.AttachReportedUrl,
        data: { reportedUrlId },
        opts: { ...options, jobId: JOB_IDS.attachReportedUrl(reportedUrlId) },
      })),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.groups.drained();
  }

  private async placeAll(ids: string[]): Promise<Map<string, Error>> {
    const rules = (await this.rules.current()).rules;
    const result = await this.dataSource.transaction((tx) => this.placeGroup(tx, ids, rules));
    // After the commit: if this fails the jobs fail, and their retry finds the URLs attached and
    // the cases' traces still pending, and queues them again (the job ids make that idempotent).
    await queueHostingTraces(this.queues, result.traces);
    for (const [outcome, n] of Object.entries(result.outcomes)) this.outcomes.inc({ outcome }, n);
    return new Map([...result.missing].map((id) => [id, new UnrecoverableError(`reported URL ${id} does not exist`)]));
  }

  private async placeGroup(tx: SqlRunner, ids: string[], rules: readonly RoutingRule[]): Promise<BatchResult> {
    // Key locks first, in key order: they also guard the reported URL rows, read without row locks.
    await this.reportedUrls.lockKeysOf(tx, ids);
    const urls = await this.reportedUrls.forTriage(tx, ids);
    const found = new Set(urls.map((url) => url.id));
    const result: BatchResult = { missing: new Set(ids.filter((id) => !found.has(id))), traces: [], outcomes: {} };
    const count = (outcome: Outcome, n = 1) => (result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + n);

    // Delivered twice: already in a case. Only make sure its trace was queued.
    const attachedBefore = urls.filter((url) => url.case_id !== null);
    count('already_attached', attachedBefore.length);
    if (attachedBefore.length > 0) {
      const pending = await this.cases.pendingTrace(tx, [...new Set(attachedBefore.map((url) => url.case_id!))]);
      for (const c of pending) result.traces.push({ caseId: c.id, appearance: c.reappeared_count });
    }

    const byKey = new Map<string, TriageUrl[]>();
    for (const url of urls) {
      if (url.case_id !== null) continue;
      const group = byKey.get(url.dedup_key);
      if (group) group.push(url);
      else byKey.set(url.dedup_key, [url]);
    }
    if (byKey.size === 0) return result;
    const keys = [...byKey.keys()];

    // The open case of each key, else its latest closed one (which reappears): two lookups, each
    // on its own partial index.
    const open: CaseOfKey[] = await this.cases.openOfKeys(tx, keys);
    const caseOfKey = new Map(open.map((c) => [c.dedup_key.trim(), c]));
    const notOpen = keys.filter((key) => !caseOfKey.has(key));
    if (notOpen.length > 0) {
      const closed: CaseOfKey[] = await this.cases.latestClosedOfKeys(tx, notOpen);
      for (const c of closed) caseOfKey.set(c.dedup_key.trim(), c);
    }
    const newKeys = keys.filter((key) => !caseOfKey.has(key));
    const known = newKeys.length ? await this.knownUrls.ofKeys(tx, newKeys) : [];
    const knownOfKey = new Map(known.map((k) => [k.dedup_key.trim(), k]));

    // New cases are written once, complete: counts, content type and placement computed here.
    const hourAgo = Date.now() - 3_600_000;
    const created = newKeys.map((key) => {
      const group = byKey.get(key)!;
      const first = group[0];
      const entry = knownOfKey.get(key);
      const row: PlacementFacts = {
        id: uuidv7(),
        // A known verdict settles the case without anyone viewing it.
        status: entry ? finalStatusOf(entry.verdict) : 'queued',
        queue: null,
        priority: 0,
        source: caseSourceOf(first.source),
        language: first.language,
        content_type: highestContentType(group.map((url) => url.content_type as ReportedContentType | null).filter(isContentType)),
        victim_identifiable: group.some((url) => url.victim_identifiable),
        report_count: group.length,
        reappeared_count: 0,
        registrable_domain: registrableDomain(first.host),
        hosting_class: 'unknown',
      };
      return { key, group, first, entry, row };
    });
    const placements = await this.placement.compute(
      tx,
      created.map((c) => c.row),
      rules,
      new Map(created.map((c) => [c.row.id, c.group.filter((url) => url.received_at.getTime() > hourAgo).length])),
    );
    if (created.length > 0) {
      await this.cases.createMany(
        tx,
        created.map(({ key, group, first, entry, row }, i): NewCase => ({
          id: row.id,
          dedup_key: key,
          canonical_url: first.canonical_url,
          host: first.host,
          registrable_domain: row.registrable_domain,
          status: row.status,
          source: row.source,
          language: row.language,
          content_type: row.content_type,
          victim: row.victim_identifiable,
          report_count: row.report_count,
          first_at: first.received_at,
          last_at: group[group.length - 1].received_at,
          priority: placements[i].priority,
          factors: placements[i].factors,
          queue: placements[i].queue,
          rule: placements[i].rule,
          known_url_id: entry?.id ?? null,
          settled_by: entry ? 'known_url' : null,
          verdict: entry?.verdict ?? null,
          // A case a partner hotline forwarded keeps who sent it and their reference.
          partner_id: group.find((url) => url.partner_id !== null)?.partner_id ?? null,
          partner_reference: group.find((url) => url.partner_id !== null)?.partner_reference ?? null,
          // `urls` and `source` are for the regulators' statistics (deduplication, the source breakdown), which read events only.
          detail: {
            ...(entry
              ? { settledBy: 'known_url', list: entry.list_name, verdict: entry.verdict }
              : { queue: placements[i].queue, rule: placements[i].rule, priority: placements[i].priority }),
            urls: group.length,
            source: first.source,
          },
        })),
      );
      // Settled as confirmed by a known-URL list: its actions are decided once its hosting is traced (ActOnCases).
      const confirmed = created.filter((c) => c.row.status === 'confirmed').map((c) => c.row.id);
      await this.outbox.appendMany(tx, OutboxTopic.CaseAct, confirmed, { reason: 'known_url' });
      for (const c of created) {
        caseOfKey.set(c.key, { id: c.row.id, dedup_key: c.key, status: c.row.status, hosting_status: 'pending', reappeared_count: 0 });
        result.traces.push({ caseId: c.row.id, appearance: 0 });
        count(c.entry ? 'known_url' : 'new_case');
        count('attached', c.group.length - 1);
      }
    }
    const createdKeys = new Set(newKeys);
    const stored = keys.filter((key) => !createdKeys.has(key));

    const reappearing = new Set(stored.filter((key) => (REAPPEAR_FROM as readonly string[]).includes(caseOfKey.get(key)!.status)));
    for (const key of stored) {
      const c = caseOfKey.get(key)!;
      if (reappearing.has(key)) {
        count('reappeared');
        count('attached', byKey.get(key)!.length - 1);
      } else {
        if (c.hosting_status === 'pending') result.traces.push({ caseId: c.id, appearance: c.reappeared_count });
        count('attached', byKey.get(key)!.length);
      }
    }

    // Every stored case of the group takes its reports: counts, first/last reported, the most
    // severe content type, the victim flag.
    const reportsOf = (key: string) => {
      const group = byKey.get(key)!;
      return {
        n: group.length,
        first_at: group[0].received_at,
        last_at: group[group.length - 1].received_at,
        content_types: group.map((url) => url.content_type).filter((t) => t !== null),
        victim: group.some((url) => url.victim_identifiable),
      };
    };
    const staying = stored.filter((key) => !reappearing.has(key));
    await this.cases.attachReports(
      tx,
      staying.map((key) => ({ id: caseOfKey.get(key)!.id, ...reportsOf(key), reappear: false })),
    );
    // The statistics count deduplication from events only: each stored case says how many URLs joined it.
    await this.cases.recordEvents(
      tx,
      staying.map((key) => ({ caseId: caseOfKey.get(key)!.id, kind: 'reports_attached', detail: { urls: byKey.get(key)!.length } })),
    );
    // Before any placement: a case's reports of the last hour (its velocity) are counted by case.
    await this.reportedUrls.assignCases(
      tx,
      keys.flatMap((key) => byKey.get(key)!.map((url) => ({ id: url.id, case_id: caseOfKey.get(key)!.id }))),
    );
    // A reappearing case goes back to a queue, traced anew: the one way a case reappears.
    const reopened = [...reappearing].map((key): Reappearing => {
      const c = caseOfKey.get(key)!;
      return {
        caseId: c.id,
        from: c.status,
        reappearedCount: c.reappeared_count,
        reports: reportsOf(key),
        detail: { reason: 'reported again after removal', reportedUrlId: byKey.get(key)![0].id, urls: byKey.get(key)!.length },
      };
    });
    result.traces.push(...(await reopenReappeared(tx, { cases: this.cases, placement: this.placement }, reopened, rules)));
    await this.placement.placeStored(
      tx,
      staying.map((key) => caseOfKey.get(key)!.id),
      rules,
    );
    return result;
  }
}

function isContentType(value: ReportedContentType | null): value is ReportedContentType {
  return value !== null;
}
