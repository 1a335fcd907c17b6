import type { KnownHashVerdict } from '@hotline/domain';

/** One row of bulk_batch: a trusted source's batch, filed once as one report (idempotency by sender and batch id). */
export interface BulkBatchRow {
  api_key_id: string;
  /** The sender's own id of the batch. */
  batch_id: string;
  report_id: string;
  url_count: number;
  /** URLs of the batch whose content hashes matched a known hash when it was received. */
  known_hash_matches: number;
  received_at: Date;
}

/** A batch as its receipt shows it: with its report's reference. */
export type BulkBatchReceiptRow = BulkBatchRow & { reference: string };

/** One row of bulk_usage: the URLs one key submitted on one UTC day. */
export interface BulkUsageRow {
  api_key_id: string;
  /** `YYYY-MM-DD` (UTC) */
  day: string;
  urls: number;
}

/** One row of known_hash: the hash of a file confirmed before (a hash list's entry). */
export interface KnownHashRow {
  algorithm: string;
  /** lower-case hex */
  value: string;
  verdict: KnownHashVerdict;
  list_name: string;
  imported_at: Date;
}
