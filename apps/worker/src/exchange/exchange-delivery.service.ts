import { HotlineConfig } from '@hotline/config';
import { AuditLog } from '@hotline/audit';
import { failOutgoingToDisabledPartner, PartnerDirectory, signRequest } from '@hotline/exchange';
import { MetricsRegistry, withCorrelationId } from '@hotline/observability';
import { ActionRepository, CaseRepository, ExchangeMessageRepository, MessageWithPartnerRow, PartnerRepository, storableText } from '@hotline/persistence';
import { FieldEncryption } from '@hotline/security';
import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';

type OutgoingRow = MessageWithPartnerRow;

/** The path every hotline takes exchange messages on (docs/exchange-protocol.md). */
export const EXCHANGE_MESSAGES_PATH = '/api/v1/exchange/messages';

/** An answer of a partner other than 2xx: the delivery is retried. */
export class DeliveryRefused extends Error {
  override readonly name = 'DeliveryRefused';
}

/**
 * Sends one stored outgoing exchange message to its partner: signed with our key for that
 * partner, POSTed as JSON to the partner's exchange endpoint. A 2xx answer marks it delivered
 * (and a forward's action sent, the case actioned); anything else throws, so the job retries with
 * backoff. When the attempts are spent, `failed()` marks the message and its action failed and
 * tells the case: "forward failed", with the error. A message for a partner that is not active
 * fails at once, never silently (`failForDisabledPartner`): its case is routed again.
 */
