import { actionRepository, caseRepository, exchangeMessageRepository, outboxRepository, partnerRepository, SqlRunner } from '@hotline/persistence';
import { OutboxTopic } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { randomUUID } from 'node:crypto';

export type OutgoingType = 'case.forward' | 'case.ack' | 'case.status';

/**
 * Stores an outgoing exchange message (docs/exchange-protocol.md) and its outbox row in the
 * caller's transaction: the relay publishes it to the exchange-dispatch queue after the commit,
 * which hands it on to the partner's delivery queue. Returns the row id and the protocol's
 * messageId (a new UUID).
 */
export async function storeOutgoingMessage(
  db: SqlRunner,
  message: { partnerId: string; caseId: string | null; type: OutgoingType; body: Record<string, unknown> },
): Promise<{ rowId: string; messageId: string }> {
  const rowId = uuidv7();
  const messageId = randomUUID();
  const payload = { messageId, type: message.type, sentAt: new Date().toISOString(), ...message.body };
  await exchangeMessageRepository.insertOutgoing(db, { id: rowId, partnerId: message.partnerId, messageId, type: message.type, caseId: message.caseId, payload });
  await outboxRepository.append(db, OutboxTopic.ExchangeMessage, rowId, { type: message.type });
  return { rowId, messageId };
}

/**
 * The partners a case came from (a report of one of its URLs filed by a partner's forward, or
 * the case itself marked so), each with their reference: they are told what became of it.
 */
export async function originPartnersOf(db: SqlRunner, caseId: string): Promise<{ partnerId: string; reference: string }[]> {
  const rows = await partnerRepository.originsOfCase(db, caseId);
  return rows.map((row) => ({ partnerId: row.partner_id, reference: row.partner_reference }));
}

/** The error a message to a disabled partner fails with (on its case, its action and the message). */
export const partnerDisabledError = (partnerName: string) => `partner ${partnerName} is disabled`;

export interface FailedForDisabledPartner {
  rowId: string;
  messageId: string;
  type: string;
  caseId: string | null;
  /** The message was still pending (it was not a delivery failure already counted). */
  wasPending: boolean;
}

/**
 * A partner that is not active gets nothing more: its outgoing messages still to be delivered
 * (pending, or failed and waiting for a redrive), all of them or those named, fail now, never
 * silently. Each message and its forward's action say "partner <name> is disabled"; the case gets
 * a `forward_failed` event (`exchange_failed` for other messages) and, for a forward, a `case.act`
 * outbox row so the case is routed again without that partner. An action a partner already
 * acknowledged is left as it is. Runs in the caller's transaction; the caller counts
 * `hotline_exchange_delivery_failures_total` for those that were pending.
 */
export async function failOutgoingToDisabledPartner(
  db: SqlRunner,
  partner: { id: string; name: string },
  messageRowIds?: readonly string[],
): Promise<FailedForDisabledPartner[]> {
  const error = partnerDisabledError(partner.name);
  const filter = messageRowIds ? [...messageRowIds] : null;
  // Cases first, then messages and actions: the order every writer of a forward locks in.
  await exchangeMessageRepository.lockCasesOfUndelivered(db, partner.id, filter);
  const rows = await exchangeMessageRepository.failUndelivered(db, partner.id, filter, error);
  const failed: FailedForDisabledPartner[] = [];
  for (const row of rows.sort((a, b) => a.id.localeCompare(b.id))) {
    failed.push({ rowId: row.id, messageId: row.message_id, type: row.type, caseId: row.case_id, wasPending: row.was === 'pending' });
    if (!row.case_id) continue;
    const detail = { partner: partner.name, partnerId: partner.id, type: row.type, messageId: row.message_id, error, partnerDisabled: true };
    if (row.type !== 'case.forward') {
      await caseRepository.recordEvent(db, row.case_id, 'exchange_failed', detail);
      continue;
    }
    // Acknowledged (or rejected) already: nothing failed for the case.
    if (!(await actionRepository.failForwardToDisabledPartner(db, row.case_id, row.message_id, error))) continue;
    await caseRepository.recordEvent(db, row.case_id, 'forward_failed', detail);
    await outboxRepository.append(db, OutboxTopic.CaseAct, `${row.case_id}:partner-disabled-${row.id}`, { reason: 'partner_disabled', partner: partner.name });
  }
  return failed;
}
