/**
 * Flow step 8 (DOMAIN.md): a host that was sent a notice is reminded every
 * NOTICE_REMINDER_INTERVAL until the content is removed (24 h by default, as C3P does); once it
 * has had NOTICE_REMINDERS_BEFORE_POLICE reminders, the case goes to police as well (an
 * "unanswered notice" escalation, once per notice). Reminders go on after that, until removal.
 */

/** How often the reminder scheduler looks: a quarter of the interval, at most a minute, at least 200 ms. */
export function reminderCheckIntervalMs(reminderIntervalMs: number): number {
  return Math.max(200, Math.min(60_000, Math.floor(reminderIntervalMs / 4)));
}

export interface DueNotice {
  sentAt: Date;
  /** Reminders already sent for the notice. */
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
  /** The police referral to make now, or null (not yet due, or made before). */
  escalation: { reason: string } | null;
}

/** The next reminder of a notice that is due, and whether it escalates the case to police. */
export function planReminder(notice: DueNotice, settings: { now: Date; reminderIntervalMs: number; remindersBeforePolice: number }): ReminderPlan {
  const number = notice.remindersSent + 1;
  const hoursSinceNotice = Math.max(0, Math.floor((settings.now.getTime() - notice.sentAt.getTime()) / 3_600_000));
  const hours = countOf(hoursSinceNotice, 'hour');
  const escalate = !notice.escalated && number >= settings.remindersBeforePolice;
  return {
    number,
    hoursSinceNotice,
    reason: `Reminder ${number}: content still online ${hours} after the notice.`,
    nextReminderAt: new Date(settings.now.getTime() + settings.reminderIntervalMs),
    escalation: escalate
      ? { reason: `Notice unanswered: the host was reminded ${countOf(number, 'time')} and the content is still online ${hours} after the notice.` }
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
