import type { CaseStatus } from '@hotline/domain';
import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { SqlRunner } from '../sql';
import type { ReportRow, ReportSource } from './report.row';

/** A report ready to be written: ids generated, secrets hashed, personal data encrypted. */
export interface NewReport {
  id: string;
  reference: string;
  statusTokenHash: Buffer;
  source: ReportSource;
  receivedAt: Date;
  language: string;
  reporterCountry: string | null;
  contentType: string | null;
  victimIdentifiable: boolean;
  contactEncrypted: Buffer | null;
  descriptionEncrypted: Buffer | null;
  contactDeleteAfter: Date | null;
  urls: { id: string; raw: string; canonical: string; dedupKey: string; host: string }[];
  /** The submitting request's id, for its outbox rows (a group commit writes many requests' reports). */
  correlationId?: string | null;
}

/** A partner's forward filed as a report: the columns that differ from one report to the next. */
export type PartnerReport = Pick<ReportRow, 'id' | 'reference' | 'status_token_hash' | 'received_at' | 'content_type' | 'partner_id' | 'partner_reference'>;

/** What the public status look-up reads: the report, and the facts of each of its cases. */
/** What the public status look-up reads of a report before the token is checked. */
export type ReportStatusRow = Pick<ReportRow, 'id' | 'reference' | 'status_token_hash' | 'received_at'>;

/** The facts of one of a report's cases that its public status is computed from. */
export interface ReportCaseRow {
  status: CaseStatus;
  claimed_since_report: boolean;
  has_actions: boolean;
  settled_by: string | null;
  changed_at: Date | null;
}

// One statement writes reports, their URLs and one outbox row per URL: a single round trip and
// a single commit (and so one WAL flush) for the whole group. The rows arrive as two JSON arrays
// (JSON.stringify is native; the driver's array serialisation was 5% of intake CPU), and bytea
// values as base64. Parent and child rows are inserted by sibling CTEs; the foreign key is checked
// at the end of the statement, when both exist. $3 is the outbox topic that announces each URL.
const INSERT_GROUP = `
WITH new_report AS (
  INSERT INTO report (id, reference, status_token_hash, source, received_at, language,
                      reporter_country, content_type, victim_identifiable, url_count, contact_encrypted,
                      description_encrypted, contact_delete_after)
  SELECT id, reference, decode(token_hash, 'base64'), source, received_at, language, country,
         content_type, victim, url_count, decode(contact, 'base64'), decode(description, 'base64'), contact_delete_after
    FROM json_to_recordset($1::json)
      AS r(id uuid, reference text, token_hash text, source text, received_at timestamptz, language text, country text,
           content_type text, victim boolean, url_count smallint, contact text, description text,
           contact_delete_after timestamptz)
), url AS (
  SELECT * FROM json_to_recordset($2::json)
    AS u(id uuid, report_id uuid, position smallint, raw_url text, canonical_url text, dedup_key text, host text,
         received_at timestamptz, correlation_id text)
), new_url AS (
  INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at)
  SELECT id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at FROM url
)
INSERT INTO outbox (topic, message_key, payload, correlation_id)
SELECT $3::text, id::text, jsonb_build_object('reportedUrlId', id), correlation_id FROM url`;

