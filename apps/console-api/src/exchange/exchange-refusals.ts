import { AuditActor, AuditLog } from '@hotline/audit';
import { PartnerVerifier } from '@hotline/exchange';
import { MetricsRegistry } from '@hotline/observability';
import { Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';

export type ExchangeRefusal = 'unknown_key' | 'missing_headers' | 'bad_digest' | 'stale_timestamp' | 'bad_signature' | 'replayed_nonce';

/** Who acts when a partner's message changes something, as the audit log records it. */
export const PARTNER_ACTOR: AuditActor = { id: null, role: 'partner' };

/** How often refusals of one partner (or of strangers) for one reason are audited at most. */
export const REFUSAL_AUDIT_EVERY_MS = 60_000;

/** The metric's partner label of refusals that name no partner of ours: one value, whoever sent them (no partner is named so). */
export const UNKNOWN_SENDER = '(unknown)';

/** Refusals of one partner (or of strangers) for one reason, not yet in the audit log. */
interface PendingRefusals {
  reason: ExchangeRefusal;
  partner: PartnerVerifier | null;
  count: number;
  since: string;
  /** The last well-formed key id sent (null when none was). */
  keyId: string | null;
}

/**
 * Refused exchange requests (401). Each is counted (`hotline_exchange_refused_total{reason,partner}`);
 * they are audited at most once a minute per partner and reason, as one event with their number.
 * Strangers can send refusals at will, and so can anyone who names a partner of ours: its key id
 * is public (a probe's 300 forged requests once added 300 rows). An audit append takes the log's
 * one lock, which no sender may hold for everyone, and the log is for what happened, not for the
 * number of times. The first refusal of a quiet spell is audited at once; the rest of the minute
 * by a timer (or at shutdown). Memory is bounded: one entry per partner and reason.
 */
export class ExchangeRefusals {
  private readonly log = new Logger('ExchangeRefusals');
  private readonly counted: Counter<'reason' | 'partner'>;
  private readonly pending = new Map<string, PendingRefusals>();
  private readonly auditedAt = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly audit: AuditLog,
    metrics: MetricsRegistry,
  ) {
    this.counted = metrics.counter('hotline_exchange_refused_total', 'Exchange requests refused (401), by reason and partner named ("(unknown)": none of ours)', [
      'reason',
      'partner',
    ]);
  }

  /** Counts a refusal of a request that named `partner` (null: no partner of ours) with `keyId`, and audits it when due. */
  async record(reason: ExchangeRefusal, partner: PartnerVerifier | null, keyId: string | null): Promise<void> {
    this.counted.inc({ reason, partner: partner?.name ?? UNKNOWN_SENDER });
    const key = `${partner?.id ?? UNKNOWN_SENDER}:${reason}`;
    const pending = this.pending.get(key) ?? { reason, partner, count: 0, since: new Date().toISOString(), keyId: null };
    pending.count += 1;
    // A key id that is not one is not repeated (it is whatever the caller sent).
    if (keyId) pending.keyId = keyId;
    this.pending.set(key, pending);
    const wait = (this.auditedAt.get(key) ?? -Infinity) + REFUSAL_AUDIT_EVERY_MS - Date.now();
    if (wait <= 0) {
      await this.flush(key);
    } else if (!this.timers.has(key)) {
      const timer = setTimeout(() => void this.flush(key), wait);
      timer.unref();
      this.timers.set(key, timer);
    }
  }

  /** Audits the refusals counted so far (of one partner and reason, or all) as one event each. */
  async flush(only?: string): Promise<void> {
    for (const key of only ? [only] : [...this.pending.keys()]) {
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      const pending = this.pending.get(key);
      if (!pending) continue;
      this.pending.delete(key);
      this.auditedAt.set(key, Date.now());
      const { reason, partner, count, since, keyId } = pending;
      try {
        await this.audit.append({
          actor: PARTNER_ACTOR,
          action: 'exchange.refused',
          ...(partner ? { target: { type: 'partner', id: partner.id } } : {}),
          detail: { reason, count, since, until: new Date().toISOString(), keyId, partner: partner?.name ?? null },
        });
      } catch (error) {
        this.log.warn(`could not audit ${count} refused exchange request(s) (${reason}, ${partner?.name ?? 'unknown senders'}): ${(error as Error).message}`);
      }
    }
  }
}
