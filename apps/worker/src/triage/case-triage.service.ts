import { assertTransition, CaseStatus, highestContentType, REAPPEAR_FROM, ReportedContentType } from '@hotline/domain';
import { registrableDomain } from '@hotline/enrichment';
import { MetricsRegistry } from '@hotline/observability';
import { RoutingRulesRepository, updateReturning } from '@hotline/persistence';
import { JOB_IDS, JobName, JOBS, QueueName, QueueRegistry } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { CASE_ROW_COLUMNS, CaseRow, placeCase } from './case-placement';

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
}

type Outcome = 'new_case' | 'attached' | 'reappeared' | 'known_url' | 'already_attached';

// What a known verdict settles a case as, without anyone viewing it.
const KNOWN_VERDICT_STATUS: Record<string, CaseStatus> = {
  baseline: 'confirmed',
  national: 'confirmed',
  harmful_not_illegal: 'harmful_not_illegal',
  not_illegal: 'not_illegal',
};

const caseSource = (reportSource: string): CaseRow['source'] =>
  reportSource === 'partner' ? 'partner' : reportSource === 'bulk' ? 'bulk' : 'public';

/**
 * Deduplication: every reported URL joins exactly one case per dedup key. A per-key advisory lock
 * serialises the few jobs that race on one key (any number of workers can run); the unique partial
 * index on open cases is the database's guarantee behind it. A job delivered twice finds its URL
 * already attached and changes nothing.
 */