@Injectable()
export class ExchangeDeliveryService {
  private readonly log = new Logger(ExchangeDeliveryService.name);
  private readonly directory: PartnerDirectory;
  private readonly failures;
  private readonly deliveries;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
    private readonly cases: CaseRepository,
    private readonly messages: ExchangeMessageRepository,
    private readonly actions: ActionRepository,
    private readonly partners: PartnerRepository,
  ) {
    // Only for our signing key of each partner (decrypted per delivery: keys may rotate).
    this.directory = new PartnerDirectory(dataSource, new FieldEncryption(config.fieldEncryptionKeys), new AuditLog(dataSource));
    this.failures = metrics.counter('hotline_exchange_delivery_failures_total', 'Outgoing exchange messages that could not be delivered (dead letters)', ['partner']);
    this.deliveries = metrics.counter('hotline_exchange_deliveries_total', 'Outgoing exchange message delivery attempts, by outcome', ['partner', 'outcome']);
  }

  async deliver(messageRowId: string): Promise<void> {
    const row = await this.load(messageRowId);
    if (!row) throw new UnrecoverableError(`exchange message ${messageRowId} does not exist`);
    // Under the correlation id of the work that made the message: its log lines, and the header below.
    return withCorrelationId(row.correlation_id, () => this.deliverRow(row));
  }

  private async deliverRow(row: OutgoingRow): Promise<void> {
    const messageRowId = row.id;
    if (row.direction !== 'out') throw new UnrecoverableError(`exchange message ${messageRowId} is not outgoing`);
    if (row.status === 'delivered') return; // delivered twice
    if (row.partner_status !== 'active') {
      // Disabled after the message was queued: it fails now (no retries, no dead letter), and its case is routed again.
      await this.failForDisabledPartner({ id: row.partner_id, name: row.partner_name }, [row.id]);
      return;
    }

    const body = JSON.stringify(row.payload);
    const url = new URL(`${row.base_url.replace(/\/+$/, '')}${EXCHANGE_MESSAGES_PATH}`);
    let status: number;
    try {
      const key = await this.directory.signingKey(row.partner_id);
      const headers = signRequest({ method: 'POST', path: `${url.pathname}${url.search}`, body }, key);
      // Unsigned and optional (docs/exchange-protocol.md): a partner may quote it back, or ignore it.
      const correlation: Record<string, string> = row.correlation_id ? { 'x-correlation-id': row.correlation_id } : {};
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...correlation, ...headers },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.exchange.timeoutMs),
      });
      status = response.status;
      if (status < 200 || status >= 300) {
        // The partner's words go into last_error and the case's events: stored as text PostgreSQL takes.
        const text = storableText((await response.text().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300));
        throw new DeliveryRefused(`partner ${row.partner_name} answered ${status}${text ? `: ${text}` : ''}`);
      }
      await response.body?.cancel().catch(() => undefined);
    } catch (error) {
      const reason = error instanceof DeliveryRefused ? error : new DeliveryRefused(`delivery to partner ${row.partner_name} failed: ${describe(error)}`);
      // Disabled while this attempt ran (PartnerDirectory.disable has failed the message): no retry.
      const partnerStatus = await this.partners.statusOf(this.dataSource, row.partner_id);
      if (partnerStatus && partnerStatus !== 'active') {
        this.deliveries.inc({ partner: row.partner_name, outcome: 'failed' });
        await this.failForDisabledPartner({ id: row.partner_id, name: row.partner_name }, [row.id]);
        return;
      }
      throw await this.attemptFailed(row, reason);
    }
    this.deliveries.inc({ partner: row.partner_name, outcome: 'delivered' });
    await this.dataSource.transaction((tx) => this.delivered(tx, row));
  }

  /**
   * Messages for a partner that is not active fail at once, visibly (failOutgoingToDisabledPartner):
   * all its undelivered ones, or those named. Counted in hotline_exchange_delivery_failures_total.
   */
  async failForDisabledPartner(partner: { id: string; name: string }, messageRowIds?: readonly string[]): Promise<number> {
    const failed = await this.dataSource.transaction((tx) => failOutgoingToDisabledPartner(tx, partner, messageRowIds));
    const counted = failed.filter((message) => message.wasPending).length;
    if (counted > 0) this.failures.inc({ partner: partner.name }, counted);
    if (failed.length > 0) this.log.warn(`${failed.length} exchange message(s) to partner ${partner.name} failed: the partner is disabled`);
    return failed.length;
  }

  /** The job failed for good (attempts spent): the message, its action and its case say so. */
  async failed(messageRowId: string, error: Error): Promise<void> {
    const row = await this.load(messageRowId);
    if (!row || row.status === 'delivered') return;
    const reason = storableText(error.message.slice(0, 2000));
    this.failures.inc({ partner: row.partner_name });
    await this.dataSource.transaction(async (tx) => {
      if (row.case_id) await this.cases.lock(tx, row.case_id);
      await this.messages.markFailed(tx, row.id, reason);
      if (!row.case_id) return;
      // A forward the partner acknowledged arrived (its answer to us was what failed): nothing failed for the case.
      if (row.type === 'case.forward' && !(await this.actions.failForward(tx, row.case_id, row.message_id, reason, row.id))) return;
      await this.cases.recordEvent(tx, row.case_id, row.type === 'case.forward' ? 'forward_failed' : 'exchange_failed', {
        partner: row.partner_name,
        partnerId: row.partner_id,
        type: row.type,
        messageId: row.message_id,
        error: reason,
      });
    });
    this.log.warn(`exchange message ${row.id} (${row.type}) to partner ${row.partner_name} failed for good: ${reason}`);
  }

  private async delivered(tx: EntityManager, row: OutgoingRow): Promise<void> {
    // The case first (as every writer of a case and its actions locks), then the message and the action.
    const current = row.case_id && row.type === 'case.forward' ? await this.cases.lock(tx, row.case_id) : null;
    const attempts = await this.messages.markDelivered(tx, row.id);
    if (attempts === null || !row.case_id || row.type !== 'case.forward' || !current) return;
    await this.actions.markForwardSent(tx, row.case_id, row.message_id, attempts);
    await this.cases.recordEvent(tx, row.case_id, 'forward_sent', { partner: row.partner_name, partnerId: row.partner_id, messageId: row.message_id, attempts });
    // Action taken: the case waits for the content to disappear.
    if (current.status === 'confirmed') {
      await this.cases.transition(tx, { caseId: row.case_id, from: 'confirmed', to: 'actioned', detail: { step: 'forward_sent', partner: row.partner_name } });
    }
  }

  /** Counts a failed attempt on the message and returns the error to throw (the job retries). */
  private async attemptFailed(row: OutgoingRow, error: Error): Promise<Error> {
    this.deliveries.inc({ partner: row.partner_name, outcome: 'failed' });
    const reason = storableText(error.message.slice(0, 2000));
    await this.messages.recordFailedAttempt(this.dataSource, row.id, reason);
    if (row.case_id && row.type === 'case.forward') {
      await this.actions.recordForwardAttemptFailed(this.dataSource, row.case_id, row.message_id, reason);
    }
    return error;
  }

  private load(messageRowId: string): Promise<OutgoingRow | null> {
    return this.messages.findWithPartner(this.dataSource, messageRowId);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${error.message} (${cause.code})` : error.message;
}
