import { HotlineConfig } from '@hotline/config';
import { escalationChannel, planReminder, reminderCheckIntervalMs } from '@hotline/domain';
import { MetricsRegistry } from '@hotline/observability';
import { ActionRepository, CaseRepository, type DueNoticeRow, NoticeRepository, OutboxRepository, type SqlRunner } from '@hotline/persistence';
import { OutboxTopic } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicRun } from '../schedules/periodic-run';

// Notices reminded per transaction; a larger backlog takes several rounds of the same run.
const BATCH = 100;

/**
 * Reminds hosts of notices they have not acted on (flow step 8): every NOTICE_REMINDER_INTERVAL
 * after a notice went, while its case is still actioned (the content not removed) and no police
 * hold is in force, a `reminder` action is made with its outbox mail (`reminder:<id>`, sent by the
 * mail worker as ReminderMail). Once a notice has had NOTICE_REMINDERS_BEFORE_POLICE reminders,
 * the case is escalated to police as well: a `police_referral` (escalation `notice_unanswered`,
 * parent = the notice), in the agency's inbox at once. Reminders go on until removal. Several
 * workers may run this: each takes the due notices no other has locked.
 */
@Injectable()
export class ReminderSchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(ReminderSchedulerService.name);
  private readonly reminders;
  private readonly escalations;
  private readonly schedule = new PeriodicRun(
    () => this.remindDue(),
    (error) => this.log.warn(`reminding hosts failed: ${error.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly actions: ActionRepository,
    private readonly notices: NoticeRepository,
    private readonly outbox: OutboxRepository,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.reminders = metrics.counter('hotline_notice_reminders_total', 'Reminders of unanswered notices queued for hosts');
    this.escalations = metrics.counter('hotline_notice_escalations_total', 'Cases escalated to police because the host did not act on the notice and its reminders');
  }

  onApplicationBootstrap(): void {
    this.schedule.start(reminderCheckIntervalMs(this.config.notices.reminderIntervalMs));
  }

  /** Before the database closes: no new run, and the one under way finishes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** Makes every reminder due by now; how many. */
  async remindDue(): Promise<number> {
    await this.notices.stopRemindersOfSettledCases(this.dataSource);
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (tx) => {
        const due = await this.notices.lockDueReminders(tx, BATCH);
        for (const notice of due) await this.remind(tx, notice);
        return due.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }

  private async remind(tx: SqlRunner, notice: DueNoticeRow): Promise<void> {
    const now = new Date();
    const plan = planReminder(
      { sentAt: new Date(notice.sent_at), remindersSent: notice.reminders_sent, escalated: notice.escalated },
      { now, reminderIntervalMs: this.config.notices.reminderIntervalMs, remindersBeforePolice: this.config.notices.remindersBeforePolice },
    );
    const reminderId = uuidv7();
    await this.actions.insert(tx, {
      id: reminderId,
      caseId: notice.case_id,
      kind: 'reminder',
      channel: 'hosting_provider',
      partnerId: null,
      reason: plan.reason,
      externalRef: null,
      parentActionId: notice.id,
    });
    await this.outbox.append(tx, OutboxTopic.Mail, `reminder:${reminderId}`);
    await this.notices.bumpReminder(tx, notice.id, plan.nextReminderAt);
    await this.cases.recordEvent(tx, notice.case_id, 'reminder_due', {
      actionId: reminderId,
      noticeId: notice.id,
      reminder: plan.number,
      hoursSinceNotice: plan.hoursSinceNotice,
    });
    this.reminders.inc();
    if (!plan.escalation) return;

    const channel = escalationChannel(notice.referral_channel, notice.hosting_class === 'domestic');
    const agency = this.config.policeAgencies[channel];
    const referralId = uuidv7();
    // In the agency's inbox as it is stored: sent at once (as at decision time).
    await this.actions.insert(tx, {
      id: referralId,
      caseId: notice.case_id,
      kind: 'police_referral',
      channel,
      partnerId: null,
      reason: plan.escalation.reason,
      externalRef: null,
      status: 'sent',
      agency,
      escalation: 'notice_unanswered',
      parentActionId: notice.id,
    });
    await this.cases.recordEvent(tx, notice.case_id, 'escalated_to_police', {
      actionId: referralId,
      noticeId: notice.id,
      channel,
      agency,
      reminders: plan.number,
      reason: plan.escalation.reason,
    });
    this.escalations.inc();
  }
}
