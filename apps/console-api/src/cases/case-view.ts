import {
  ACTION_KINDS,
  ACTION_STATUSES,
  AGE_GROUPS,
  ASSESSMENT_KINDS,
  CASE_SOURCES,
  CASE_STATUSES,
  CaseStatus,
  Classification,
  CLASSIFIED_CONTENT_TYPES,
  defangHost,
  defangUrl,
  GENDERS,
  HOSTING_CLASSES,
  HOSTING_STATUSES,
  PriorityFactor,
  REMOVAL_CHECK_OUTCOMES,
  REPORT_SOURCES,
  REVIEW_DECISIONS,
  SETTLED_BY,
  SITE_TYPES,
  VERDICTS,
} from '@hotline/domain';
import { EXCHANGE_DIRECTIONS, EXCHANGE_MESSAGE_STATUSES, EXCHANGE_MESSAGE_TYPES } from '@hotline/exchange';
import type { CaseEventRow, CaseRow } from '@hotline/persistence';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LegalHoldView } from '../legal-hold/legal-hold-view';

export class HostingView {
  @ApiProperty({ enum: HOSTING_STATUSES })
  status: string;

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

  @ApiProperty({ type: String, nullable: true, description: 'Why the trace failed, while it is unresolved; host names in it defanged' })
  error: string | null;
}

export class PriorityFactorView {
  @ApiProperty()
  factor: string;

  @ApiProperty()
  points: number;

  @ApiProperty()
  detail: string;
}

export class LeaseView {
  @ApiProperty({ format: 'uuid', description: 'The staff user holding the case' })
  assignee: string;

  @ApiProperty({ format: 'date-time', description: 'When the case returns to its queue unless the holder sends a heartbeat' })
  expiresAt: string;
}

/** A case as staff lists see it: the URL defanged, no reporter data. */
export class CaseView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  status: string;

  @ApiProperty({ type: String, nullable: true })
  queue: string | null;

  @ApiProperty({ minimum: 0, maximum: 100 })
  priority: number;

  @ApiProperty({ type: [PriorityFactorView], description: 'Why this priority' })
  priorityFactors: PriorityFactor[];

  @ApiProperty()
  reportCount: number;

  @ApiProperty({ example: 'hxxp://example[.]com/a', description: 'Defanged; revealing the raw URL is an audited action' })
  url: string;

  @ApiProperty({ example: 'example[.]com' })
  host: string;

  @ApiProperty({ type: String, nullable: true })
  registrableDomain: string | null;

  @ApiProperty({ type: HostingView })
  hosting: HostingView;

  @ApiProperty({ enum: CASE_SOURCES })
  source: string;

  @ApiProperty()
  reappearedCount: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    enum: SETTLED_BY,
    description: 'Settled without a human viewing it; in the case detail, hidden (null) from a blind reviewer',
  })
  settledBy: string | null;

  @ApiProperty({ format: 'date-time' })
  firstReportedAt: string;

  @ApiProperty({ format: 'date-time' })
  lastReportedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  queuedAt: string | null;

  @ApiProperty({ type: LeaseView, nullable: true, description: 'Who holds the case while it is in assessment; null otherwise' })
  lease: LeaseView | null;
}

export class ClassificationView {
  @ApiProperty({ enum: AGE_GROUPS })
  ageGroup: string;

  @ApiProperty({ enum: GENDERS })
  gender: string;

  @ApiProperty({ enum: CLASSIFIED_CONTENT_TYPES })
  contentType: string;

  @ApiProperty({ enum: SITE_TYPES })
  siteType: string;

  @ApiProperty()
  commercial: boolean;

  @ApiProperty({ description: 'One of the configured national legal categories' })
  legalCategory: string;
}

/** One report of the case's URL: metadata only, never its reference, contact or description. */
export class CaseReportView {
  @ApiProperty({ format: 'date-time' })
  receivedAt: string;

  @ApiProperty({ enum: REPORT_SOURCES })
  source: string;

  @ApiProperty()
  language: string;

  @ApiProperty({ type: String, nullable: true })
  contentType: string | null;

  @ApiProperty()
  victimIdentifiable: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'The URL as reported, defanged; null once the retention purge took it (RAW_URL_RETENTION)' })
  url: string | null;
}

