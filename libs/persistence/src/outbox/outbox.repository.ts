import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { UnpublishedOutboxRow } from './outbox.row';

/**
 * The transactional outbox. Messages are appended in the caller's transaction (topics are the
 * strings of libs/queue OutboxTopic); the relay claims batches with FOR UPDATE SKIP LOCKED, so
 * claims must run in a transaction that stays open until the rows are marked published.
 */
@Injectable()
export class OutboxRepository {
  /** One message. */
  async append(db: SqlRunner, topic: string, messageKey: string, payload: Record<string, unknown> = {}): Promise<void> {
    await db.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ($1, $2, $3)`, [topic, messageKey, JSON.stringify(payload)]);
  }

  /** One message per key (uuids, e.g. case ids, optionally followed by `keySuffix`), all with the same topic and payload: one statement. */
  async appendMany(db: SqlRunner, topic: string, messageKeys: readonly string[], payload: Record<string, unknown> = {}, keySuffix = ''): Promise<void> {
    if (messageKeys.length === 0) return;
    // keySuffix tells a later message about the same case from an earlier one (`<case id>:<why>`).
    await db.query(`INSERT INTO outbox (topic, message_key, payload) SELECT $1, id::text || $4, $3 FROM unnest($2::uuid[]) AS id`, [
      topic,
      messageKeys,
      JSON.stringify(payload),
      keySuffix,
    ]);
  }

  /** The oldest unpublished rows no other relay holds, locked until the transaction ends. */
  async claimBatch(db: SqlRunner, limit: number): Promise<UnpublishedOutboxRow[]> {
    return db.query(
      `SELECT id, topic, message_key FROM outbox
        WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /** The same rows again (those still unpublished and free), to retry a batch whose publication failed as the same set. */
  async claimAgain(db: SqlRunner, ids: readonly string[]): Promise<UnpublishedOutboxRow[]> {
    return db.query(
      `SELECT id, topic, message_key FROM outbox
        WHERE id = ANY($1::bigint[]) AND published_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED`,
      [ids],
    );
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
}

export const outboxRepository = new OutboxRepository();
