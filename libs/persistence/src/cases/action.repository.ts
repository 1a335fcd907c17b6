import { Injectable } from '@nestjs/common';
import { SqlRunner, updateReturning } from '../sql';
import type { ActionRow } from './case.row';

export interface NewAction {
  id: string;
  caseId: string;
  kind: ActionRow['kind'];
  channel: string;
  partnerId: string | null;
  reason: string;
  externalRef: string | null;
  /**
   * `sent` for an action delivered as it is made: a police referral is in its agency's inbox the
   * moment it is stored, so it is sent then (sent_at). Default `pending`.
   */
  status?: 'pending' | 'sent';
  /** police_referral: the agency whose liaisons receive it (staff_user.agency). */
  agency?: string | null;
  /** police_referral: why it was made. */
  escalation?: ActionRow['escalation'];
  /** A reminder's notice; an unanswered notice's escalation: that notice. */
  parentActionId?: string | null;
  /** notice, reminder: where it goes, when already known. */
  abuseContactId?: string | null;
  recipient?: string | null;
  language?: string | null;
}

/** action: what a confirmed case needs (police referral, notice, partner forward, reminder), with its state. */
@Injectable()
export class ActionRepository {
  async insert(db: SqlRunner, action: NewAction): Promise<void> {
    const status = action.status ?? 'pending';
    await db.query(
      // clock_timestamp(): the actions of one decision keep their order (now() is one instant per transaction).
      `INSERT INTO action (id, case_id, kind, channel, partner_id, status, reason, external_ref, agency, escalation, parent_action_id,
                           abuse_contact_id, recipient, language, sent_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, CASE WHEN $6 = 'sent' THEN clock_timestamp() END, clock_timestamp(), clock_timestamp())`,
      [
        action.id,
        action.caseId,
        action.kind,
        action.channel,
        action.partnerId,
        status,
        action.reason,
        action.externalRef,
        action.agency ?? null,
        action.escalation ?? null,
        action.parentActionId ?? null,
        action.abuseContactId ?? null,
        action.recipient ?? null,
        action.language ?? null,
      ],
    );
  }

  listForCase(db: SqlRunner, caseId: string): Promise<ActionRow[]> {
    return db.query(`SELECT * FROM action WHERE case_id = $1 ORDER BY created_at, id`, [caseId]);
  }

  /** A case's actions, oldest first, each with the organisation of the abuse desk it went to (a host's, never a reporter's), if any. */
  listWithRecipient(db: SqlRunner, caseId: string): Promise<(ActionRow & { recipient_organisation: string | null })[]> {
    return db.query(
      `SELECT a.*, ac.organisation AS recipient_organisation FROM action a LEFT JOIN abuse_contact ac ON ac.id = a.abuse_contact_id
        WHERE a.case_id = $1 ORDER BY a.created_at, a.id`,
      [caseId],
    );
  }

  /** A case's actions with the name and state of their partner, if any. */
  listWithPartner(db: SqlRunner, caseId: string): Promise<(ActionRow & { partner_name: string | null; partner_status: string | null })[]> {
    return db.query(`SELECT a.*, p.name AS partner_name, p.status AS partner_status FROM action a LEFT JOIN partner p ON p.id = a.partner_id WHERE a.case_id = $1`, [
      caseId,
    ]);
  }

  // ---- partner forwards (external_ref: the messageId of our case.forward) -------------------

  /** Whether the case was ever forwarded to this partner (an action says so, whatever its state). */
  async hasForwardTo(db: SqlRunner, caseId: string, partnerId: string): Promise<boolean> {
    const [known] = await db.query(`SELECT 1 FROM action WHERE case_id = $1 AND partner_id = $2 AND kind = 'partner_forward' LIMIT 1`, [caseId, partnerId]);
    return Boolean(known);
  }

