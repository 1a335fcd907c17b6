import { defangUrl, isBlindTo } from '@hotline/domain';
import { ProblemException } from '@hotline/http';
import {
  actionRepository,
  assessmentRepository,
  caseRepository,
  escalationRepository,
  exchangeMessageRepository,
  legalHoldRepository,
  NoticeHoldRow,
  removalCheckRepository,
  SqlRunner as Db,
} from '@hotline/persistence';
import { loadParticipants } from '../assessment/participants';
import { LegalHoldView, toLegalHoldView } from '../legal-hold/legal-hold-view';
import {
  AssessmentView,
  CaseActionView,
  CaseDetailView,
  CaseExchangeMessageView,
  CaseReportView,
  DomainHistoryView,
  NoticeHoldView,
  RemovalCheckView,
  TimelineEventView,
  toCaseView,
  toTimelineEvent,
} from './case-view';

const REPORTS_SHOWN = 100;
const DOMAIN_CASES_SHOWN = 10;
const EVENTS_SHOWN = 500;

/**
 * The case as `viewerId` may see it. While it waits for review, the verdict under review is
 * hidden from everyone who took no part in it when review is blind (HOTLINE REVIEW_BLIND), so
 * the reviewer forms their own judgement: not only the verdict and classification, but what
 * follows from them too (actions and partner messages exist only for confirmed cases, a known-URL
 * settlement only for listed material, a second review only for an illegal verdict).
 */
export async function loadCaseDetail(db: Db, id: string, viewerId: string, reviewBlind: boolean): Promise<CaseDetailView> {
  const row = await caseRepository.find(db, id);
  if (!row) throw new ProblemException('resource_not_found');
  const participants = await loadParticipants(db, id);
  const blind = isBlindTo(viewerId, { reviewBlind, pendingReview: row.status === 'pending_review', participants });
  return {
    ...toCaseView(row),
    settledBy: blind ? null : row.settled_by,
    verdict: blind ? null : row.verdict,
    classification: blind ? null : row.classification,
    blindReview: blind,
    reports: await loadReports(db, id),
    domainHistory: row.registrable_domain ? await loadDomainHistory(db, id, row.registrable_domain) : null,
    assessments: await loadAssessments(db, id, blind),
    actions: blind ? [] : await loadActions(db, id),
    hold: blind ? null : await loadHold(db, id),
    legalHold: await loadLegalHold(db, id),
    removalCheck: blind ? null : await loadRemovalCheck(db, id),
    exchange: blind ? [] : await loadExchange(db, id),
    timeline: await loadTimeline(db, id, blind, [row.host, ...(row.hosting?.cnames ?? [])]),
  };
}

async function loadTimeline(db: Db, caseId: string, blind: boolean, hosts: string[]): Promise<TimelineEventView[]> {
  const rows = await caseRepository.events(db, caseId, EVENTS_SHOWN);
  // Only the current entry into review says nothing of the verdict: an earlier one (before an appeal) said it was illegal.
  const entered = rows.map((row) => row.to_status === 'pending_review').lastIndexOf(true);
  return rows.map((row, i) => toTimelineEvent(row, { blind, hosts, earlierRound: i < entered }));
}

/** The case's actions with their delivery results (the abuse desk by its organisation only). */
export async function loadActions(db: Db, caseId: string): Promise<CaseActionView[]> {
  const rows = await actionRepository.listWithRecipient(db, caseId);
  const iso = (at: Date | null) => at?.toISOString() ?? null;
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    channel: row.channel,
    status: row.status,
    reason: row.reason,
    lastError: row.last_error,
    updatedAt: row.updated_at.toISOString(),
    attempts: row.attempts,
    sentAt: iso(row.sent_at),
    recipientOrganisation: row.recipient_organisation,
    remindersSent: row.reminders_sent,
    nextReminderAt: iso(row.next_reminder_at),
    agency: row.agency,
    escalation: row.escalation,
    acknowledgedAt: iso(row.acknowledged_at),
    parentActionId: row.parent_action_id,
  }));
}

export function toHoldView(row: NoticeHoldRow): NoticeHoldView {
  return { agency: row.agency, reason: row.reason, placedAt: row.placed_at.toISOString(), liftedAt: row.lifted_at?.toISOString() ?? null };
}

async function loadLegalHold(db: Db, caseId: string): Promise<LegalHoldView | null> {
  const hold = await legalHoldRepository.active(db, caseId);
  return hold ? toLegalHoldView(hold) : null;
}

async function loadHold(db: Db, caseId: string): Promise<NoticeHoldView | null> {
  const hold = await escalationRepository.activeHold(db, caseId);
  return hold ? toHoldView(hold) : null;
}

async function loadRemovalCheck(db: Db, caseId: string): Promise<RemovalCheckView | null> {
  const check = await removalCheckRepository.lastOf(db, caseId);
  return check && { checkedAt: check.checked_at.toISOString(), outcome: check.outcome, httpStatus: check.http_status };
}

async function loadExchange(db: Db, caseId: string): Promise<CaseExchangeMessageView[]> {
  const rows = await exchangeMessageRepository.listForCase(db, caseId);
  return rows.map((row) => ({
    direction: row.direction,
    type: row.type,
    status: row.status,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  }));
}

async function loadReports(db: Db, caseId: string): Promise<CaseReportView[]> {
  // Reference, contact and description stay out: they identify or describe, the analyst needs neither.
  const rows = await caseRepository.reportsOf(db, caseId, REPORTS_SHOWN);
  return rows.map((row) => ({
    receivedAt: row.received_at.toISOString(),
    source: row.source,
    language: row.language,
    contentType: row.content_type,
    victimIdentifiable: row.victim_identifiable,
    url: row.raw_url === null ? null : defangUrl(row.raw_url),
  }));
}

async function loadDomainHistory(db: Db, caseId: string, domain: string): Promise<DomainHistoryView> {
  const { counts, latest } = await caseRepository.domainHistory(db, caseId, domain, DOMAIN_CASES_SHOWN);
  return {
    counts: Object.fromEntries(counts.map((row) => [row.verdict, row.n])),
    latest: latest.map((row) => ({ caseId: row.id, verdict: row.verdict!, assessedAt: row.assessed_at?.toISOString() ?? null })),
  };
}

async function loadAssessments(db: Db, caseId: string, blind: boolean): Promise<AssessmentView[]> {
  const rows = await assessmentRepository.listForCase(db, caseId);
  // A blind reviewer sees that the case was assessed (and appealed), never what was concluded. Nor
  // what kind each earlier entry was (a second review follows only an illegal verdict), but for
  // the latest: what sent the case to review, an assessment or an appeal, as the review list says.
  return rows.map((row, i) => ({
    id: row.id,
    kind: blind && i < rows.length - 1 ? null : row.kind,
    staffUserId: row.staff_user_id,
    verdict: blind ? null : row.verdict,
    decision: blind ? null : row.decision,
    classification: blind ? null : row.classification,
    notes: blind ? null : row.notes,
    createdAt: row.created_at.toISOString(),
  }));
}
