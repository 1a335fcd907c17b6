/**
 * Flow step 8 (DOMAIN.md): a host that was sent a notice is reminded every
 * NOTICE_REMINDER_INTERVAL until the content is removed (24 h by default, as C3P does); once the
 * host has been sent NOTICE_REMINDERS_BEFORE_POLICE reminders and a further interval has passed
 * without removal, the case goes to police as well (an "unanswered notice" escalation, once per
 * notice). Reminders go on after that, until removal.
 */

/** How often the reminder scheduler looks: a quarter of the interval, at most a minute, at least 200 ms. */
export function reminderCheckIntervalMs(reminderIntervalMs: number): number {
  return Math.max(200, Math.min(60_000, Math.floor(reminderIntervalMs / 4)));
}

export interface DueNotice {
  sentAt: Date;
  /** Reminders made for the notice so far, whatever became of them (they number the next one). */
  remindersMade: number;
  /**
   * Reminders the host's mail server took (status sent). Only these count towards police: a
   * reminder still queued, failed or held back told the host nothing.
   */
  remindersSent: number;
  /** Whether an unanswered-notice referral exists for it already. */
  escalated: boolean;
}

export interface ReminderPlan {
  /** The reminder's number: 1 for the first. */
  number: number;
  /** Whole hours from the notice to now. */
  hoursSinceNotice: number;
  /** The reminder action's reason, in words (staff read it on the case). */
  reason: string;
  /** When the one after it is due. */
  nextReminderAt: Date;
  /**
   * The police referral to make now, or null (not yet due, or made before). Due when a reminder
   * falls due while the host already has NOTICE_REMINDERS_BEFORE_POLICE sent ones: the last of
   * them went at least an interval ago (the clock runs from its sending) and the content is still
   * up. The reminder due at that moment goes out as well.
   */
  escalation: { reason: string } | null;
}

/** The next reminder of a notice that is due, and whether the case is escalated to police with it. */
export function planReminder(notice: DueNotice, settings: { now: Date; reminderIntervalMs: number; remindersBeforePolice: number }): ReminderPlan {
  const number = notice.remindersMade + 1;
  const hoursSinceNotice = Math.max(0, Math.floor((settings.now.getTime() - notice.sentAt.getTime()) / 3_600_000));
  const hours = countOf(hoursSinceNotice, 'hour');
  const escalate = !notice.escalated && notice.remindersSent >= settings.remindersBeforePolice;
  return {
    number,
    hoursSinceNotice,
    reason: `Reminder ${number}: content still online ${hours} after the notice.`,
    nextReminderAt: new Date(settings.now.getTime() + settings.reminderIntervalMs),
    escalation: escalate
      ? { reason: `Notice unanswered: the host was reminded ${countOf(notice.remindersSent, 'time')} and the content is still online ${hours} after the notice.` }
      : null,
  };
}

/**
 * The police channel an unanswered notice goes to: the channel of the case's referral when it has
 * one (its agency already knows the case), else the national unit for content hosted at home and
 * the INTERPOL channel otherwise (as decideActions addresses referrals).
 */
export function escalationChannel(existingReferralChannel: string | null, hostedAtHome: boolean): 'national_police' | 'interpol' {
  if (existingReferralChannel === 'national_police' || existingReferralChannel === 'interpol') return existingReferralChannel;
  return hostedAtHome ? 'national_police' : 'interpol';
}

const ENGLISH_PLURALS = new Intl.PluralRules('en');

function countOf(n: number, unit: 'hour' | 'time'): string {
  return `${n} ${unit}${ENGLISH_PLURALS.select(n) === 'one' ? '' : 's'}`;
}
