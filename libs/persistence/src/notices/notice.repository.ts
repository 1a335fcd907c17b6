import { Injectable } from '@nestjs/common';
import type { ActionRow, CaseRow } from '../cases/case.row';
import { SqlRunner, updateReturning } from '../sql';

/** A notice whose reminder is due, with what the scheduler needs of its case. */
export interface DueNoticeRow {
  id: string;
  case_id: string;
  sent_at: Date;
  /** Reminders the host's mail server took (counted when each is sent). */
  reminders_sent: number;
  /** Reminders made for it so far, sent or not (they number the next one). */
  reminders_made: number;
  hosting_class: CaseRow['hosting_class'];
  /** The channel of the case's police referral (the first one), if it has one. */
  referral_channel: string | null;
  /** Whether an unanswered-notice referral exists for this notice already. */
  escalated: boolean;
}

/** What a notice or reminder was sent with. */
export interface NoticeDelivery {
  attempts: number;
  messageId: string;
  /** notice: when its first reminder is due; null for a reminder. */
  nextReminderAt: Date | null;
}

/**
 * Notices to hosts and their reminders: the mail side of table action (kind notice, reminder),
 * and police holds (notice_hold) as the mail worker reads them. A reminder's parent_action_id is
 * its notice; the notice carries the reminder clock (next_reminder_at) and how many reminders the
 * host was sent (reminders_sent, counted when each one is sent, never when it is queued).
 */
@Injectable()
export class NoticeRepository {
  /** A notice or reminder by id (any other kind: null), locked for the caller's transaction. */
  async lockMailAction(db: SqlRunner, id: string): Promise<ActionRow | null> {
    const [row]: ActionRow[] = await db.query(`SELECT * FROM action WHERE id = $1 AND kind IN ('notice', 'reminder') FOR UPDATE`, [id]);
    return row ?? null;
  }

  /** A notice or reminder by id, not locked (to find its case before locking in order: case first). */
  async findMailAction(db: SqlRunner, id: string): Promise<ActionRow | null> {
    const [row]: ActionRow[] = await db.query(`SELECT * FROM action WHERE id = $1 AND kind IN ('notice', 'reminder')`, [id]);
    return row ?? null;
  }