export class DomainVerdictView {
  @ApiProperty({ format: 'uuid' })
  caseId: string;

  @ApiProperty({ enum: VERDICTS })
  verdict: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  assessedAt: string | null;
}

/** What earlier cases on the same registrable domain were judged to be. */
export class DomainHistoryView {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { baseline: 3, not_illegal: 1 } })
  counts: Record<string, number>;

  @ApiProperty({ type: [DomainVerdictView], description: 'The latest ten' })
  latest: DomainVerdictView[];
}

/** An assessment, review or appeal as recorded. Blind reviewers see who and when, not what. */
export class AssessmentView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ASSESSMENT_KINDS,
    description:
      'Withheld (null) from a blind reviewer, as a second review follows only an illegal verdict; except on the latest entry, what sent the case to review (an assessment or an appeal), which the review list shows anyway',
  })
  kind: string | null;

  @ApiProperty({ format: 'uuid' })
  staffUserId: string;

  @ApiProperty({ type: String, nullable: true, enum: VERDICTS })
  verdict: string | null;

  @ApiProperty({ type: String, nullable: true, enum: REVIEW_DECISIONS })
  decision: string | null;

  @ApiProperty({ type: ClassificationView, nullable: true })
  classification: Classification | null;

  @ApiProperty({ type: String, nullable: true })
  notes: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** An action taken (or to take) on a confirmed case: where it went, why, and how its delivery went. */
export class CaseActionView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ACTION_KINDS })
  kind: string;

  @ApiProperty({ description: "national_police, interpol, hosting_provider, or the partner hotline's name" })
  channel: string;

  @ApiProperty({ enum: ACTION_STATUSES })
  status: string;

  @ApiProperty({ description: 'The routing decision in words' })
  reason: string;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed (e.g. a forward the partner could not be reached for)' })
  lastError: string | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ description: 'Delivery attempts made so far' })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was delivered (a referral: when it reached its agency’s inbox)' })
  sentAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Notice, reminder: the organisation of the abuse desk it went to (never its address here)' })
  recipientOrganisation: string | null;

  @ApiProperty({ description: 'Notice: reminders sent so far' })
  remindersSent: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Notice: when the next reminder is due; null when none is' })
  nextReminderAt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Police referral: the agency whose liaisons receive it' })
  agency: string | null;

  @ApiProperty({ type: String, nullable: true, enum: ['confirmed', 'notice_unanswered'], description: 'Police referral: why it was made' })
  escalation: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Police referral: when its agency acknowledged it' })
  acknowledgedAt: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'A reminder’s notice; an unanswered notice’s referral: that notice' })
  parentActionId: string | null;
}

/** A police hold on the notices of a case: while it is in force no notice or reminder goes to the host (the clocks keep running). */
export class NoticeHoldView {
  @ApiProperty({ description: 'The agency that placed it' })
  agency: string;

  @ApiProperty({ description: 'Why, in the liaison’s words' })
  reason: string;

  @ApiProperty({ format: 'date-time' })
  placedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null while it is in force' })
  liftedAt: string | null;
}

/** The last check of whether the content is still online (REMOVAL_CHECK_ENABLED): outcome and status code only, never what was seen. */
export class RemovalCheckView {
  @ApiProperty({ format: 'date-time' })
  checkedAt: string;

  @ApiProperty({ enum: REMOVAL_CHECK_OUTCOMES })
  outcome: string;

  @ApiProperty({ type: Number, nullable: true, description: 'The HTTP status of the answer; null when there was none (NXDOMAIN, refused, unreachable)' })
  httpStatus: number | null;
}

/** An exchange message with a partner hotline about this case (never its payload). */
export class CaseExchangeMessageView {
  @ApiProperty({ enum: EXCHANGE_DIRECTIONS })
  direction: string;

  @ApiProperty({ enum: EXCHANGE_MESSAGE_TYPES })
  type: string;

  @ApiProperty({ enum: EXCHANGE_MESSAGE_STATUSES })
  status: string;

  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: string | null;
}

