import { storableText } from '@hotline/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { auditHash, ChainedAuditRecord, ChainVerdict, ChainVerifier, GENESIS_HASH } from './audit-chain';

/** Who did it: a staff user, or an operator at the CLI (actorId null, role `cli`), or the system. */
export interface AuditActor {
  id: string | null;
  role: string;
}

export interface AuditEventInput {
  actor: AuditActor | null;
  /** Dotted verb in the domain's words: `case.view`, `case.reveal`, `auth.login_failed`, ... */
  action: string;
  target?: { type: string; id: string };
  /** Metadata only: ids, reasons, outcomes. Never case content, never reporter data. */
  detail?: Record<string, unknown>;
}

// Appends take this transaction-scoped advisory lock, so sequence numbers and links are given out
// one at a time, in commit order.
const AUDIT_LOCK = 0x4155444954; // "AUDIT"
const VERIFY_PAGE = 5000;

interface AuditRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/**
 * The tamper-evident audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE),
 * each event's hash covering its canonical JSON and the previous event's hash.
 */
export class AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends an event. Pass the transaction of the action it records, so the two commit together;
   * without one it commits on its own.
   */
  async append(event: AuditEventInput, manager?: EntityManager): Promise<number> {
    if (!manager) return this.dataSource.transaction((tx) => this.append(event, tx));
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    const [last]: { seq: string; hash: string }[] = await manager.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    const record = {
      seq: last ? Number(last.seq) + 1 : 1,
      at: new Date().toISOString(),
      actorId: event.actor?.id ?? null,
      actorRole: event.actor?.role ?? null,
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      // An audit event must never fail on what a caller typed (a query string, say).
      detail: storableText(event.detail ?? {}),
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    await manager.query(
      `INSERT INTO audit_event (seq, at, actor_id, actor_role, action, target_type, target_id, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [record.seq, record.at, record.actorId, record.actorRole, record.action, record.targetType, record.targetId, JSON.stringify(record.detail), prevHash, auditHash(prevHash, record)],
    );
    return record.seq;
  }

  /** Walks the whole chain in sequence order and names the first broken event. */
  async verify(): Promise<ChainVerdict> {
    const verifier = new ChainVerifier();
    let after = 0;
    for (;;) {
      const rows: AuditRow[] = await this.dataSource.query(`SELECT * FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, VERIFY_PAGE]);
      for (const row of rows) verifier.push(toRecord(row));
      if (rows.length < VERIFY_PAGE) return verifier.verdict();
      after = Number(rows[rows.length - 1].seq);
    }
  }

  /** Newest first, `before` a sequence number for the next page. */
  async list(options: { limit: number; before?: number; action?: string; actorId?: string; targetId?: string }): Promise<ChainedAuditRecord[]> {
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT * FROM audit_event
        WHERE ($1::bigint IS NULL OR seq < $1) AND ($2::text IS NULL OR action = $2) AND ($3::uuid IS NULL OR actor_id = $3)
          AND ($4::text IS NULL OR target_id = $4)
        ORDER BY seq DESC LIMIT $5`,
      [options.before ?? null, options.action ?? null, options.actorId ?? null, options.targetId ?? null, options.limit],
    );
    return rows.map(toRecord);
  }
}

function toRecord(row: AuditRow): ChainedAuditRecord {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
