import { escalationChannel, planReminder, reminderCheckIntervalMs } from './reminders';

const HOUR = 3_600_000;
const sentAt = new Date('2026-03-01T10:00:00Z');
const settings = (hours: number, remindersBeforePolice = 3) => ({ now: new Date(sentAt.getTime() + hours * HOUR), reminderIntervalMs: 24 * HOUR, remindersBeforePolice });

describe('planReminder', () => {
  it('numbers the reminder, counts the hours since the notice in words and schedules the next', () => {
    const plan = planReminder({ sentAt, remindersMade: 0, remindersSent: 0, escalated: false }, settings(24));
    expect(plan.number).toBe(1);
    expect(plan.hoursSinceNotice).toBe(24);
    expect(plan.reason).toBe('Reminder 1: content still online 24 hours after the notice.');
    expect(plan.nextReminderAt.toISOString()).toBe('2026-03-03T10:00:00.000Z');
    expect(plan.escalation).toBeNull();
  });

  it('says "1 hour", not "1 hours"', () => {
    expect(planReminder({ sentAt, remindersMade: 0, remindersSent: 0, escalated: false }, settings(1.5)).reason).toContain('still online 1 hour after');
  });

  it('escalates at the first reminder due after the threshold of sent reminders, and only once', () => {
    // Reminder 2 falls due with one sent: not yet (threshold 3).
    expect(planReminder({ sentAt, remindersMade: 1, remindersSent: 1, escalated: false }, settings(48)).escalation).toBeNull();
    // Reminder 3 falls due with two sent: the host has not had the third yet.
    expect(planReminder({ sentAt, remindersMade: 2, remindersSent: 2, escalated: false }, settings(72)).escalation).toBeNull();
    // An interval after the third was sent: escalated, and reminder 4 goes with it.
    const fourth = planReminder({ sentAt, remindersMade: 3, remindersSent: 3, escalated: false }, settings(96));
    expect(fourth.number).toBe(4);
    expect(fourth.reason).toBe('Reminder 4: content still online 96 hours after the notice.');
    expect(fourth.escalation?.reason).toBe('Notice unanswered: the host was reminded 3 times and the content is still online 96 hours after the notice.');
    expect(planReminder({ sentAt, remindersMade: 4, remindersSent: 4, escalated: true }, settings(120)).escalation).toBeNull();
    // A threshold lowered after the fact: the next reminder escalates (once).
    expect(planReminder({ sentAt, remindersMade: 5, remindersSent: 5, escalated: false }, settings(144, 2)).escalation).not.toBeNull();
  });

  it('counts only reminders the host was sent: queued, failed or held-back ones do not escalate', () => {
    // Three made, one of them failed (or still queued, or skipped under a police hold): two sent.
    const plan = planReminder({ sentAt, remindersMade: 3, remindersSent: 2, escalated: false }, settings(96));
    expect(plan.number).toBe(4);
    expect(plan.escalation).toBeNull();
    // Once a third is sent, the next due reminder escalates, saying how many the host had.
    const later = planReminder({ sentAt, remindersMade: 4, remindersSent: 3, escalated: false }, settings(120));
    expect(later.escalation?.reason).toMatch(/^Notice unanswered: the host was reminded 3 times /);
    expect(planReminder({ sentAt, remindersMade: 1, remindersSent: 1, escalated: false }, settings(48, 1)).escalation?.reason).toMatch(/reminded 1 time and/);
  });

  it('never counts negative hours (clock skew between workers)', () => {
    expect(planReminder({ sentAt, remindersMade: 0, remindersSent: 0, escalated: false }, settings(-1)).hoursSinceNotice).toBe(0);
  });
});

describe('escalationChannel', () => {
  it('keeps the channel of the case referral, else chooses by where it is hosted', () => {
    expect(escalationChannel('interpol', true)).toBe('interpol');
    expect(escalationChannel('national_police', false)).toBe('national_police');
    expect(escalationChannel(null, true)).toBe('national_police');
    expect(escalationChannel(null, false)).toBe('interpol');
    expect(escalationChannel('hosting_provider', true)).toBe('national_police');
  });
});

describe('reminderCheckIntervalMs', () => {
  it('looks four times per interval, at most every minute, at least every 200 ms', () => {
    expect(reminderCheckIntervalMs(24 * HOUR)).toBe(60_000);
    expect(reminderCheckIntervalMs(2000)).toBe(500);
    expect(reminderCheckIntervalMs(100)).toBe(200);
  });
});