/** One event of the case's life (case_event), for its timeline. */
export class TimelineEventView {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'transition',
    description:
      'created, transition (a status change), routed, hosting_resolved, actions_decided, forward_sent, ...; null when withheld from a blind reviewer (events that follow from a verdict, such as actions and forwards)',
  })
  kind: string | null;

  @ApiProperty({ type: String, nullable: true, enum: CASE_STATUSES, description: 'The status before a status change; null otherwise, or withheld' })
  fromStatus: string | null;

  @ApiProperty({ type: String, nullable: true, enum: CASE_STATUSES, description: 'The status after a status change (or at creation); null otherwise, or withheld' })
  toStatus: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The staff user the event names as having done it (claims, releases), if any' })
  actorId: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the event recorded (step, reason, queue, partner, ...), host names defanged; empty when withheld',
  })
  detail: Record<string, unknown>;

  @ApiProperty({ description: 'True when a blind reviewer is not shown what this event says of the verdict under review (its kind, statuses that tell it, the detail)' })
  withheld: boolean;
}

/** One case in full, for the analyst workspace. */
export class CaseDetailView extends CaseView {
  @ApiProperty({ type: String, nullable: true, enum: VERDICTS, description: 'Hidden (null) from blind reviewers while the case waits for review' })
  verdict: string | null;

  @ApiProperty({ type: ClassificationView, nullable: true, description: 'Hidden (null) from blind reviewers while the case waits for review' })
  classification: Classification | null;

  @ApiProperty({ description: 'True when the verdict under review is hidden from the caller (blind review)' })
  blindReview: boolean;

  @ApiProperty({ type: [CaseReportView], description: 'The latest 100 reports of this URL' })
  reports: CaseReportView[];

  @ApiProperty({ type: DomainHistoryView, nullable: true, description: 'Null when the case has no registrable domain' })
  domainHistory: DomainHistoryView | null;

  @ApiProperty({ type: [AssessmentView] })
  assessments: AssessmentView[];

  @ApiProperty({
    type: [CaseActionView],
    description: 'Actions decided once the case was confirmed, oldest first; empty for a blind reviewer (they follow from the verdict)',
  })
  actions: CaseActionView[];

  @ApiProperty({ type: NoticeHoldView, nullable: true, description: 'The police hold in force on the notices to the host, if any; null for a blind reviewer' })
  hold: NoticeHoldView | null;

  @ApiProperty({ type: LegalHoldView, nullable: true, description: 'The legal hold in force, if any: the retention purge takes nothing of the case while it is' })
  legalHold: LegalHoldView | null;

  @ApiProperty({ type: RemovalCheckView, nullable: true, description: 'The last availability check, if the monitor checked this case; null for a blind reviewer' })
  removalCheck: RemovalCheckView | null;

  @ApiProperty({
    type: [CaseExchangeMessageView],
    description: 'Messages exchanged with partner hotlines about this case, oldest first; empty for a blind reviewer (forwards follow from the verdict)',
  })
  exchange: CaseExchangeMessageView[];

  @ApiProperty({ type: [TimelineEventView], description: 'The case events, oldest first (the latest 500)' })
  timeline: TimelineEventView[];
}

/** The columns a case view is made of. */
export type CaseRecord = Pick<
  CaseRow,
  | 'id'
  | 'status'
  | 'queue'
  | 'priority'
  | 'priority_factors'
  | 'report_count'
  | 'canonical_url'
  | 'host'
  | 'registrable_domain'
  | 'hosting_status'
  | 'hosting_class'
  | 'hosting'
  | 'hosting_error'
  | 'source'
  | 'reappeared_count'
  | 'settled_by'
  | 'first_reported_at'
  | 'last_reported_at'
  | 'queued_at'
  | 'lease_holder'
  | 'lease_expires_at'
>;

export function toCaseView(row: CaseRecord): CaseView {
  return {
    id: row.id,
    status: row.status,
    queue: row.queue,
    priority: row.priority,
    priorityFactors: row.priority_factors,
    reportCount: row.report_count,
    url: defangUrl(row.canonical_url),
    host: defangHost(row.host),
    registrableDomain: row.registrable_domain ? defangHost(row.registrable_domain) : null,
    hosting: {
      status: row.hosting_status,
      class: row.hosting_class,
      ip: row.hosting?.ip ?? null,
      country: row.hosting?.country ?? null,
      asn: row.hosting?.asn ?? null,
      organisation: row.hosting?.organisation ?? null,
      cnames: (row.hosting?.cnames ?? []).map(defangHost),
      error: row.hosting_error === null ? null : defangHostsIn(row.hosting_error, [row.host, ...(row.hosting?.cnames ?? [])]),
    },
    source: row.source,
    reappearedCount: row.reappeared_count,
    settledBy: row.settled_by,
    firstReportedAt: row.first_reported_at.toISOString(),
    lastReportedAt: row.last_reported_at.toISOString(),
    queuedAt: row.queued_at?.toISOString() ?? null,
    lease: row.lease_holder && row.lease_expires_at ? { assignee: row.lease_holder, expiresAt: row.lease_expires_at.toISOString() } : null,
  };
}

