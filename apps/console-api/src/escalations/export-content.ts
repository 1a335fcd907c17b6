import { defangUrl } from '@hotline/domain';
import type { CaseAuditRow, CaseEventRow, EscalationActionRow, EscalationRow } from '@hotline/persistence';
import type { ScopedHold } from './agency-scope';
import { type PackageFile, toCsv } from './export-package';

/** What an export package is made of: the escalation with its case, and the case's records as its agency may see them (agency-scope). */
export interface EscalationExportData {
  escalation: EscalationRow;
  actions: readonly EscalationActionRow[];
  holds: readonly ScopedHold[];
  events: readonly CaseEventRow[];
  audit: readonly CaseAuditRow[];
}

const iso = (at: Date | null | undefined) => (at ? new Date(at).toISOString() : null);

/**
 * The files of an escalation's export package: case.json (the case, its hosting trace,
 * classification, actions with their delivery results and holds), case.csv (the case in one row),
 * timeline.csv (the case_events) and audit.csv (the audit events about the case or its actions),
 * each without what is another agency's (see agency-scope).
 *
 * This is an authorised hand-over to police, so the canonical URL is in it (with its defanged
 * copy); nothing of any reporter ever is: the rows given carry no contact, description, reporter
 * country, reference or status token (EscalationRepository reads none), and none is added here.
 */
export function exportFiles(data: EscalationExportData): PackageFile[] {
  const e = data.escalation;
  const hosting = {
    class: e.hosting_class,
    ip: e.hosting?.ip ?? null,
    country: e.hosting?.country ?? null,
    asn: e.hosting?.asn ?? null,
    organisation: e.hosting?.organisation ?? null,
    cnames: e.hosting?.cnames ?? [],
  };
  const caseFacts = {
    id: e.case_id,
    url: e.canonical_url,
    urlDefanged: defangUrl(e.canonical_url),
    host: e.host,
    registrableDomain: e.registrable_domain,
    status: e.case_status,
    verdict: e.verdict,
    classification: e.classification,
    priority: e.priority,
    victimIdentifiable: e.victim_identifiable,
    reportCount: e.report_count,
    firstReportedAt: iso(e.first_reported_at),
    lastReportedAt: iso(e.last_reported_at),
    removedAt: iso(e.removed_at),
    hosting,
  };
  const document = {
    escalation: {
      id: e.id,
      agency: e.agency,
      reason: e.escalation,
      status: e.status,
      sentAt: iso(e.sent_at),
      acknowledgedAt: iso(e.acknowledged_at),
      acknowledgedBy: e.acknowledged_by,
      parentActionId: e.parent_action_id,
    },
    case: caseFacts,
    actions: data.actions.map((a) => ({
      id: a.id,
      kind: a.kind,
      channel: a.channel,
      status: a.status,
      reason: a.reason,
      agency: a.agency,
      escalation: a.escalation,
      parentActionId: a.parent_action_id,
      recipientOrganisation: a.recipient_organisation,
      recipient: a.recipient,
      language: a.language,
      attempts: a.attempts,
      lastError: a.last_error,
      externalRef: a.external_ref,
      sentAt: iso(a.sent_at),
      acknowledgedAt: iso(a.acknowledged_at),
      remindersSent: a.reminders_sent,
      nextReminderAt: iso(a.next_reminder_at),
      createdAt: iso(a.created_at),
      updatedAt: iso(a.updated_at),
    })),
    holds: data.holds.map((h) =>
      h.ours
        ? { id: h.id, agency: h.agency, reason: h.reason, placedBy: h.placedBy, placedAt: iso(h.placedAt), liftedBy: h.liftedBy, liftedAt: iso(h.liftedAt) }
        : { byAnotherAgency: true, placedAt: iso(h.placedAt), liftedAt: iso(h.liftedAt) },
    ),
  };
  const classification = (e.classification ?? {}) as Partial<Record<string, unknown>>;
  const caseHeader = [
    'id',
    'url',
    'url_defanged',
    'host',
    'registrable_domain',
    'status',
    'verdict',
    'age_group',
    'gender',
    'content_type',
    'site_type',
    'commercial',
    'legal_category',
    'priority',
    'victim_identifiable',
    'report_count',
    'first_reported_at',
    'last_reported_at',
    'removed_at',
    'hosting_class',
    'hosting_ip',
    'hosting_country',
    'hosting_asn',
    'hosting_organisation',
    'hosting_cnames',
  ];
  const caseRow = [
    caseFacts.id,
    caseFacts.url,
    caseFacts.urlDefanged,
    caseFacts.host,
    caseFacts.registrableDomain,
    caseFacts.status,
    caseFacts.verdict,
    classification.ageGroup,
    classification.gender,
    classification.contentType,
    classification.siteType,
    classification.commercial,
    classification.legalCategory,
    caseFacts.priority,
    caseFacts.victimIdentifiable,
    caseFacts.reportCount,
    caseFacts.firstReportedAt,
    caseFacts.lastReportedAt,
    caseFacts.removedAt,
    hosting.class,
    hosting.ip,
    hosting.country,
    hosting.asn,
    hosting.organisation,
    hosting.cnames.join(' '),
  ];
  return [
    { name: 'case.json', content: `${JSON.stringify(document, null, 2)}\n` },
    { name: 'case.csv', content: toCsv(caseHeader, [caseRow]) },
    {
      name: 'timeline.csv',
      content: toCsv(
        ['id', 'at', 'kind', 'from_status', 'to_status', 'detail'],
        data.events.map((ev) => [ev.id, iso(ev.at), ev.kind, ev.from_status, ev.to_status, ev.detail ?? {}]),
      ),
    },
    {
      name: 'audit.csv',
      content: toCsv(
        ['seq', 'at', 'actor_id', 'actor_role', 'action', 'target_type', 'target_id', 'detail', 'prev_hash', 'hash'],
        data.audit.map((a) => [a.seq, iso(a.at), a.actor_id, a.actor_role, a.action, a.target_type, a.target_id, a.detail ?? {}, a.prev_hash, a.hash]),
      ),
    },
  ];
}
