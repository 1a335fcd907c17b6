import { AuditLog } from '@hotline/audit';
import { ProblemException } from '@hotline/http';
import { ActionRepository, CaseRepository, EscalationCursor, EscalationRepository, EscalationRow, OutboxRepository, SqlRunner } from '@hotline/persistence';
import { OutboxTopic } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadActions } from '../cases/case-detail';
import { toTimelineEvent } from '../cases/case-view';
import { actorOf, StaffPrincipal } from '../staff-access/staff-principal';
import { encodeEscalationCursor } from './escalation-cursor';
import { actionsFor, eventsFor, holdFor } from './agency-scope';
import { EscalationDetailView, EscalationPage, toEscalationHoldView, toEscalationView } from './escalation-view';
import { exportFiles } from './export-content';
import { buildExportPackage } from './export-package';

/** How long a hold's reason may be, in characters: enough to say why, never a case file. */
export const HOLD_REASON_LENGTH = { min: 10, max: 500 } as const;

/** The latest case events the detail shows (the export has them all). */
const TIMELINE_SHOWN = 500;

export interface ExportDownload {
  zip: Buffer;
  fileName: string;
  manifestSha256: string;
}

/**
 * The law-enforcement liaison's work on escalations (police referrals) of their own agency: the
 * inbox, one escalation, acknowledging it, holding the notices to the host while evidence is
 * preserved, and the export package. An escalation of another agency, or of none, is not found:
 * a liaison learns nothing of what is not theirs. Every change writes its audit event in its
 * transaction.
 */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly escalations: EscalationRepository,
    private readonly cases: CaseRepository,
    private readonly actions: ActionRepository,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditLog,
  ) {}

  async inbox(staff: StaffPrincipal, page: { limit: number; after: EscalationCursor | null }): Promise<EscalationPage> {
    const agency = agencyOf(staff);
    if (agency === null) return { items: [], nextCursor: null, unacknowledged: 0 };
    const rows = await this.escalations.inbox(this.dataSource, { agency, limit: page.limit + 1, after: page.after });
    const shown = rows.slice(0, page.limit);
    const held = await this.escalations.heldCases(
      this.dataSource,
      shown.map((row) => row.case_id),
    );
    const last = shown[shown.length - 1];
    return {
      items: shown.map((row) => toEscalationView(row, held.has(row.case_id))),
      nextCursor: rows.length > page.limit && last ? encodeEscalationCursor(cursorOf(last)) : null,
      unacknowledged: await this.escalations.countUnacknowledged(this.dataSource, agency),
    };
  }

  async detail(staff: StaffPrincipal, id: string): Promise<EscalationDetailView> {
    return this.detailIn(this.dataSource, await this.mine(this.dataSource, staff, id));
  }

  /** Acknowledges the escalation (once: acknowledging again changes nothing and writes no event). */
  async acknowledge(staff: StaffPrincipal, id: string): Promise<EscalationDetailView> {
    return this.dataSource.transaction(async (tx) => {
      const escalation = await this.mine(tx, staff, id);
      const changed = await this.escalations.acknowledge(tx, id, escalation.agency!, staff.id);
      await this.audit.append(
        { actor: actorOf(staff), action: 'escalation.acknowledged', target: { type: 'escalation', id }, detail: { caseId: escalation.case_id, already: !changed } },
        tx,
      );
      if (changed) await this.cases.recordEvent(tx, escalation.case_id, 'escalation_acknowledged', { escalationId: id, agency: escalation.agency, by: staff.id });
      return this.detailIn(tx, (await this.escalations.find(tx, id, escalation.agency!))!);
    });
  }

  /** Holds the notices to the host of the escalation's case: nothing goes to the host until it is lifted. One hold at a time. */
  async placeHold(staff: StaffPrincipal, id: string, reason: string): Promise<EscalationDetailView> {
    const text = reason.trim().replace(/\s+/g, ' ');
    if (text.length < HOLD_REASON_LENGTH.min || text.length > HOLD_REASON_LENGTH.max) {
      throw new ProblemException('invalid_request', {
        errors: [{ field: 'reason', message: 'field.rule', params: { detail: `${HOLD_REASON_LENGTH.min} to ${HOLD_REASON_LENGTH.max} characters` } }],
      });
    }
    return this.dataSource.transaction(async (tx) => {
      const escalation = await this.mine(tx, staff, id);
      // The case's lock orders holds against each other and against the mail worker's check.
      await this.cases.lock(tx, escalation.case_id);
      if (await this.escalations.activeHold(tx, escalation.case_id)) throw new ProblemException('notice_hold_in_force');
      const hold = await this.escalations.placeHold(tx, { id: uuidv7(), caseId: escalation.case_id, agency: escalation.agency!, reason: text, placedBy: staff.id });
      await this.audit.append(
        { actor: actorOf(staff), action: 'escalation.hold_placed', target: { type: 'escalation', id }, detail: { caseId: escalation.case_id, holdId: hold.id } },
        tx,
      );
      await this.cases.recordEvent(tx, escalation.case_id, 'notice_hold_placed', { holdId: hold.id, agency: hold.agency, by: staff.id });
      return this.detailIn(tx, escalation);
    });
  }

  /**
   * Lifts the hold (only its agency may): the case's notices and reminders that waited go out now
   * (their mail keys are queued again through the outbox, tagged with the hold); reminders then
   * resume on the mail worker's schedule.
   */
  async liftHold(staff: StaffPrincipal, id: string): Promise<EscalationDetailView> {
    return this.dataSource.transaction(async (tx) => {
      const escalation = await this.mine(tx, staff, id);
      await this.cases.lock(tx, escalation.case_id);
      const active = await this.escalations.activeHold(tx, escalation.case_id);
      if (!active || active.agency !== escalation.agency) throw new ProblemException('no_notice_hold');
      const lifted = (await this.escalations.liftHold(tx, escalation.case_id, staff.id))!;
      const released = await this.escalations.requeueHeldMail(tx, escalation.case_id, OutboxTopic.Mail, `:lift-${lifted.id}`);
      const notices = released.filter((mail) => mail.kind === 'notice').map((mail) => mail.id);
      const reminders = released.filter((mail) => mail.kind === 'reminder').map((mail) => mail.id);
      await this.audit.append(
        {
          actor: actorOf(staff),
          action: 'escalation.hold_lifted',
          target: { type: 'escalation', id },
          detail: { caseId: escalation.case_id, holdId: lifted.id, noticesReleased: notices, remindersReleased: reminders },
        },
        tx,
      );
      await this.cases.recordEvent(tx, escalation.case_id, 'notice_hold_lifted', {
        holdId: lifted.id,
        agency: lifted.agency,
        by: staff.id,
        noticesReleased: notices.length,
        remindersReleased: reminders.length,
      });
      return this.detailIn(tx, escalation);
    });
  }

  /**
   * The export package: read, built and audited (with the manifest's digest, so the package can
   * be shown later to be the one handed over) in one transaction: no audit event, no package.
   */
  async export(staff: StaffPrincipal, id: string): Promise<ExportDownload> {
    // Read committed, not a snapshot: the audit append below must see the chain's latest event.
    return this.dataSource.transaction(async (tx) => {
      const escalation = await this.mine(tx, staff, id);
      const agency = escalation.agency!;
      const actions = actionsFor(await this.actions.listWithRecipient(tx, escalation.case_id), agency);
      const holds = (await this.escalations.holdsOf(tx, escalation.case_id)).map((hold) => holdFor(hold, agency));
      const events = eventsFor(await this.cases.events(tx, escalation.case_id, Number.MAX_SAFE_INTEGER), agency);
      const audit = await this.escalations.caseAudit(tx, escalation.case_id, agency);
      const createdAt = new Date();
      const built = buildExportPackage(exportFiles({ escalation, actions, holds, events, audit }), { escalationId: id, createdAt });
      await this.audit.append(
        {
          actor: actorOf(staff),
          action: 'escalation.exported',
          target: { type: 'escalation', id },
          detail: { caseId: escalation.case_id, manifestSha256: built.manifestSha256, createdAt: built.manifest.createdAt, files: built.manifest.files },
        },
        tx,
      );
      const stamp = built.manifest.createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      return { zip: Buffer.from(built.zip), fileName: `escalation-${id}-${stamp}.zip`, manifestSha256: built.manifestSha256 };
    });
  }

  /** The escalation if it is addressed to the liaison's agency; else 404, exactly as for one that does not exist. */
  private async mine(db: SqlRunner, staff: StaffPrincipal, id: string): Promise<EscalationRow> {
    const agency = agencyOf(staff);
    const row = agency === null ? null : await this.escalations.find(db, id, agency);
    if (!row) throw new ProblemException('resource_not_found');
    return row;
  }

  /** The escalation in full, as its agency may see it (see agency-scope). */
  private async detailIn(db: SqlRunner, row: EscalationRow): Promise<EscalationDetailView> {
    const agency = row.agency!;
    const holds = (await this.escalations.holdsOf(db, row.case_id)).map((hold) => toEscalationHoldView(holdFor(hold, agency)));
    const actions = actionsFor(await loadActions(db, row.case_id), agency);
    const events = eventsFor(await this.cases.events(db, row.case_id, TIMELINE_SHOWN), agency);
    const active = holds.find((hold) => hold.liftedAt === null) ?? null;
    const hosts = [row.host, ...(row.hosting?.cnames ?? [])];
    return {
      ...toEscalationView(row, active !== null),
      verdict: row.verdict,
      classification: row.classification,
      reportCount: row.report_count,
      firstReportedAt: row.first_reported_at.toISOString(),
      lastReportedAt: row.last_reported_at.toISOString(),
      removedAt: row.removed_at?.toISOString() ?? null,
      hold: active,
      holds,
      actions,
      timeline: events.map((event) => toTimelineEvent(event, { blind: false, hosts })),
    };
  }
}

/** The liaison's agency (a principal without one sees no escalation at all). */
function agencyOf(staff: StaffPrincipal): string | null {
  return staff.role === 'le_liaison' && staff.agency ? staff.agency : null;
}

function cursorOf(row: EscalationRow): EscalationCursor {
  return {
    acknowledged: row.acknowledged_at !== null,
    confirmedOnly: row.escalation !== 'notice_unanswered',
    priority: row.priority,
    victimIdentifiable: row.victim_identifiable,
    at: row.order_at,
    id: row.id,
  };
}
