import { HotlineConfig } from '@hotline/config';
import { originPartnersOf, storeOutgoingMessage } from '@hotline/exchange';
import { MailDeliveryError, type OutgoingMail, renderNotice, renderReminder } from '@hotline/mail';
import {
  AbuseContactRepository,
  type ActionRow,
  CaseRepository,
  ExchangeMessageRepository,
  type LockedCase,
  NoticeRepository,
  type SqlRunner,
} from '@hotline/persistence';
import { Injectable, Logger } from '@nestjs/common';
import type { MailKind } from '../mail/mail-kind';

/** A case in these statuses still wants its host told; any other (removed, closed, appealed) does not. */
const NOTIFIABLE = new Set(['confirmed', 'actioned']);

/** The hotline's name as its mails sign it: the display name of MAIL_FROM (`Hotline <abuse@...>`). */
export function hotlineNameOf(from: string): string {
  const name = /^\s*"?([^"<]+?)"?\s*</.exec(from)?.[1]?.trim();
  return name || 'Hotline';
}

/**
 * A notice or a reminder to the abuse desk of the host of a confirmed case (flow steps 7-8). The
 * desk is looked up when the mail is composed (AbuseContactRepository.findForHost: the domain's,
 * else the network's), so a contact added later is used by the next attempt or a redrive; none
 * known is a permanent failure (`no_abuse_contact`), visible on the case. The mail is written in
 * the desk's language and carries the URL, our reference and the legal basis, never anything
 * about a reporter. Nothing is sent while police hold the case's notices, or once the case is no
 * longer waiting for removal (compose returns null and the case says why).
 */
@Injectable()
abstract class HostNoticeMail implements MailKind {
  abstract readonly kind: 'notice' | 'reminder';
  protected readonly log = new Logger(this.constructor.name);

  constructor(
    protected readonly config: HotlineConfig,
    protected readonly cases: CaseRepository,
    protected readonly notices: NoticeRepository,
    protected readonly abuseContacts: AbuseContactRepository,
    protected readonly messages: ExchangeMessageRepository,
  ) {}

  async compose(db: SqlRunner, id: string): Promise<OutgoingMail | null> {
    const locked = await this.lock(db, id);
    if (!locked) return null;
    const { action, kase } = locked;
    if (action.status === 'sent' || action.status === 'acknowledged') return null; // sent before (a repeated job)
    if (!NOTIFIABLE.has(kase.status)) return this.skip(db, action, `case_${kase.status}`);
    if (await this.notices.hasActiveHold(db, kase.id)) return this.skip(db, action, 'police_hold');

    const contact = await this.abuseContacts.findForHost(db, { registrableDomain: kase.registrable_domain, asn: kase.hosting?.asn ?? null });
    if (!contact) throw new MailDeliveryError('no_abuse_contact', true, 'no abuse contact is known for the host of this case');
    const facts = {
      reference: kase.id,
      url: kase.canonical_url,
      hotlineName: hotlineNameOf(this.config.mail.from),
      hotlineCountry: this.config.hotlineCountry,
      confirmedAt: kase.reviewed_at ?? kase.assessed_at ?? kase.updated_at,
      verdict: kase.verdict === 'baseline' ? ('baseline' as const) : ('national' as const),
    };
    const content = await this.render(db, action, contact.language, facts);
    if (!content) return null;
    await this.notices.address(db, action.id, { recipient: contact.email, abuseContactId: contact.id, language: content.language });
    return { to: contact.email, ...content };
  }

