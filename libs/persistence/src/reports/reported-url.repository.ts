import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { ReportRow } from './report.row';
import type { ReportedUrlRow } from './reported-url.row';

/** A reported URL as triage reads it: with the facts of its report. */
export type TriageUrl = Pick<ReportedUrlRow, 'id' | 'case_id' | 'dedup_key' | 'canonical_url' | 'host' | 'received_at'> &
  Pick<ReportRow, 'source' | 'language' | 'content_type' | 'victim_identifiable' | 'partner_id' | 'partner_reference'>;

/** The URLs of reports (reported_url). Intake's group commit writes them with their report: ReportRepository.insertGroup. */
@Injectable()
export class ReportedUrlRepository {
  /** One URL of a report, not yet in a case. */
  async insert(db: SqlRunner, url: Omit<ReportedUrlRow, 'case_id'>): Promise<void> {
    await db.query(`INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      url.id,
      url.report_id,
      url.position,
      url.raw_url,
      url.canonical_url,
      url.dedup_key,
      url.host,
      url.received_at,
    ]);
  }

  /**
   * Takes the advisory lock of each dedup key of these URLs, in key order, for the rest of the
   * transaction: two triage groups sharing keys queue instead of deadlocking. Every placement of a
   * URL holds its key's lock, so the URL rows are then read without a row lock (which would cost a
   * write per URL).
   */
  async lockKeysOf(db: SqlRunner, ids: readonly string[]): Promise<void> {
    await db.query(
      `SELECT pg_advisory_xact_lock(k) FROM (
         SELECT DISTINCT hashtextextended(dedup_key, 0) AS k FROM reported_url WHERE id = ANY($1::uuid[]) ORDER BY 1) AS keys`,
      [ids],
    );
  }

  /** What triage needs of each URL and its report, in the order they were received. */
  forTriage(db: SqlRunner, ids: readonly string[]): Promise<TriageUrl[]> {
    return db.query(
      `SELECT ru.id, ru.case_id, ru.dedup_key, ru.canonical_url, ru.host, ru.received_at,
              r.source, r.language, r.content_type, r.victim_identifiable, r.partner_id, r.partner_reference
         FROM reported_url ru JOIN report r ON r.id = ru.report_id
        WHERE ru.id = ANY($1::uuid[]) ORDER BY ru.received_at, ru.id`,
      [ids],
    );
  }

  /** Puts each URL in its case: one statement for the group. */
  async assignCases(db: SqlRunner, assignments: { id: string; case_id: string }[]): Promise<void> {
    if (assignments.length === 0) return;
    await db.query(`UPDATE reported_url ru SET case_id = a.case_id FROM json_to_recordset($1::json) AS a(id uuid, case_id uuid) WHERE ru.id = a.id`, [
      JSON.stringify(assignments),
    ]);
  }
}

export const reportedUrlRepository = new ReportedUrlRepository();
