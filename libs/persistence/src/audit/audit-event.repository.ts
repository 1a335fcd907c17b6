import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { AuditEventRow } from './audit-event.row';

// Appends take this transaction-scoped advisory lock, so sequence numbers and links are given out
// one at a time, in commit order.
const AUDIT_LOCK = 0x4155444954; // "AUDIT"

/** A new event, as libs/audit AuditLog made it: its sequence number and hashes given. */
export type NewAuditEvent = Omit<AuditEventRow, 'seq' | 'at'> & { seq: number; at: string };

/**
 * The audit log's rows. An append is `lockAppends`, `latest`, then `append`, all in one
 * transaction (libs/audit AuditLog.append): the lock holds until it commits, so the next append
 * sees this one as the latest.
 */
@Injectable()
export class AuditEventRepository {
  /** Waits for (and then holds, until the transaction ends) the right to append. */
  async lockAppends(db: SqlRunner): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  }

  /** The last event of the chain, or undefined while the log is empty. */
  async latest(db: SqlRunner): Promise<Pick<AuditEventRow, 'seq' | 'hash'> | undefined> {
    const [last]: Pick<AuditEventRow, 'seq' | 'hash'>[] = await db.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    return last;
  }

  async append(db: SqlRunner, event: NewAuditEvent): Promise<void> {
    await db.query(
      `INSERT INTO audit_event (seq, at, actor_id, actor_role, action, target_type, target_id, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        event.seq,
        event.at,
        event.actor_id,
        event.actor_role,
        event.action,
        event.target_type,
        event.target_id,
        JSON.stringify(event.detail),
        event.prev_hash,
        event.hash,
      ],
    );
  }

  /** At most `limit` events after sequence number `after`, in sequence order. */
  async readRange(db: SqlRunner, after: number, limit: number): Promise<AuditEventRow[]> {
    return db.query(`SELECT * FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, limit]);
  }

  /** Newest first, before a sequence number, filtered by action, actor and target id (each optional). */
  async list(db: SqlRunner, filter: { limit: number; before?: number; action?: string; actorId?: string; targetId?: string }): Promise<AuditEventRow[]> {
    return db.query(
      `SELECT * FROM audit_event
        WHERE ($1::bigint IS NULL OR seq < $1) AND ($2::text IS NULL OR action = $2) AND ($3::uuid IS NULL OR actor_id = $3)
          AND ($4::text IS NULL OR target_id = $4)
        ORDER BY seq DESC LIMIT $5`,
      [filter.before ?? null, filter.action ?? null, filter.actorId ?? null, filter.targetId ?? null, filter.limit],
    );
  }
}

export const auditEventRepository = new AuditEventRepository();
