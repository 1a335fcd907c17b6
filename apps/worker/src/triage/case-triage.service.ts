import { CaseStatus, highestContentType, REAPPEAR_FROM, ReportedContentType, RoutingRule } from '@hotline/domain';
import { registrableDomain } from '@hotline/enrichment';
import { MetricsRegistry } from '@hotline/observability';
import { RoutingRulesRepository, WorkGroups } from '@hotline/persistence';
import { JOB_IDS, JobName, JOBS, OutboxTopic, QueueName, QueueRegistry } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { batchFailure } from './batches';
import { CaseRow, computePlacements, placeCases } from './case-placement';

interface ReportedUrlRow {
  id: string;
  case_id: string | null;
  dedup_key: string;
  canonical_url: string;
  host: string;
  received_at: Date;
  source: string;
  language: string;
  content_type: ReportedContentType | null;
  victim_identifiable: boolean;
  partner_id: string | null;
  partner_reference: string | null;
}

interface KeyCase {
  id: string;
  dedup_key: string;
  status: string;
  hosting_status: string;
  reappeared_count: number;
}

type Outcome = 'new_case' | 'attached' | 'reappeared' | 'known_url' | 'already_attached';

interface BatchResult {
  missing: Set<string>;
  /** Cases whose hosting trace must be (re)queued: new, reappeared, or still pending. */
  traces: { caseId: string; appearance: number }[];
  outcomes: Partial<Record<Outcome, number>>;
}

// What a known verdict settles a case as, without anyone viewing it.
const KNOWN_VERDICT_STATUS: Record<string, CaseStatus> = {
  baseline: 'confirmed',
  national: 'confirmed',
  harmful_not_illegal: 'harmful_not_illegal',
  not_illegal: 'not_illegal',
};

// Most severe first: a case's content type is the most severe any reporter gave.
const CONTENT_RANK = `ARRAY['livestream', 'videos', 'images', 'text', 'other']`;

// Lookups by dedup key. The column is char(64): the keys are passed as bpchar[] so the indexes
// serve them (against text[] PostgreSQL would cast the column and scan every case).
export const OPEN_CASES_OF_KEYS = `SELECT id, dedup_key, status, hosting_status, reappeared_count FROM "case"
  WHERE dedup_key = ANY($1::bpchar[]) AND status <> 'closed'`;
export const CLOSED_CASES_OF_KEYS = `SELECT DISTINCT ON (dedup_key) id, dedup_key, status, hosting_status, reappeared_count FROM "case"
  WHERE dedup_key = ANY($1::bpchar[]) AND status = 'closed' ORDER BY dedup_key, created_at DESC`;
export const KNOWN_URLS_OF_KEYS = `SELECT id, dedup_key, verdict, list_name FROM known_url WHERE dedup_key = ANY($1::bpchar[])`;