// Statuses that say nothing of a verdict: a blind reviewer may see a case go through them.
const VERDICT_NEUTRAL_STATUSES: readonly CaseStatus[] = ['queued', 'in_assessment', 'pending_review', 'reappeared'];
// Events a blind reviewer may read in full: placement, hosting, claims and releases (when their
// statuses are neutral). Everything else follows from a verdict (actions, forwards) or names one.
const BLIND_READABLE_KINDS = new Set(['created', 'transition', 'routed', 'hosting_resolved', 'hosting_unresolved']);
// Detail that names or implies a verdict (an assessment's, a known-URL list's, a review's).
const VERDICT_DETAIL_KEYS = ['verdict', 'decision', 'step', 'settledBy', 'list', 'contentType'];

/**
 * One case event as its viewer may see it. A blind reviewer sees when things happened and what
 * tells nothing of the verdict under review (claims, releases, placement, hosting); the detail of
 * any other event (the assessment's verdict is in it) and a status that follows from a verdict (an
 * appeal of `not_illegal` starts from it) are withheld, and so is the kind of an event that follows
 * from a verdict (actions decided, a forward sent). `earlierRound`: the event came before the case
 * last entered review (an appealed case), when going to review said the verdict was illegal (only
 * an illegal verdict goes to review), so `pending_review` tells too. Host names in the detail (a
 * resolver's error) are defanged like everywhere else.
 */
export function toTimelineEvent(row: CaseEventRow, options: { blind: boolean; hosts: string[]; earlierRound?: boolean }): TimelineEventView {
  const detail = row.detail ?? {};
  const by = detail.by;
  const neutral = (status: CaseStatus | null) => status === null || (VERDICT_NEUTRAL_STATUSES.includes(status) && !(options.earlierRound && status === 'pending_review'));
  const statusesShown = !options.blind || (neutral(row.from_status) && neutral(row.to_status));
  const detailShown = !options.blind || (statusesShown && BLIND_READABLE_KINDS.has(row.kind) && !VERDICT_DETAIL_KEYS.some((key) => key in detail));
  const shown = (status: CaseStatus | null) => (options.blind && !neutral(status) ? null : status);
  // Actions decided, forwards sent: that they happened at all says the case was confirmed.
  const kindShown = !options.blind || BLIND_READABLE_KINDS.has(row.kind);
  return {
    at: row.at.toISOString(),
    kind: kindShown ? row.kind : null,
    fromStatus: shown(row.from_status),
    toStatus: shown(row.to_status),
    actorId: typeof by === 'string' ? by : null,
    detail: detailShown ? (defangHostsDeep(detail, options.hosts) as Record<string, unknown>) : {},
    withheld: !kindShown || !statusesShown || (!detailShown && Object.keys(detail).length > 0),
  };
}

function defangHostsDeep(value: unknown, hosts: string[]): unknown {
  if (typeof value === 'string') return defangHostsIn(value, hosts);
  if (Array.isArray(value)) return value.map((item) => defangHostsDeep(item, hosts));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, defangHostsDeep(item, hosts)]));
  return value;
}

/**
 * Resolver messages name the host they failed on ("<host> has no A or AAAA record"): the
 * case's host (and the CNAMEs followed) are defanged in them like everywhere else in the view.
 */
export function defangHostsIn(text: string, hosts: string[]): string {
  const names = [...new Set(hosts.map((host) => host.replace(/\.$/, '')).filter((host) => host.includes('.')))].sort((a, b) => b.length - a.length);
  if (!names.length) return text;
  const pattern = new RegExp(names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  return text.replace(pattern, (match) => defangHost(match));
}