/** Reports (the report table); their URLs are ReportedUrlRepository's, but intake writes both in one statement. */
@Injectable()
export class ReportRepository {
  /**
   * Writes a group of reports, their URLs and one outbox row (`announce`, the topic) per URL in one
   * statement. Given the DataSource, it runs on its own (autocommit) straight on the driver's pool
   * as a named statement (prepared once per connection): on the hottest path of the system,
   * TypeORM's query runner and PostgreSQL's parse/plan are overhead. Given a transaction, it runs in it.
   */
  async insertGroup(db: SqlRunner, reports: readonly NewReport[], announce: string): Promise<void> {
    const reportRows = reports.map((r) => ({
      id: r.id,
      reference: r.reference,
      token_hash: r.statusTokenHash.toString('base64'),
      source: r.source,
      received_at: r.receivedAt,
      language: r.language,
      country: r.reporterCountry,
      content_type: r.contentType,
      victim: r.victimIdentifiable,
      url_count: r.urls.length,
      contact: r.contactEncrypted?.toString('base64') ?? null,
      description: r.descriptionEncrypted?.toString('base64') ?? null,
      contact_delete_after: r.contactDeleteAfter,
    }));
    const urlRows = reports.flatMap((r) =>
      r.urls.map((url, position) => ({
        id: url.id,
        report_id: r.id,
        position,
        raw_url: url.raw,
        canonical_url: url.canonical,
        dedup_key: url.dedupKey,
        host: url.host,
        received_at: r.receivedAt,
        correlation_id: r.correlationId ?? null,
      })),
    );
    const values = [JSON.stringify(reportRows), JSON.stringify(urlRows), announce];
    if (db instanceof DataSource) {
      const pool = (db.driver as PostgresDriver).master as Pool;
      await pool.query({ name: 'intake_insert_report_group', text: INSERT_GROUP, values });
    } else {
      await db.query(INSERT_GROUP, values);
    }
  }

  /**
   * Files a partner's forward as a report (source `partner`, one URL, no contact). Returns false,
   * writing nothing, when that partner's reference was filed before.
   */
  async insertFromPartner(db: SqlRunner, report: PartnerReport): Promise<boolean> {
    const inserted: Pick<ReportRow, 'id'>[] = await db.query(
      `INSERT INTO report (id, reference, status_token_hash, source, received_at, language, reporter_country,
                           content_type, victim_identifiable, url_count, contact_encrypted, description_encrypted, contact_delete_after,
                           partner_id, partner_reference)
       VALUES ($1, $2, $3, 'partner', $4, 'en', NULL, $5, false, 1, NULL, NULL, NULL, $6, $7)
       ON CONFLICT (partner_id, partner_reference) WHERE partner_id IS NOT NULL DO NOTHING
       RETURNING id`,
      [report.id, report.reference, report.status_token_hash, report.received_at, report.content_type, report.partner_id, report.partner_reference],
    );
    return inserted.length > 0;
  }

  async findIdByPartnerReference(db: SqlRunner, partnerId: string, partnerReference: string): Promise<string | undefined> {
    const [row]: Pick<ReportRow, 'id'>[] = await db.query(`SELECT id FROM report WHERE partner_id = $1 AND partner_reference = $2`, [partnerId, partnerReference]);
    return row?.id;
  }

  /**
   * The report a status look-up names, by (normalised) reference: only what checking its token
   * needs, so an unknown reference and a wrong token cost the caller the same.
   */
  async findStatus(db: SqlRunner, reference: string): Promise<ReportStatusRow | undefined> {
    const [row]: ReportStatusRow[] = await db.query('SELECT id, reference, status_token_hash, received_at FROM report WHERE reference = $1', [reference]);
    return row;
  }

  /**
   * For each case of a report: its status, whether an analyst claimed it since the report came,
   * whether actions were decided, and when its status last changed. A report has at most 20 URLs.
   */
  casesOf(db: SqlRunner, report: Pick<ReportRow, 'id' | 'received_at'>): Promise<ReportCaseRow[]> {
    return db.query(
      `SELECT c.status, c.settled_by,
              EXISTS (SELECT 1 FROM case_event e WHERE e.case_id = c.id AND e.to_status = 'in_assessment' AND e.at >= $2) AS claimed_since_report,
              EXISTS (SELECT 1 FROM action a WHERE a.case_id = c.id) AS has_actions,
              (SELECT max(e.at) FROM case_event e WHERE e.case_id = c.id AND e.to_status IS NOT NULL) AS changed_at
         FROM "case" c WHERE c.id IN (SELECT ru.case_id FROM reported_url ru WHERE ru.report_id = $1)`,
      [report.id, report.received_at],
    );
  }
}

export const reportRepository = new ReportRepository();
