import { ACTION_STATUSES, CASE_STATUSES, Classification, defangHost, defangUrl, ESCALATION_REASONS, HOSTING_CLASSES, VERDICTS } from '@hotline/domain';
import type { EscalationRow } from '@hotline/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CaseActionView, ClassificationView, TimelineEventView } from '../cases/case-view';
import type { ScopedHold } from './agency-scope';

/** Where the content is hosted, as a liaison needs it to act (no URL here: the case's is defanged beside it). */
export class EscalationHostingView {
  @ApiProperty({ enum: HOSTING_CLASSES })
  class: string;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'ISO 3166-1 alpha-2' })
  country: string | null;

  @ApiProperty({ type: Number, nullable: true })
  asn: number | null;

  @ApiProperty({ type: String, nullable: true })
  organisation: string | null;

  @ApiProperty({ type: [String], description: 'CNAME chain followed, defanged' })
  cnames: string[];
}

/** One escalation in an agency's inbox: a police referral of a confirmed case, never anything of a reporter. */
export class EscalationView {
  @ApiProperty({ format: 'uuid', description: 'The escalation (the police referral action)' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  caseId: string;

  @ApiProperty()
  agency: string;

  @ApiProperty({ enum: ESCALATION_REASONS, description: 'confirmed: the case was confirmed illegal; notice_unanswered: the host ignored the notice and its reminders' })
  reason: string;

  @ApiProperty({ enum: ACTION_STATUSES })
  status: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it reached the inbox' })
  sentAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  acknowledgedAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ example: 'hxxp://example[.]com/a', description: 'The case URL, defanged (the export package carries it as it is)' })
  url: string;

  @ApiProperty({ example: 'example[.]com' })
  host: string;

  @ApiProperty({ enum: CASE_STATUSES })
  caseStatus: string;

  @ApiProperty({ minimum: 0, maximum: 100 })
  priority: number;

  @ApiProperty({ description: 'A reporter said a child may be identifiable or in danger now' })
  victimIdentifiable: boolean;

  @ApiProperty({ type: EscalationHostingView })
  hosting: EscalationHostingView;

  @ApiProperty({ description: 'A police hold is in force on the notices to the host' })
  onHold: boolean;
}

/**
 * A police hold on the case's notices. One of another agency is shown only as being there (the
 * notices are held all the same): without its agency, reason or liaisons.
 */
export class EscalationHoldView {
  @ApiProperty({ description: 'Placed by this agency; false: by another agency (agency and reason not shown)' })
  ours: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'The agency that placed it; null when another agency did' })
  agency: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why, in the liaison’s words; null when another agency placed it' })
  reason: string | null;

  @ApiProperty({ format: 'date-time' })
  placedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null while it is in force' })
  liftedAt: string | null;
}

export function toEscalationHoldView(hold: ScopedHold): EscalationHoldView {
  return { ours: hold.ours, agency: hold.agency, reason: hold.reason, placedAt: hold.placedAt.toISOString(), liftedAt: hold.liftedAt?.toISOString() ?? null };
}

/** One escalation in full: the case's facts without content, its timeline, actions with their delivery results, holds. */
export class EscalationDetailView extends EscalationView {
  @ApiProperty({ type: String, nullable: true, enum: VERDICTS })
  verdict: string | null;

  @ApiProperty({ type: ClassificationView, nullable: true })
  classification: Classification | null;

  @ApiProperty()
  reportCount: number;

  @ApiProperty({ format: 'date-time' })
  firstReportedAt: string;

  @ApiProperty({ format: 'date-time' })
  lastReportedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  removedAt: string | null;

  @ApiProperty({ type: EscalationHoldView, nullable: true, description: 'The hold in force, if any (whichever agency placed it)' })
  hold: EscalationHoldView | null;

  @ApiProperty({ type: [EscalationHoldView], description: 'Every hold the case had, oldest first' })
  holds: EscalationHoldView[];

  @ApiProperty({ type: [CaseActionView], description: 'The actions of the case, oldest first, with their delivery results; police referrals only of this agency' })
  actions: CaseActionView[];

  @ApiProperty({ type: [TimelineEventView], description: 'The case events, oldest first; of another agency’s referral none, of its holds only that there was one' })
  timeline: TimelineEventView[];
}

export class EscalationPage {
  @ApiProperty({ type: [EscalationView] })
  items: EscalationView[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' })
  nextCursor: string | null;

  @ApiProperty({ description: 'Escalations of the agency not yet acknowledged' })
  unacknowledged: number;
}

export function toEscalationView(row: EscalationRow, onHold: boolean): EscalationView {
  return {
    id: row.id,
    caseId: row.case_id,
    agency: row.agency ?? '',
    reason: row.escalation ?? 'confirmed',
    status: row.status,
    sentAt: row.sent_at?.toISOString() ?? null,
    acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    url: defangUrl(row.canonical_url),
    host: defangHost(row.host),
    caseStatus: row.case_status,
    priority: row.priority,
    victimIdentifiable: row.victim_identifiable,
    hosting: {
      class: row.hosting_class,
      ip: row.hosting?.ip ?? null,
      country: row.hosting?.country ?? null,
      asn: row.hosting?.asn ?? null,
      organisation: row.hosting?.organisation ?? null,
      cnames: (row.hosting?.cnames ?? []).map(defangHost),
    },
    onHold,
  };
}
