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
