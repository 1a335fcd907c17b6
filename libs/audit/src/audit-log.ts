import { type AuditEventRow, auditEventRepository, storableText } from '@hotline/persistence';
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

const VERIFY_PAGE = 5000;

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
    // Sequence numbers and links are given out one at a time, in commit order: the lock holds until
    // the transaction ends.
    await auditEventRepository.lockAppends(manager);
    const last = await auditEventRepository.latest(manager);
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
    await auditEventRepository.append(manager, {
      seq: record.seq,
      at: record.at,
      actor_id: record.actorId,
      actor_role: record.actorRole,
      action: record.action,
      target_type: record.targetType,
      target_id: record.targetId,
      detail: record.detail,
      prev_hash: prevHash,
      hash: auditHash(prevHash, record),
    });
    return record.seq;
  }

  /** Walks the whole chain in sequence order and names the first broken event. */
  async verify(): Promise<ChainVerdict> {
    const verifier = new ChainVerifier();
    let after = 0;
    for (;;) {
      const rows = await auditEventRepository.readRange(this.dataSource, after, VERIFY_PAGE);
      for (const row of rows) verifier.push(toRecord(row));
      if (rows.length < VERIFY_PAGE) return verifier.verdict();
      after = Number(rows[rows.length - 1].seq);
    }
  }

  /** Newest first, `before` a sequence number for the next page. */
  async list(options: { limit: number; before?: number; action?: string; actorId?: string; targetId?: string }): Promise<ChainedAuditRecord[]> {
    const rows = await auditEventRepository.list(this.dataSource, options);
    return rows.map(toRecord);
  }
}

function toRecord(row: AuditEventRow): ChainedAuditRecord {
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
