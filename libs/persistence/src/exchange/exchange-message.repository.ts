import { currentCorrelationId } from '@hotline/observability';
import { Injectable } from '@nestjs/common';
import { SqlRunner, updateReturning } from '../sql';
import type { ExchangeMessageRow } from './exchange-message.row';
import type { PartnerRow } from './partner.row';

/** A message as its partner's inbound endpoint sent it, or ours to send (the protocol's JSON, stored as jsonb). */
export interface NewExchangeMessage {
  id: string;
  partnerId: string;
  messageId: string;
  type: ExchangeMessageRow['type'];
  payload: object;
}

/** A message with what its delivery needs of its partner. */
export type MessageWithPartnerRow = Pick<
  ExchangeMessageRow,
  'id' | 'partner_id' | 'direction' | 'message_id' | 'type' | 'case_id' | 'payload' | 'status' | 'correlation_id'
> & {
  partner_name: PartnerRow['name'];
  partner_status: PartnerRow['status'];
  base_url: PartnerRow['base_url'];
};

/** A message failed because its partner is disabled, with the status it had before. */
export type FailedMessageRow = Pick<ExchangeMessageRow, 'id' | 'message_id' | 'type' | 'case_id'> & { was: ExchangeMessageRow['status'] };

/** exchange_message: what went to and came from partner hotlines. */
@Injectable()
export class ExchangeMessageRepository {
  listForCase(db: SqlRunner, caseId: string): Promise<ExchangeMessageRow[]> {
    return db.query(`SELECT * FROM exchange_message WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);
  }

  /** Whether we ever sent this partner `case.status <status>` about the case. */
  async sentStatus(db: SqlRunner, caseId: string, partnerId: string, status: string): Promise<boolean> {
    const rows = await db.query(
      `SELECT 1 FROM exchange_message WHERE case_id = $1 AND partner_id = $2 AND direction = 'out' AND type = 'case.status' AND payload->>'status' = $3 LIMIT 1`,
      [caseId, partnerId, status],
    );
    return rows.length > 0;
  }

  /**
   * The last `case.status` we sent a partner about its reference (of this case, or of none), or
   * null when we sent none.
   */
  async lastStatusSent(db: SqlRunner, partnerId: string, reference: string, caseId: string): Promise<string | null> {
    const [last]: { status: string | null }[] = await db.query(
      `SELECT payload->>'status' AS status FROM exchange_message
        WHERE partner_id = $1 AND direction = 'out' AND type = 'case.status' AND payload->>'reference' = $2 AND (case_id = $3 OR case_id IS NULL)
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [partnerId, reference, caseId],
    );
    return last?.status ?? null;
  }

  // ---- incoming ---------------------------------------------------------------------------

  /**
   * Stores a message a partner sent, once per (partner, messageId): the row id, or null when the
   * partner sent this messageId before (nothing is stored).
   */
  async insertReceived(db: SqlRunner, message: NewExchangeMessage): Promise<string | null> {
    const [stored]: Pick<ExchangeMessageRow, 'id'>[] = await db.query(
      `INSERT INTO exchange_message (id, partner_id, direction, message_id, type, payload, status) VALUES ($1, $2, 'in', $3, $4, $5, 'received')
       ON CONFLICT (partner_id, direction, message_id) DO NOTHING RETURNING id`,
      [message.id, message.partnerId, message.messageId, message.type, JSON.stringify(message.payload)],
    );
    return stored?.id ?? null;
  }

  /** Notes the case a message concerns. */
  async linkCase(db: SqlRunner, id: string, caseId: string): Promise<void> {
    await db.query(`UPDATE exchange_message SET case_id = $2 WHERE id = $1`, [id, caseId]);
  }

  /**
   * Our forward to a partner with this messageId: its row id and the case it concerns (its
   * case_id, or else the reference it carried, as text: not checked to be a case id).
   */
  async findForward(db: SqlRunner, partnerId: string, messageId: string): Promise<{ id: string; case_id: string | null } | null> {
    const [forward]: { id: string; case_id: string | null }[] = await db.query(
      `SELECT id, coalesce(case_id::text, payload->>'reference') AS case_id FROM exchange_message
        WHERE partner_id = $1 AND direction = 'out' AND type = 'case.forward' AND message_id = $2`,
      [partnerId, messageId],
    );
    return forward ?? null;
  }

  // ---- outgoing ---------------------------------------------------------------------------