const caseSource = (reportSource: string): 'public' | 'partner' | 'bulk' =>
  reportSource === 'partner' ? 'partner' : reportSource === 'bulk' ? 'bulk' : 'public';

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
    await this.queueTraces(result.traces);
    for (const [outcome, n] of Object.entries(result.outcomes)) this.outcomes.inc({ outcome }, n);
    return new Map([...result.missing].map((id) => [id, new UnrecoverableError(`reported URL ${id} does not exist`)]));
  }

  /** One trace job for the group's cases. */
  private async queueTraces(traces: BatchResult['traces']): Promise<void> {
    if (traces.length === 0) return;
    const appearances = new Map(traces.map(({ caseId, appearance }) => [caseId, appearance]));
    const caseIds = [...appearances.keys()];
    await this.queues
      .get(QueueName.Hosting)
      .add(
        JobName.TraceHosting,
        { caseIds },
        { ...JOBS[JobName.TraceHosting].options(), jobId: JOB_IDS.traceHosting(caseIds.map((id) => `${id}-${appearances.get(id)}`)) },
      );
  }

  private async placeGroup(tx: EntityManager, ids: string[], rules: readonly RoutingRule[]): Promise<BatchResult> {
    // Key locks first, in key order, so two groups sharing keys queue instead of deadlocking. They
    // also guard the reported URL rows (every placement of a URL holds its key's lock), so those
    // are read without a row lock, which would cost a write per URL.
    await tx.query(
      `SELECT pg_advisory_xact_lock(k) FROM (
         SELECT DISTINCT hashtextextended(dedup_key, 0) AS k FROM reported_url WHERE id = ANY($1::uuid[]) ORDER BY 1) AS keys`,
      [ids],
    );
    const urls: ReportedUrlRow[] = await tx.query(
      `SELECT ru.id, ru.case_id, ru.dedup_key, ru.canonical_url, ru.host, ru.received_at,
              r.source, r.language, r.content_type, r.victim_identifiable, r.partner_id, r.partner_reference
         FROM reported_url ru JOIN report r ON r.id = ru.report_id
        WHERE ru.id = ANY($1::uuid[]) ORDER BY ru.received_at, ru.id`,
      [ids],
    );
    const found = new Set(urls.map((url) => url.id));
    const result: BatchResult = { missing: new Set(ids.filter((id) => !found.has(id))), traces: [], outcomes: {} };
    const count = (outcome: Outcome, n = 1) => (result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + n);

    // Delivered twice: already in a case. Only make sure its trace was queued.
    const attachedBefore = urls.filter((url) => url.case_id !== null);
    count('already_attached', attachedBefore.length);
    if (attachedBefore.length > 0) {
      const pending: KeyCase[] = await tx.query(
        `SELECT id, reappeared_count FROM "case" WHERE id = ANY($1::uuid[]) AND hosting_status = 'pending'`,
        [[...new Set(attachedBefore.map((url) => url.case_id))]],
      );
      for (const c of pending) result.traces.push({ caseId: c.id, appearance: c.reappeared_count });
    }

    const byKey = new Map<string, ReportedUrlRow[]>();
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
    const open: KeyCase[] = await tx.query(OPEN_CASES_OF_KEYS, [keys]);
    const caseOfKey = new Map(open.map((c) => [c.dedup_key.trim(), c]));
    const notOpen = keys.filter((key) => !caseOfKey.has(key));
    if (notOpen.length > 0) {
      const closed: KeyCase[] = await tx.query(CLOSED_CASES_OF_KEYS, [notOpen]);
      for (const c of closed) caseOfKey.set(c.dedup_key.trim(), c);
    }
    const newKeys = keys.filter((key) => !caseOfKey.has(key));
    const known: { id: string; dedup_key: string; verdict: string; list_name: string }[] = newKeys.length
      ? await tx.query(KNOWN_URLS_OF_KEYS, [newKeys])
      : [];
    const knownOfKey = new Map(known.map((k) => [k.dedup_key.trim(), k]));

    // New cases are written once, complete: counts, content type and placement computed here.
    const hourAgo = Date.now() - 3_600_000;
    const created = newKeys.map((key) => {
      const group = byKey.get(key)!;
      const first = group[0];
      const entry = knownOfKey.get(key);
      const row: CaseRow = {
        id: uuidv7(),
        status: entry ? KNOWN_VERDICT_STATUS[entry.verdict] : 'queued',
        queue: null,
        priority: 0,
        source: caseSource(first.source),
        language: first.language,
        content_type: highestContentType(group.map((url) => url.content_type).filter(isContentType)),
        victim_identifiable: group.some((url) => url.victim_identifiable),
        report_count: group.length,
        reappeared_count: 0,
        registrable_domain: registrableDomain(first.host),
        hosting_class: 'unknown',
      };
      return { key, group, first, entry, row };
    });
    const placements = await computePlacements(
      tx,
      created.map((c) => c.row),
      rules,
      new Map(created.map((c) => [c.row.id, c.group.filter((url) => url.received_at.getTime() > hourAgo).length])),
    );
    if (created.length > 0) {
      await tx.query(
        `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, queued_at, source, language,
                             content_type, victim_identifiable, report_count, first_reported_at, last_reported_at,
                             priority, priority_factors, queue, routed_by, known_url_id, settled_by, verdict,
                             partner_id, partner_reference)
         SELECT id, dedup_key, canonical_url, host, registrable_domain, status, CASE WHEN status = 'queued' THEN now() END,
                source, language, content_type, victim, report_count, first_at, last_at, priority, factors, queue, rule,
                known_url_id, settled_by, verdict, partner_id, partner_reference
           FROM json_to_recordset($1::json) AS n(id uuid, dedup_key text, canonical_url text, host text,
                registrable_domain text, status text, source text, language text, content_type text, victim boolean,
                report_count int, first_at timestamptz, last_at timestamptz, priority smallint, factors jsonb, queue text,
                rule text, known_url_id uuid, settled_by text, verdict text, partner_id uuid, partner_reference text)`,
        [
          JSON.stringify(
            created.map(({ key, group, first, entry, row }, i) => ({
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
            })),
          ),
        ],
      );
      // Settled as confirmed by a known-URL list: its actions are decided once its hosting is traced (ActOnCases).
      const confirmed = created.filter((c) => c.row.status === 'confirmed').map((c) => c.row.id);
      if (confirmed.length) await tx.query(`INSERT INTO outbox (topic, message_key, payload) SELECT $1, id::text, $3 FROM unnest($2::uuid[]) AS id`, [OutboxTopic.CaseAct, confirmed, JSON.stringify({ reason: 'known_url' })]);
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
        result.traces.push({ caseId: c.id, appearance: c.reappeared_count + 1 });
        count('reappeared');
        count('attached', byKey.get(key)!.length - 1);
      } else {
        if (c.hosting_status === 'pending') result.traces.push({ caseId: c.id, appearance: c.reappeared_count });
        count('attached', byKey.get(key)!.length);
      }
    }

    // Every stored case of the group takes its reports: counts, first/last reported, the most
    // severe content type, the victim flag; a reappearing case goes back to a queue, traced anew.
    const updates = stored.map((key) => {
      const group = byKey.get(key)!;
      return {
        id: caseOfKey.get(key)!.id,
        n: group.length,
        first_at: group[0].received_at,
        last_at: group[group.length - 1].received_at,
        content_types: group.map((url) => url.content_type).filter((t) => t !== null),
        victim: group.some((url) => url.victim_identifiable),
        reappear: reappearing.has(key),
      };
    });
    if (updates.length > 0) {
      await tx.query(
      `UPDATE "case" c SET
              report_count = c.report_count + u.n,
              first_reported_at = least(c.first_reported_at, u.first_at),
              last_reported_at = greatest(c.last_reported_at, u.last_at),
              content_type = (SELECT t FROM unnest(array_append(u.content_types, c.content_type)) AS t
                               WHERE t IS NOT NULL ORDER BY array_position(${CONTENT_RANK}, t) LIMIT 1),
              victim_identifiable = c.victim_identifiable OR u.victim,
              status = CASE WHEN u.reappear THEN 'queued' ELSE c.status END,
              queued_at = CASE WHEN u.reappear THEN now() ELSE c.queued_at END,
              reappeared_count = c.reappeared_count + CASE WHEN u.reappear THEN 1 ELSE 0 END,
              hosting_status = CASE WHEN u.reappear THEN 'pending' ELSE c.hosting_status END,
              hosting_class = CASE WHEN u.reappear THEN 'unknown' ELSE c.hosting_class END,
              hosting_error = CASE WHEN u.reappear THEN NULL ELSE c.hosting_error END,
              updated_at = now()
         FROM json_to_recordset($1::json) AS u(id uuid, n int, first_at timestamptz, last_at timestamptz,
              content_types text[], victim boolean, reappear boolean)
        WHERE c.id = u.id`,
      [JSON.stringify(updates.map((u) => ({ ...u, content_types: `{${u.content_types.join(',')}}` })))],
      );
    }

    const events = [
      ...created.map((c, i) => ({
        id: c.row.id,
        kind: 'created',
        from: null,
        to: c.row.status,
        detail: c.entry
          ? { settledBy: 'known_url', list: c.entry.list_name, verdict: c.entry.verdict }
          : { queue: placements[i].queue, rule: placements[i].rule, priority: placements[i].priority },
      })),
      ...[...reappearing].flatMap((key) => {
        const c = caseOfKey.get(key)!;
        return [
          { id: c.id, kind: 'transition', from: c.status, to: 'reappeared', detail: { reason: 'reported again after removal', reportedUrlId: byKey.get(key)![0].id } },
          { id: c.id, kind: 'transition', from: 'reappeared', to: 'queued', detail: {} },
        ];
      }),
    ];
    if (events.length > 0) {
      await tx.query(
        `INSERT INTO case_event (case_id, kind, from_status, to_status, detail)
         SELECT id, kind, "from", "to", detail FROM json_to_recordset($1::json) AS e(id uuid, kind text, "from" text, "to" text, detail jsonb)`,
        [JSON.stringify(events)],
      );
    }

    await tx.query(
      `UPDATE reported_url ru SET case_id = a.case_id FROM json_to_recordset($1::json) AS a(id uuid, case_id uuid) WHERE ru.id = a.id`,
      [JSON.stringify(keys.flatMap((key) => byKey.get(key)!.map((url) => ({ id: url.id, case_id: caseOfKey.get(key)!.id }))))],
    );
    await placeCases(tx, stored.map((key) => caseOfKey.get(key)!.id), rules);
    return result;
  }
}

function isContentType(value: ReportedContentType | null): value is ReportedContentType {
  return value !== null;
}