  /**
   * The case's forwards to a partner: `open` when one is not rejected (null: there is none), and
   * when the case was first forwarded (our first case.forward message, or else the first action).
   */
  async forwardState(db: SqlRunner, caseId: string, partnerId: string): Promise<{ open: boolean | null; forwarded_at: Date | null }> {
    const [forwarded]: { open: boolean | null; forwarded_at: Date | null }[] = await db.query(
      `SELECT bool_or(a.status <> 'rejected') AS open,
              coalesce((SELECT min(m.created_at) FROM exchange_message m
                         WHERE m.partner_id = $2 AND m.direction = 'out' AND m.type = 'case.forward' AND (m.case_id = $1 OR m.payload->>'reference' = $1::text)),
                       min(a.created_at)) AS forwarded_at
         FROM action a WHERE a.case_id = $1 AND a.partner_id = $2 AND a.kind = 'partner_forward'`,
      [caseId, partnerId],
    );
    return forwarded ?? { open: null, forwarded_at: null };
  }

  /** The partner acknowledged our forward of the case (its reference for it: `theirReference`); a rejected forward stays rejected. */
  async acknowledgeForward(db: SqlRunner, caseId: string, partnerId: string, theirReference: string): Promise<void> {
    await db.query(
      `UPDATE action SET status = 'acknowledged', external_ref = $3, last_error = NULL, updated_at = now()
        WHERE case_id = $1 AND partner_id = $2 AND kind = 'partner_forward' AND status <> 'rejected'`,
      [caseId, partnerId, theirReference],
    );
  }

  /** The partner refused the case (not hosted there): its forwards to that partner are rejected, saying why. */
  async rejectForward(db: SqlRunner, caseId: string, partnerId: string, reason: string): Promise<void> {
    await db.query(
      `UPDATE action SET status = 'rejected', last_error = $3, updated_at = now()
        WHERE case_id = $1 AND partner_id = $2 AND kind = 'partner_forward' AND status <> 'rejected'`,
      [caseId, partnerId, reason],
    );
  }

  /** Our forward (messageId `forwardMessageId`) was delivered after `attempts` attempts: the action is sent. */
  async markForwardSent(db: SqlRunner, caseId: string, forwardMessageId: string, attempts: number): Promise<void> {
    await db.query(
      `UPDATE action SET status = 'sent', last_error = NULL, attempts = $3, sent_at = coalesce(sent_at, now()), updated_at = now()
        WHERE case_id = $1 AND kind = 'partner_forward' AND external_ref = $2 AND status IN ('pending', 'failed')`,
      [caseId, forwardMessageId, attempts],
    );
  }

  /** An attempt to deliver our forward failed (it is retried): counted on its action, with the error, unless the partner answered already. */
  async recordForwardAttemptFailed(db: SqlRunner, caseId: string, forwardMessageId: string, error: string): Promise<void> {
    await db.query(
      `UPDATE action SET attempts = attempts + 1, last_error = $3, updated_at = now()
        WHERE case_id = $1 AND kind = 'partner_forward' AND external_ref = $2 AND status NOT IN ('acknowledged', 'rejected')`,
      [caseId, forwardMessageId, error],
    );
  }

  /**
   * The delivery of our forward failed for good: its action failed, with the error and the
   * attempts of its message (row `messageRowId`). False when no action changed (the partner
   * acknowledged or rejected it already: nothing failed for the case).
   */
  async failForward(db: SqlRunner, caseId: string, forwardMessageId: string, error: string, messageRowId: string): Promise<boolean> {
    const updated = await updateReturning<Pick<ActionRow, 'id'>>(
      db,
      `UPDATE action SET status = 'failed', last_error = $3, attempts = (SELECT attempts FROM exchange_message WHERE id = $4), updated_at = now()
        WHERE case_id = $1 AND kind = 'partner_forward' AND external_ref = $2 AND status IN ('pending', 'sent', 'failed') RETURNING id`,
      [caseId, forwardMessageId, error, messageRowId],
    );
    return updated.length > 0;
  }

  /**
   * Our forward will not be delivered, its partner being disabled: its action, if still pending
   * or failed, fails with the error. False when no action changed (sent, acknowledged or rejected already).
   */
  async failForwardToDisabledPartner(db: SqlRunner, caseId: string, forwardMessageId: string, error: string): Promise<boolean> {
    const updated = await updateReturning<Pick<ActionRow, 'id'>>(
      db,
      `UPDATE action SET status = 'failed', last_error = $3, updated_at = now()
        WHERE case_id = $1 AND kind = 'partner_forward' AND external_ref = $2 AND status IN ('pending', 'failed') RETURNING id`,
      [caseId, forwardMessageId, error],
    );
    return updated.length > 0;
  }
}

export const actionRepository = new ActionRepository();