  /** Stores a message to send, pending (its outbox row is the caller's), with the correlation id of the work that made it. */
  async insertOutgoing(db: SqlRunner, message: NewExchangeMessage & { caseId: string | null }): Promise<void> {
    await db.query(
      `INSERT INTO exchange_message (id, partner_id, direction, message_id, type, case_id, payload, status, correlation_id)
       VALUES ($1, $2, 'out', $3, $4, $5, $6, 'pending', $7)`,
      [message.id, message.partnerId, message.messageId, message.type, message.caseId, JSON.stringify(message.payload), currentCorrelationId()],
    );
  }

  /** A message (of any direction: the caller checks) with its partner's name, status and base URL. */
  async findWithPartner(db: SqlRunner, id: string): Promise<MessageWithPartnerRow | null> {
    const [row]: MessageWithPartnerRow[] = await db.query(
      `SELECT m.id, m.partner_id, m.direction, m.message_id, m.type, m.case_id, m.payload, m.status, m.correlation_id,
              p.name AS partner_name, p.status AS partner_status, p.base_url
         FROM exchange_message m JOIN partner p ON p.id = m.partner_id
        WHERE m.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** Of these messages, the outgoing ones still pending, with their partner's name and status, by id. */
  listPendingWithPartner(
    db: SqlRunner,
    ids: readonly string[],
  ): Promise<(Pick<ExchangeMessageRow, 'id' | 'partner_id'> & { partner_name: PartnerRow['name']; partner_status: PartnerRow['status'] })[]> {
    return db.query(
      `SELECT m.id, m.partner_id, p.name AS partner_name, p.status AS partner_status
         FROM exchange_message m JOIN partner p ON p.id = m.partner_id
        WHERE m.id = ANY($1::uuid[]) AND m.direction = 'out' AND m.status = 'pending' ORDER BY m.id`,
      [ids],
    );
  }

  /** The partner took the message: delivered, one more attempt counted. Returns the attempts, or null when it was delivered already. */
  async markDelivered(db: SqlRunner, id: string): Promise<number | null> {
    const [updated] = await updateReturning<Pick<ExchangeMessageRow, 'attempts'>>(
      db,
      `UPDATE exchange_message SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, last_error = NULL
        WHERE id = $1 AND status <> 'delivered' RETURNING attempts`,
      [id],
    );
    return updated ? updated.attempts : null;
  }

  /** An attempt to deliver failed (to be retried): counted, with its error. */
  async recordFailedAttempt(db: SqlRunner, id: string, error: string): Promise<void> {
    await db.query(`UPDATE exchange_message SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [id, error]);
  }

  /** The message failed for good (its attempts are spent), with this error. */
  async markFailed(db: SqlRunner, id: string, error: string): Promise<void> {
    await db.query(`UPDATE exchange_message SET status = 'failed', last_error = $2 WHERE id = $1`, [id, error]);
  }

  // ---- a disabled partner -----------------------------------------------------------------

  /**
   * Locks the cases of a partner's outgoing messages still to be delivered (pending, or failed),
   * all of them or those of `ids`, in id order: the cases first, as every writer of a forward locks.
   */
  async lockCasesOfUndelivered(db: SqlRunner, partnerId: string, ids: readonly string[] | null): Promise<void> {
    await db.query(
      `SELECT id FROM "case" WHERE id IN (
         SELECT case_id FROM exchange_message
          WHERE partner_id = $1 AND direction = 'out' AND status IN ('pending', 'failed') AND case_id IS NOT NULL AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])))
        ORDER BY id FOR UPDATE`,
      [partnerId, ids],
    );
  }

  /**
   * A partner's outgoing messages still to be delivered (all, or those of `ids`) fail with `error`;
   * one that failed with it already is left alone. Returns those failed now, with the status they had.
   */
  failUndelivered(db: SqlRunner, partnerId: string, ids: readonly string[] | null, error: string): Promise<FailedMessageRow[]> {
    return updateReturning<FailedMessageRow>(
      db,
      `WITH target AS (
         SELECT id, status AS was FROM exchange_message
          WHERE partner_id = $1 AND direction = 'out' AND status IN ('pending', 'failed') AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
            AND (status = 'pending' OR last_error IS DISTINCT FROM $3)
          ORDER BY id FOR UPDATE)
       UPDATE exchange_message m SET status = 'failed', last_error = $3 FROM target t WHERE m.id = t.id
       RETURNING m.id, m.message_id, m.type, m.case_id, t.was`,
      [partnerId, ids, error],
    );
  }
}

export const exchangeMessageRepository = new ExchangeMessageRepository();
