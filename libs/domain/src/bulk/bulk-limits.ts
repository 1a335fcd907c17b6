/**
 * What one trusted-source batch (`POST /api/v1/bulk-reports`) may hold. The API's validation, its
 * OpenAPI document and the body limit all read these.
 */
import { MAX_REPORTED_URL_LENGTH } from '../report/limits';

/** URLs in one batch: at least 1, at most this (report.url_count allows 1..1000). */
export const MAX_BULK_URLS = 1000;

/** Content hashes given for one URL: at most this (the files one page shows, not a hash list). */
export const MAX_CONTENT_HASHES = 10;

/** The sender's own id of a batch, its idempotency key: 1..100 of these characters. */
export const BULK_BATCH_ID_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;
export const MAX_BULK_BATCH_ID_LENGTH = 100;

/**
 * The body limit of a batch. The largest batch a sender may write compactly, 1,000 URLs of 2,048
 * ASCII characters each with 10 SHA-256 hashes and the batch fields, is about 3.1 MB (see
 * maxCompactBatchBytes and its spec); 4 MiB holds it with room for indentation. A batch of long
 * URLs written with non-ASCII characters (up to 3 bytes each in UTF-8) may not fit: the sender
 * splits it in two. Public intake keeps its 64 KiB.
 */
export const BULK_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** The body limit as the 413 problem states it. */
export const BULK_BODY_LIMIT_TEXT = '4 MiB';

/**
 * The bytes of the largest batch written as compact JSON with ASCII URLs: what the body limit
 * must hold. Computed from the limits rather than written down, so raising one of them shows in
 * the spec that checks the body limit against it.
 */
export function maxCompactBatchBytes(): number {
  const hash = JSON.stringify({ algorithm: 'sha256', value: 'f'.repeat(64) });
  const entry = JSON.stringify({ url: 'u'.repeat(MAX_REPORTED_URL_LENGTH), contentHashes: [] }).length + MAX_CONTENT_HASHES * (hash.length + 1) - 1;
  const envelope = JSON.stringify({ batchId: 'b'.repeat(MAX_BULK_BATCH_ID_LENGTH), urls: [], contentType: 'livestream', language: 'zh-Hant-TW' }).length;
  return envelope + MAX_BULK_URLS * (entry + 1) - 1;
}
