import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** What an audit event says. The hash covers all of it, its sequence number included. */
export interface AuditRecord {
  seq: number;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown>;
}

export interface ChainedAuditRecord extends AuditRecord {
  prevHash: string;
  hash: string;
}

/** The "previous hash" of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** sha256(previous hash, newline, canonical JSON of the record), hex. */
export function auditHash(prevHash: string, record: AuditRecord): string {
  const { seq, at, actorId, actorRole, action, targetType, targetId, detail } = record;
  return hash('sha256', `${prevHash}\n${canonicalJson({ seq, at, actorId, actorRole, action, targetType, targetId, detail })}`);
}

export interface ChainVerdict {
  ok: boolean;
  events: number;
  firstBrokenSeq?: number;
}

/**
 * Checks a chain fed in sequence order, a page at a time. An event is broken when its stored
 * hash is not the hash of its content, or its previous hash is not the hash of the event before
 * it (one was changed, removed or inserted), or its sequence number does not follow.
 */
export class ChainVerifier {
  private previous: { seq: number; hash: string } | null = null;
  private count = 0;
  private broken: number | null = null;

  push(event: ChainedAuditRecord): void {
    this.count++;
    if (this.broken !== null) return;
    const expectedPrev = this.previous?.hash ?? GENESIS_HASH;
    const follows = this.previous === null ? event.seq >= 1 : event.seq === this.previous.seq + 1;
    if (!follows || event.prevHash !== expectedPrev || auditHash(event.prevHash, event) !== event.hash) this.broken = event.seq;
    this.previous = { seq: event.seq, hash: event.hash };
  }

  verdict(): ChainVerdict {
    return this.broken === null ? { ok: true, events: this.count } : { ok: false, events: this.count, firstBrokenSeq: this.broken };
  }
}
