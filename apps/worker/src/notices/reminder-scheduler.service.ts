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
 * mail worker as ReminderMail). When a reminder falls due and the host has already been sent
 * NOTICE_REMINDERS_BEFORE_POLICE reminders (counted as each is sent, so a full interval has passed
 * since the last of them), the case is escalated to police as well: a `police_referral`
 * (escalation `notice_unanswered`, parent = the notice), in the agency's inbox at once; the
 * reminder due then goes too. Reminders go on until removal. Several workers may run this: each
 * takes the due notices no other has locked. Metrics are counted once the transaction commits.
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
      const { n, escalated } = await this.dataSource.transaction(async (tx) => {
        const due = await this.notices.lockDueReminders(tx, BATCH);
        let escalations = 0;
        for (const notice of due) if (await this.remind(tx, notice)) escalations++;
        return { n: due.length, escalated: escalations };
      });
      // Committed: counted now (a rolled-back batch made nothing).
      if (n > 0) this.reminders.inc(n);
      if (escalated > 0) this.escalations.inc(escalated);
      total += n;
      if (n < BATCH || this.schedule.stopping) return total;
    }
  }

  /** Makes the notice's due reminder, and its police referral when that is due too; whether it escalated. */
  private async remind(tx: SqlRunner, notice: DueNoticeRow): Promise<boolean> {
    const now = new Date();
    const plan = planReminder(
      { sentAt: new Date(notice.sent_at), remindersMade: notice.reminders_made, remindersSent: notice.reminders_sent, escalated: notice.escalated },
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
    await this.notices.scheduleNextReminder(tx, notice.id, plan.nextReminderAt);
    await this.cases.recordEvent(tx, notice.case_id, 'reminder_due', {
      actionId: reminderId,
      noticeId: notice.id,
      reminder: plan.number,
      hoursSinceNotice: plan.hoursSinceNotice,
    });
    if (!plan.escalation) return false;

    const channel = escalationChannel(notice.referral_channel, notice.hosting_class === 'domestic');
    const agency = this.config.policeAgencyOf(channel);
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
      reminders: notice.reminders_sent,
      reason: plan.escalation.reason,
    });
    return true;
  }
}
