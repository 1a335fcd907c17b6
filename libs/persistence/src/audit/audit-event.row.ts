/** One row of audit_event: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and hash-chained. */
export interface AuditEventRow {
  seq: string; // bigint, as text
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  /** Metadata only: ids, reasons, outcomes. */
  detail: Record<string, unknown>;
  /** sha256 hex of the previous event (zeros for the first). */
  prev_hash: string;
  /** sha256 hex over prev_hash and this event. */
  hash: string;
}
