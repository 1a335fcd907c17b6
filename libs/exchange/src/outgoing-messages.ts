import { OutboxTopic } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';

type Db = Pick<EntityManager, 'query'>;

export type OutgoingType = 'case.forward' | 'case.status';

/**
 * Stores an outgoing exchange message (docs/exchange-protocol.md) and its outbox row in the
 * caller's transaction: the relay publishes it to the exchange-dispatch queue after the commit,
 * which hands it on to the partner's delivery queue. Returns the row id and the protocol's
 * messageId (a new UUID).
 */
export async function storeOutgoingMessage(
  db: Db,
  message: { partnerId: string; caseId: string | null; type: OutgoingType; body: Record<string, unknown> },
): Promise<{ rowId: string; messageId: string }> {
  const rowId = uuidv7();
  const messageId = randomUUID();
  const payload = { messageId, type: message.type, sentAt: new Date().toISOString(), ...message.body };
  await db.query(
    `INSERT INTO exchange_message (id, partner_id, direction, message_id, type, case_id, payload, status)
     VALUES ($1, $2, 'out', $3, $4, $5, $6, 'pending')`,
    [rowId, message.partnerId, messageId, message.type, message.caseId, JSON.stringify(payload)],
  );
  await db.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ($1, $2, $3)`, [OutboxTopic.ExchangeMessage, rowId, JSON.stringify({ type: message.type })]);
  return { rowId, messageId };
}

/**
 * The partners a case came from (a report of one of its URLs filed by a partner's forward, or
 * the case itself marked so), each with their reference: they are told what became of it.
 */
export async function originPartnersOf(db: Db, caseId: string): Promise<{ partnerId: string; reference: string }[]> {
  const rows: { partner_id: string; partner_reference: string }[] = await db.query(
    `SELECT DISTINCT partner_id, partner_reference FROM (
       SELECT r.partner_id, r.partner_reference FROM reported_url ru JOIN report r ON r.id = ru.report_id
        WHERE ru.case_id = $1 AND r.partner_id IS NOT NULL AND r.partner_reference IS NOT NULL
       UNION
       SELECT partner_id, partner_reference FROM "case" WHERE id = $1 AND partner_id IS NOT NULL AND partner_reference IS NOT NULL
     ) AS origin ORDER BY partner_id, partner_reference`,
    [caseId],
  );
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
  db: Db,
  partner: { id: string; name: string },
  messageRowIds?: readonly string[],
): Promise<FailedForDisabledPartner[]> {
  const error = partnerDisabledError(partner.name);
  const filter = messageRowIds ? [...messageRowIds] : null;
  // Cases first, then messages and actions: the order every writer of a forward locks in.
  await db.query(
    `SELECT id FROM "case" WHERE id IN (
       SELECT case_id FROM exchange_message
        WHERE partner_id = $1 AND direction = 'out' AND status IN ('pending', 'failed') AND case_id IS NOT NULL AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])))
      ORDER BY id FOR UPDATE`,
    [partner.id, filter],
  );
  const result = await db.query(
    `WITH target AS (
       SELECT id, status AS was FROM exchange_message
        WHERE partner_id = $1 AND direction = 'out' AND status IN ('pending', 'failed') AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
          AND (status = 'pending' OR last_error IS DISTINCT FROM $3)
        ORDER BY id FOR UPDATE)
     UPDATE exchange_message m SET status = 'failed', last_error = $3 FROM target t WHERE m.id = t.id
     RETURNING m.id, m.message_id, m.type, m.case_id, t.was`,
    [partner.id, filter, error],
  );
  // TypeORM answers an UPDATE ... RETURNING with [rows, count].
  const rows: { id: string; message_id: string; type: string; case_id: string | null; was: string }[] = Array.isArray(result[0]) ? result[0] : result;
  const failed: FailedForDisabledPartner[] = [];
  for (const row of rows.sort((a, b) => a.id.localeCompare(b.id))) {
    failed.push({ rowId: row.id, messageId: row.message_id, type: row.type, caseId: row.case_id, wasPending: row.was === 'pending' });
    if (!row.case_id) continue;
    const detail = { partner: partner.name, partnerId: partner.id, type: row.type, messageId: row.message_id, error, partnerDisabled: true };
    if (row.type !== 'case.forward') {
      await db.query(`INSERT INTO case_event (case_id, kind, detail) VALUES ($1, 'exchange_failed', $2)`, [row.case_id, JSON.stringify(detail)]);
      continue;
    }
    const updated = await db.query(
      `UPDATE action SET status = 'failed', last_error = $3, updated_at = now()
        WHERE case_id = $1 AND kind = 'partner_forward' AND external_ref = $2 AND status IN ('pending', 'failed') RETURNING id`,
      [row.case_id, row.message_id, error],
    );
    const actions: unknown[] = Array.isArray(updated[0]) ? updated[0] : updated;
    if (actions.length === 0) continue; // acknowledged (or rejected) already: nothing failed for the case
    await db.query(`INSERT INTO case_event (case_id, kind, detail) VALUES ($1, 'forward_failed', $2)`, [row.case_id, JSON.stringify(detail)]);
    await db.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ($1, $2, $3)`, [
      OutboxTopic.CaseAct,
      `${row.case_id}:partner-disabled-${row.id}`,
      JSON.stringify({ reason: 'partner_disabled', partner: partner.name }),
    ]);
  }
  return failed;
}