  async sent(db: SqlRunner, id: string, result: { messageId: string; attempts: number }): Promise<void> {
    const locked = await this.lock(db, id);
    if (!locked || locked.action.status === 'sent') return;
    const { action, kase } = locked;
    await this.notices.markSent(db, id, {
      attempts: result.attempts,
      messageId: result.messageId,
      nextReminderAt: this.kind === 'notice' ? new Date(Date.now() + this.config.notices.reminderIntervalMs) : null,
    });
    // Counted on its notice now that the host has it: only sent reminders lead to police.
    if (this.kind === 'reminder' && action.parent_action_id) await this.notices.countReminderSent(db, action.parent_action_id, this.config.notices.reminderIntervalMs);
    const contact = action.abuse_contact_id ? await this.abuseContacts.find(db, action.abuse_contact_id) : null;
    // The organisation and the contact's id: enough to show where it went (the address is on the action).
    await this.cases.recordEvent(db, kase.id, `${this.kind}_sent`, {
      actionId: id,
      attempts: result.attempts,
      organisation: contact?.organisation ?? null,
      abuseContactId: action.abuse_contact_id,
      language: action.language,
      ...(this.kind === 'reminder' ? { noticeId: action.parent_action_id, reminder: await this.notices.reminderNumber(db, action.id) } : {}),
    });
    if (this.kind !== 'notice') return;
    // Action taken (the police referral usually did this at decision time already).
    if (kase.status === 'confirmed') await this.cases.transition(db, { caseId: kase.id, from: 'confirmed', to: 'actioned', detail: { step: 'notice_sent' } });
    // A case a partner hotline forwarded to us: it is told the host was notified (once).
    for (const origin of await originPartnersOf(db, kase.id)) {
      if (await this.messages.sentStatus(db, kase.id, origin.partnerId, 'notice_sent')) continue;
      await storeOutgoingMessage(db, {
        partnerId: origin.partnerId,
        caseId: kase.id,
        type: 'case.status',
        body: { reference: origin.reference, status: 'notice_sent', at: new Date().toISOString() },
      });
    }
  }

  async attemptFailed(db: SqlRunner, id: string, error: MailDeliveryError, attempts: number): Promise<void> {
    await this.notices.recordAttemptFailed(db, id, error.code, attempts);
  }

  async failed(db: SqlRunner, id: string, error: MailDeliveryError, attempts: number): Promise<void> {
    const locked = await this.lock(db, id);
    if (!locked) return;
    if (!(await this.notices.markFailed(db, id, error.code, attempts))) return;
    await this.cases.recordEvent(db, locked.kase.id, 'notice_failed', {
      actionId: id,
      kind: this.kind,
      code: error.code,
      permanent: error.permanent,
      attempts,
      ...(locked.action.parent_action_id ? { noticeId: locked.action.parent_action_id } : {}),
    });
  }

  protected abstract render(db: SqlRunner, action: ActionRow, language: string, facts: Parameters<typeof renderNotice>[1]): Promise<Omit<OutgoingMail, 'to'> | null>;

  /** The case first, then the action (the order every writer of a case and its actions locks in). */
  private async lock(db: SqlRunner, id: string): Promise<{ action: ActionRow; kase: LockedCase } | null> {
    const found = await this.notices.findMailAction(db, id);
    if (!found || found.kind !== this.kind) {
      this.log.warn(`${this.kind} ${id} does not exist`);
      return null;
    }
    const kase = await this.cases.lock(db, found.case_id);
    const action = await this.notices.lockMailAction(db, id);
    return kase && action ? { action, kase } : null;
  }

  private async skip(db: SqlRunner, action: ActionRow, reason: string): Promise<null> {
    await this.cases.recordEvent(db, action.case_id, 'notice_skipped', {
      actionId: action.id,
      kind: this.kind,
      reason,
      ...(action.parent_action_id ? { noticeId: action.parent_action_id } : {}),
    });
    return null;
  }
}

/** The first notice to the host (key `notice:<action id>`, written when the case's actions are decided). */
@Injectable()
export class NoticeMail extends HostNoticeMail {
  readonly kind = 'notice' as const;

  protected async render(_db: SqlRunner, _action: ActionRow, language: string, facts: Parameters<typeof renderNotice>[1]) {
    return renderNotice(language, facts);
  }
}

/** A reminder of a notice the host has not acted on (key `reminder:<action id>`, written by the ReminderScheduler). */
@Injectable()
export class ReminderMail extends HostNoticeMail {
  readonly kind = 'reminder' as const;

  protected async render(db: SqlRunner, action: ActionRow, language: string, facts: Parameters<typeof renderNotice>[1]) {
    const notice = action.parent_action_id ? await this.notices.findMailAction(db, action.parent_action_id) : null;
    if (!notice?.sent_at) {
      // A reminder is only ever made for a sent notice; without one there is nothing to remind of.
      this.log.warn(`reminder ${action.id} has no sent notice`);
      return null;
    }
    return renderReminder(language, {
      ...facts,
      reminderNumber: await this.notices.reminderNumber(db, action.id),
      noticeSentAt: notice.sent_at,
      hoursSinceNotice: Math.max(0, Math.floor((new Date(action.created_at).getTime() - new Date(notice.sent_at).getTime()) / 3_600_000)),
    });
  }
}