@Injectable()
export class CaseTriageService {
  private readonly outcomes;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    private readonly rules: RoutingRulesRepository,
    metrics: MetricsRegistry,
  ) {
    this.outcomes = metrics.counter('hotline_reported_urls_triaged_total', 'Reported URLs placed into cases, by outcome', ['outcome']);
  }

  async attach(reportedUrlId: string): Promise<void> {
    const result = await this.dataSource.transaction(async (tx) => this.attachInTransaction(tx, reportedUrlId));
    // After the commit: a failure here fails the job, whose retry finds the URL attached and
    // comes straight back here, so the trace is never forgotten.
    if (result.tracePending) {
      await this.queues
        .get(QueueName.Hosting)
        .add(JobName.ResolveHosting, { caseId: result.caseId }, { ...JOBS[JobName.ResolveHosting].options(), jobId: JOB_IDS.resolveHosting(result.caseId, result.appearance) });
    }
    this.outcomes.inc({ outcome: result.outcome });
  }

  private async attachInTransaction(tx: EntityManager, reportedUrlId: string): Promise<{ caseId: string; outcome: Outcome; tracePending: boolean; appearance: number }> {
    const [url]: ReportedUrlRow[] = await tx.query(
      `SELECT ru.id, ru.case_id, ru.dedup_key, ru.canonical_url, ru.host, ru.received_at,
              r.source, r.language, r.content_type, r.victim_identifiable
         FROM reported_url ru JOIN report r ON r.id = ru.report_id
        WHERE ru.id = $1 FOR UPDATE OF ru`,
      [reportedUrlId],
    );
    if (!url) throw new UnrecoverableError(`reported URL ${reportedUrlId} does not exist`);
    if (url.case_id) {
      const [known] = await tx.query(`SELECT hosting_status, reappeared_count FROM "case" WHERE id = $1`, [url.case_id]);
      return { caseId: url.case_id, outcome: 'already_attached', tracePending: known.hosting_status === 'pending', appearance: known.reappeared_count };
    }

    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [url.dedup_key]);
    // The open case if there is one, else the latest closed one (which reappears).
    const [existing]: (CaseRow & { hosting_status: string })[] = await tx.query(
      `SELECT ${CASE_ROW_COLUMNS}, hosting_status FROM "case" WHERE dedup_key = $1
        ORDER BY (status = 'closed'), created_at DESC LIMIT 1 FOR UPDATE`,
      [url.dedup_key],
    );

    let row: CaseRow;
    let outcome: Outcome;
    let tracePending = false;
    if (!existing) {
      ({ row, outcome } = await this.createCase(tx, url));
      tracePending = true;
    } else if ((REAPPEAR_FROM as readonly string[]).includes(existing.status)) {
      row = await this.reappear(tx, existing, url);
      outcome = 'reappeared';
      tracePending = true;
    } else {
      row = await this.addReport(tx, existing, url);
      outcome = 'attached';
      tracePending = existing.hosting_status === 'pending';
    }
    await tx.query(`UPDATE reported_url SET case_id = $2 WHERE id = $1`, [url.id, row.id]);
    await placeCase(tx, row, (await this.rules.current()).rules);
    return { caseId: row.id, outcome, tracePending, appearance: row.reappeared_count };
  }

  private async createCase(tx: EntityManager, url: ReportedUrlRow): Promise<{ row: CaseRow; outcome: Outcome }> {
    const [known] = await tx.query(`SELECT id, verdict, list_name FROM known_url WHERE dedup_key = $1`, [url.dedup_key]);
    const status: CaseStatus = known ? KNOWN_VERDICT_STATUS[known.verdict] : 'queued';
    const [row]: CaseRow[] = await tx.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, queued_at, source, language,
                           content_type, victim_identifiable, report_count, first_reported_at, last_reported_at,
                           known_url_id, settled_by, verdict)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 = 'queued' THEN now() END, $7, $8, $9, $10, 1, $11, $11, $12, $13, $14)
       RETURNING ${CASE_ROW_COLUMNS}`,
      [
        uuidv7(),
        url.dedup_key,
        url.canonical_url,
        url.host,
        registrableDomain(url.host),
        status,
        caseSource(url.source),
        url.language,
        url.content_type,
        url.victim_identifiable,
        url.received_at,
        known?.id ?? null,
        known ? 'known_url' : null,
        known?.verdict ?? null,
      ],
    );
    await tx.query(`INSERT INTO case_event (case_id, kind, to_status, detail) VALUES ($1, 'created', $2, $3)`, [
      row.id,
      status,
      JSON.stringify(known ? { settledBy: 'known_url', list: known.list_name, verdict: known.verdict } : {}),
    ]);
    return { row, outcome: known ? 'known_url' : 'new_case' };
  }

  /** Removed content reported again: the case goes back to a queue, its history kept. */
  private async reappear(tx: EntityManager, existing: CaseRow, url: ReportedUrlRow): Promise<CaseRow> {
    const from = existing.status as CaseStatus;
    assertTransition(from, 'reappeared');
    assertTransition('reappeared', 'queued');
    const [row] = await updateReturning<CaseRow>(
      tx,
      `UPDATE "case" SET status = 'queued', queued_at = now(), reappeared_count = reappeared_count + 1,
              report_count = report_count + 1, last_reported_at = greatest(last_reported_at, $2),
              content_type = $3, victim_identifiable = victim_identifiable OR $4,
              hosting_status = 'pending', hosting_class = 'unknown', hosting_error = NULL, updated_at = now()
        WHERE id = $1 RETURNING ${CASE_ROW_COLUMNS}`,
      [existing.id, url.received_at, highestContentType([existing.content_type, url.content_type].filter(isContentType)), url.victim_identifiable],
    );
    await tx.query(
      `INSERT INTO case_event (case_id, kind, from_status, to_status, detail)
       VALUES ($1, 'transition', $2, 'reappeared', $3), ($1, 'transition', 'reappeared', 'queued', '{}')`,
      [existing.id, from, JSON.stringify({ reason: 'reported again after removal', reportedUrlId: url.id })],
    );
    return row;
  }

  private async addReport(tx: EntityManager, existing: CaseRow, url: ReportedUrlRow): Promise<CaseRow> {
    const [row] = await updateReturning<CaseRow>(
      tx,
      `UPDATE "case" SET report_count = report_count + 1, last_reported_at = greatest(last_reported_at, $2),
              first_reported_at = least(first_reported_at, $2), content_type = $3,
              victim_identifiable = victim_identifiable OR $4, updated_at = now()
        WHERE id = $1 RETURNING ${CASE_ROW_COLUMNS}`,
      [existing.id, url.received_at, highestContentType([existing.content_type, url.content_type].filter(isContentType)), url.victim_identifiable],
    );
    return row;
  }
}

function isContentType(value: ReportedContentType | null): value is ReportedContentType {
  return value !== null;
}