  /** The reminder's number among its notice's reminders (1 for the first). */
  async reminderNumber(db: SqlRunner, reminderId: string): Promise<number> {
    // Compared in SQL: created_at has microseconds, a JavaScript Date only milliseconds.
    const [row]: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM action r JOIN action me ON me.id = $1
        WHERE r.kind = 'reminder' AND r.parent_action_id = me.parent_action_id AND (r.created_at, r.id) <= (me.created_at, me.id)`,
      [reminderId],
    );
    return Math.max(1, row?.n ?? 1);
  }

  /** Where the mail goes, as looked up when it is composed (the host's abuse desk, never a reporter). */
  async address(db: SqlRunner, id: string, to: { recipient: string; abuseContactId: string; language: string }): Promise<void> {
    await db.query(`UPDATE action SET recipient = $2, abuse_contact_id = $3, language = $4, updated_at = now() WHERE id = $1`, [
      id,
      to.recipient,
      to.abuseContactId,
      to.language,
    ]);
  }

  /** Whether police hold the case's notices (a notice_hold not lifted). */
  async hasActiveHold(db: SqlRunner, caseId: string): Promise<boolean> {
    const rows = await db.query(`SELECT 1 FROM notice_hold WHERE case_id = $1 AND lifted_at IS NULL LIMIT 1`, [caseId]);
    return rows.length > 0;
  }

  /** The host's SMTP server took it: sent, with where it went and the server's message id. */
  async markSent(db: SqlRunner, id: string, delivery: NoticeDelivery): Promise<void> {
    await db.query(
      `UPDATE action SET status = 'sent', sent_at = now(), attempts = $2, external_ref = $3, last_error = NULL, next_reminder_at = $4, updated_at = now()
        WHERE id = $1`,
      [id, delivery.attempts, delivery.messageId, delivery.nextReminderAt],
    );
  }

  /** An attempt failed (it is retried): the attempts so far and the failure's code. */
  async recordAttemptFailed(db: SqlRunner, id: string, code: string, attempts: number): Promise<void> {
    await db.query(`UPDATE action SET attempts = $3, last_error = $2, updated_at = now() WHERE id = $1 AND status IN ('pending', 'failed')`, [id, code, attempts]);
  }

  /** It failed for good (until a redrive): failed, with the code. False when it was sent meanwhile. */
  async markFailed(db: SqlRunner, id: string, code: string, attempts: number): Promise<boolean> {
    const rows = await updateReturning<{ id: string }>(
      db,
      `UPDATE action SET status = 'failed', attempts = $3, last_error = $2, updated_at = now() WHERE id = $1 AND status IN ('pending', 'failed') RETURNING id`,
      [id, code, attempts],
    );
    return rows.length > 0;
  }

  /**
   * Sent notices whose next reminder is due and whose case is still actioned (waiting for the
   * content to go) with no police hold in force, oldest due first. The notices and their cases
   * are locked; those another worker holds are skipped (it is reminding them).
   */
  lockDueReminders(db: SqlRunner, limit: number): Promise<DueNoticeRow[]> {
    return db.query(
      `SELECT a.id, a.case_id, a.sent_at, a.reminders_sent, c.hosting_class,
              (SELECT count(*)::int FROM action r WHERE r.parent_action_id = a.id AND r.kind = 'reminder') AS reminders_made,
              (SELECT p.channel FROM action p WHERE p.case_id = a.case_id AND p.kind = 'police_referral' ORDER BY p.created_at, p.id LIMIT 1) AS referral_channel,
              EXISTS (SELECT 1 FROM action e WHERE e.parent_action_id = a.id AND e.kind = 'police_referral' AND e.escalation = 'notice_unanswered') AS escalated
         FROM action a JOIN "case" c ON c.id = a.case_id
        WHERE a.kind = 'notice' AND a.next_reminder_at IS NOT NULL AND a.next_reminder_at <= now()
          AND a.status IN ('sent', 'acknowledged') AND c.status = 'actioned'
          AND NOT EXISTS (SELECT 1 FROM notice_hold h WHERE h.case_id = a.case_id AND h.lifted_at IS NULL)
        ORDER BY a.next_reminder_at, a.id
        LIMIT $1
          FOR UPDATE OF a, c SKIP LOCKED`,
      [limit],
    );
  }

  /**
   * Due notices whose case has left `actioned` for good (removed, closed, or on its way back):
   * their reminder clock stops. Returns how many.
   */
  async stopRemindersOfSettledCases(db: SqlRunner): Promise<number> {
    const rows = await updateReturning<{ id: string }>(
      db,
      `UPDATE action a SET next_reminder_at = NULL, updated_at = now()
         FROM "case" c
        WHERE c.id = a.case_id AND a.kind = 'notice' AND a.next_reminder_at IS NOT NULL AND a.next_reminder_at <= now()
          AND c.status NOT IN ('confirmed', 'actioned')
       RETURNING a.id`,
      [],
    );
    return rows.length;
  }

  /** A reminder was queued for the notice: the next one is due at `nextReminderAt`. */
  async scheduleNextReminder(db: SqlRunner, noticeId: string, nextReminderAt: Date): Promise<void> {
    await db.query(`UPDATE action SET next_reminder_at = $2, updated_at = now() WHERE id = $1`, [noticeId, nextReminderAt]);
  }

  /**
   * A reminder of the notice was sent: one more the host was told of, and the next one is due an
   * interval after this sending at the earliest (a reminder retried for hours does not leave the
   * host less time before the next, or before police). A clock stopped by removal stays stopped.
   */
  async countReminderSent(db: SqlRunner, noticeId: string, intervalMs: number): Promise<void> {
    await db.query(
      `UPDATE action SET reminders_sent = reminders_sent + 1,
              next_reminder_at = CASE WHEN next_reminder_at IS NULL THEN NULL ELSE greatest(next_reminder_at, now() + $2 * interval '1 millisecond') END,
              updated_at = now()
        WHERE id = $1 AND kind = 'notice'`,
      [noticeId, intervalMs],
    );
  }
}

export const noticeRepository = new NoticeRepository();
