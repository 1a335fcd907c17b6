import { currentCorrelationId } from '@hotline/observability';
import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { BulkBatchReceiptRow, BulkBatchRow } from './bulk.row';

// Namespace of the advisory locks of bulk batches (any constant no other lock uses).
const BULK_BATCH_LOCK = 0x0b01_4ba7;

/** A trusted source's batch ready to be written as one report: ids generated, URLs canonicalised, hashes normalised. */
export interface NewBulkReport {
  id: string;
  reference: string;
  statusTokenHash: Buffer;
  receivedAt: Date;
  language: string;
  contentType: string | null;
  urls: { id: string; raw: string; canonical: string; dedupKey: string; host: string; contentHashes: string[] | null }[];
}

/** A URL of a batch that joins the known-URL list because its file's hash is known. */
export interface HashListedUrl {
  id: string;
  dedupKey: string;
  canonical: string;
  verdict: string;
  listName: string;
}

// Like ReportRepository's group insert, for one report of up to 1,000 URLs that carry content
// hashes: the report, its URLs and one outbox row per URL in one statement. $4 is the topic.
const INSERT_BULK_REPORT = `
WITH new_report AS (
  INSERT INTO report (id, reference, status_token_hash, source, received_at, language, reporter_country, content_type,
                      victim_identifiable, url_count, contact_encrypted, description_encrypted, contact_delete_after)
  VALUES ($1, $2, $3, 'bulk', $5, $6, NULL, $7, false, $8, NULL, NULL, NULL)
), url AS (
  SELECT * FROM json_to_recordset($9::json)
    AS u(id uuid, position smallint, raw_url text, canonical_url text, dedup_key text, host text, content_hashes text[])
), new_url AS (
  INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at, content_hashes)
  SELECT id, $1, position, raw_url, canonical_url, dedup_key, host, $5, content_hashes FROM url
)
INSERT INTO outbox (topic, message_key, payload, correlation_id)
SELECT $4::text, id::text, jsonb_build_object('reportedUrlId', id), $10::text FROM url ORDER BY position`;

/**
 * Trusted-source batches (bulk_batch), their daily usage (bulk_usage), and the report each is
 * filed as. All of a batch is written in the caller's transaction, after lockBatch.
 */
@Injectable()
export class BulkRepository {
  /**
   * Serialises the requests for one sender's batch id until the transaction ends: a second copy
   * sent at the same time waits here, then finds the first one's batch (findBatch). The primary
   * key of bulk_batch stands behind it.
   */
  async lockBatch(db: SqlRunner, apiKeyId: string, batchId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [BULK_BATCH_LOCK, `${apiKeyId}:${batchId}`]);
  }

  async findBatch(db: SqlRunner, apiKeyId: string, batchId: string): Promise<BulkBatchReceiptRow | undefined> {
    const [row]: BulkBatchReceiptRow[] = await db.query(
      `SELECT b.api_key_id, b.batch_id, b.report_id, b.url_count, b.known_hash_matches, b.received_at, r.reference
         FROM bulk_batch b JOIN report r ON r.id = b.report_id
        WHERE b.api_key_id = $1 AND b.batch_id = $2`,
      [apiKeyId, batchId],
    );
    return row;
  }

  /**
   * Counts `urls` against the key's quota of `day` (UTC, `YYYY-MM-DD`) if they fit under `quota`;
   * returns the day's new total, or null (counting nothing) when they do not. The row lock of the
   * upsert serialises one key's concurrent batches, so two of them never both squeeze under.
   */
  async consumeQuota(db: SqlRunner, apiKeyId: string, day: string, urls: number, quota: number): Promise<number | null> {
    const rows: { urls: number }[] = await db.query(
      `INSERT INTO bulk_usage (api_key_id, day, urls) SELECT $1, $2::date, $3::integer WHERE $3::integer <= $4::integer
       ON CONFLICT (api_key_id, day) DO UPDATE SET urls = bulk_usage.urls + excluded.urls WHERE bulk_usage.urls + excluded.urls <= $4::integer
       RETURNING urls`,
      [apiKeyId, day, urls, quota],
    );
    return rows[0]?.urls ?? null;
  }

  /** The URLs of one key's day so far (0 before its first batch). */
  async usage(db: SqlRunner, apiKeyId: string, day: string): Promise<number> {
    const [row]: { urls: number }[] = await db.query(`SELECT urls FROM bulk_usage WHERE api_key_id = $1 AND day = $2::date`, [apiKeyId, day]);
    return row?.urls ?? 0;
  }

  /** The batch's report (source `bulk`), its URLs with their content hashes, and one `announce` outbox row per URL. */
  async insertReport(db: SqlRunner, report: NewBulkReport, announce: string): Promise<void> {
    const urls = report.urls.map((url, position) => ({
      id: url.id,
      position,
      raw_url: url.raw,
      canonical_url: url.canonical,
      dedup_key: url.dedupKey,
      host: url.host,
      content_hashes: url.contentHashes,
    }));
    await db.query(INSERT_BULK_REPORT, [
      report.id,
      report.reference,
      report.statusTokenHash,
      announce,
      report.receivedAt,
      report.language,
      report.contentType,
      report.urls.length,
      JSON.stringify(urls),
      currentCorrelationId(),
    ]);
  }

  /**
   * Puts URLs on the known-URL list (list name `hash:<hash list>`). A URL already on it keeps its
   * entry: an operator's import, or an earlier match, is not overwritten by a sender's batch.
   * Returns how many were added.
   */
  async listKnownUrls(db: SqlRunner, urls: readonly HashListedUrl[]): Promise<number> {
    if (urls.length === 0) return 0;
    const rows: unknown[] = await db.query(
      `INSERT INTO known_url (id, dedup_key, canonical_url, verdict, list_name)
       SELECT id, dedup_key, canonical_url, verdict, list_name
         FROM json_to_recordset($1::json) AS u(id uuid, dedup_key text, canonical_url text, verdict text, list_name text)
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING id`,
      [JSON.stringify(urls.map((u) => ({ id: u.id, dedup_key: u.dedupKey, canonical_url: u.canonical, verdict: u.verdict, list_name: u.listName })))],
    );
    return rows.length;
  }

  async insertBatch(db: SqlRunner, batch: BulkBatchRow): Promise<void> {
    await db.query(`INSERT INTO bulk_batch (api_key_id, batch_id, report_id, url_count, known_hash_matches, received_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
      batch.api_key_id,
      batch.batch_id,
      batch.report_id,
      batch.url_count,
      batch.known_hash_matches,
      batch.received_at,
    ]);
  }
}

export const bulkRepository = new BulkRepository();
