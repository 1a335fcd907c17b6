import { currentCorrelationId } from '@hotline/observability';
import { Injectable } from '@nestjs/common';
import { SqlRunner, updateReturning } from '../sql';
import type { UnpublishedOutboxRow } from './outbox.row';

// Namespace of the advisory locks that keep one pinned batch with one relay (any constant no other lock uses).
const OUTBOX_BATCH_LOCK = 0x0b0c_5e1a;

/**
 * The transactional outbox. Messages are appended in the caller's transaction (topics are the
 * strings of libs/queue OutboxTopic); the relay pins a batch (pinBatch), then publishes it in a
 * transaction that holds its rows (claimPinned) until they are marked published. Each row keeps
 * the correlation id of the request or job that wrote it (null outside of one).
 */
@Injectable()
export class OutboxRepository {
  /** One message. */
  async append(db: SqlRunner, topic: string, messageKey: string, payload: Record<string, unknown> = {}): Promise<void> {
    await db.query(`INSERT INTO outbox (topic, message_key, payload, correlation_id) VALUES ($1, $2, $3, $4)`, [
      topic,
      messageKey,
      JSON.stringify(payload),
      currentCorrelationId(),
    ]);
  }

  /** One message per key (uuids, e.g. case ids, optionally followed by `keySuffix`), all with the same topic and payload: one statement. */
  async appendMany(db: SqlRunner, topic: string, messageKeys: readonly string[], payload: Record<string, unknown> = {}, keySuffix = ''): Promise<void> {
    if (messageKeys.length === 0) return;
    // keySuffix tells a later message about the same case from an earlier one (`<case id>:<why>`).
    await db.query(`INSERT INTO outbox (topic, message_key, payload, correlation_id) SELECT $1, id::text || $4, $3, $5 FROM unnest($2::uuid[]) AS id`, [
      topic,
      messageKeys,
      JSON.stringify(payload),
      keySuffix,
      currentCorrelationId(),
    ]);
  }

  /**
   * Pins a new batch: the oldest unpublished rows no batch holds yet (and no other relay is
   * pinning), marked with the id of their first row, which names the batch. Committed before the
   * batch is published, so whoever publishes it later (this relay again, or another after a crash)
   * publishes exactly these rows. Returns the batch id, or null when nothing waits.
   */
  async pinBatch(db: SqlRunner, limit: number): Promise<string | null> {
    const rows = await updateReturning<{ batch_id: string }>(
      db,
      `WITH claimed AS (
         SELECT id FROM outbox WHERE published_at IS NULL AND batch_id IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       UPDATE outbox o SET batch_id = (SELECT min(id) FROM claimed) FROM claimed WHERE o.id = claimed.id
       RETURNING o.batch_id::text AS batch_id`,
      [limit],
    );
    return rows[0]?.batch_id ?? null;
  }

  /** The transaction's commit returns before its WAL reaches the disk (for writes a crash may lose harmlessly). */
  async commitWithoutWaitingForDisk(db: SqlRunner): Promise<void> {
    await db.query(`SET LOCAL synchronous_commit = off`);
  }

  /** Pinned batches with rows still unpublished, oldest first: a relay's own, or one left by a failure. */
  async pinnedBatches(db: SqlRunner, limit: number): Promise<string[]> {
    const rows: { batch_id: string }[] = await db.query(
      `SELECT DISTINCT batch_id::text AS batch_id, batch_id AS n FROM outbox WHERE batch_id IS NOT NULL AND published_at IS NULL ORDER BY n LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.batch_id);
  }

  /**
   * Keeps a batch this connection just pinned to itself until `releasePinned`, across its commit:
   * other relays see it pinned but cannot take it (claimPinned) while its relay publishes it. If
   * the relay dies, its connection closes and the batch is free for the others.
   */
  async holdPinned(db: SqlRunner, batchId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_lock($1::int, ($2::bigint % 2147483647)::int)`, [OUTBOX_BATCH_LOCK, batchId]);
  }

  async releasePinned(db: SqlRunner, batchId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_unlock($1::int, ($2::bigint % 2147483647)::int)`, [OUTBOX_BATCH_LOCK, batchId]);
  }

  /**
   * The unpublished rows of a pinned batch, locked until the transaction ends; empty when another
   * relay holds it (an advisory lock per batch, so a batch is never split between two). The
   * connection that holds it (holdPinned) gets its rows: advisory locks stack within a session.
   */
  async claimPinned(db: SqlRunner, batchId: string): Promise<UnpublishedOutboxRow[]> {
    const [lock]: { locked: boolean }[] = await db.query(`SELECT pg_try_advisory_xact_lock($1::int, ($2::bigint % 2147483647)::int) AS locked`, [
      OUTBOX_BATCH_LOCK,
      batchId,
    ]);
    if (!lock.locked) return [];
    return db.query(`SELECT id, topic, message_key, correlation_id FROM outbox WHERE batch_id = $1 AND published_at IS NULL ORDER BY id FOR UPDATE`, [batchId]);
  }

  /** Rows no publication knows leave their batch (they would hold it for ever); they are pinned again with a later one. */
  async unpin(db: SqlRunner, ids: readonly string[]): Promise<void> {
    await db.query(`UPDATE outbox SET batch_id = NULL WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async markPublished(db: SqlRunner, ids: readonly string[]): Promise<void> {
    await db.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Notes a failed attempt on rows still unpublished, so an operator sees why they wait. */
  async recordFailure(db: SqlRunner, ids: readonly string[], error: string): Promise<void> {
    await db.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[]) AND published_at IS NULL`, [ids, error]);
  }

  /** Deletes rows published more than `keepMs` ago. */
  async purgePublished(db: SqlRunner, keepMs: number): Promise<void> {
    await db.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)`, [keepMs / 1000]);
  }

  async countPending(db: SqlRunner): Promise<number> {
    const [row]: { n: number }[] = await db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    return row.n;
  }

  /** Age of the oldest unpublished row (0 when none waits): how far the relay lags. Rows are pinned and published in id order. */
  async oldestPendingAgeSeconds(db: SqlRunner): Promise<number> {
    const [row]: { seconds: number | null }[] = await db.query(
      `SELECT extract(epoch FROM now() - min(created_at))::float8 AS seconds FROM outbox WHERE published_at IS NULL`,
    );
    return Math.max(0, row?.seconds ?? 0);
  }
}

export const outboxRepository = new OutboxRepository();
