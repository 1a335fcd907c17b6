import type {
  ActionKind,
  ActionStatus,
  CaseSource,
  CaseStatus,
  EscalationReason,
  Classification,
  HostingClass,
  HostingStatus,
  LeaseEndReason,
  PriorityFactor,
  ReportedContentType,
  Verdict,
} from '@hotline/domain';

/** What a hosting trace found (the `hosting` column). */
export interface HostingTrace {
  ip: string | null;
  country: string | null;
  asn: number | null;
  organisation: string | null;
  cnames: string[];
}

/** One row of "case": one reported URL (dedup key), unique while not closed. */
export interface CaseRow {
  id: string;
  dedup_key: string;
  canonical_url: string;
  host: string;
  status: CaseStatus;
  queue: string | null;
  priority: number;
  report_count: number;
  first_reported_at: Date;
  last_reported_at: Date;
  created_at: Date;
  updated_at: Date;
  registrable_domain: string | null;
  source: CaseSource;
  language: string | null;
  content_type: ReportedContentType | null;
  victim_identifiable: boolean;
  priority_factors: PriorityFactor[];
  routed_by: string | null;
  queued_at: Date | null;
  reappeared_count: number;
  hosting_status: HostingStatus;
  hosting_class: HostingClass;
  hosting: HostingTrace | null;
  hosting_error: string | null;
  known_url_id: string | null;
  settled_by: 'known_url' | null;
  verdict: Verdict | null;
  lease_holder: string | null;
  lease_expires_at: Date | null;
  classification: Classification | null;
  assessed_by: string | null;
  assessed_at: Date | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  partner_id: string | null;
  partner_reference: string | null;
  removed_at: Date | null;
}

/**
 * One row of case_event: what happened to a case and when, the source of every statistic.
 * Status-bearing events (`created`, `transition`) carry `to_status`; the latest of them always
 * names the case's status (`cases:verify-events` checks it).
 */
export interface CaseEventRow {
  id: string; // bigint, as text
  case_id: string;
  at: Date;
  kind: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus | null;
  detail: Record<string, unknown>;
}

/** One row of case_lease: every lease an analyst held, which the exposure limit is computed from. */
export interface CaseLeaseRow {
  id: string; // bigint, as text
  case_id: string;
  staff_user_id: string;
  claimed_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: LeaseEndReason | null;
}

export type AssessmentKind = 'assessment' | 'review' | 'appeal' | 'appeal_review';

/** One row of assessment: a verdict, a review of one, or an appeal (append-only). */
export interface AssessmentRow {
  id: string;
  case_id: string;
  kind: AssessmentKind;
  staff_user_id: string;
  verdict: Verdict | null;
  decision: 'confirm' | 'overturn' | null;
  classification: Classification | null;
  notes: string | null;
  created_at: Date;
}

/** One row of action: what a confirmed case needs (police referral, notice, partner forward). */
export interface ActionRow {
  id: string;
  case_id: string;
  kind: ActionKind;
  channel: string;
  partner_id: string | null;
  status: ActionStatus;
  reason: string;
  attempts: number;
  external_ref: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  /** A reminder's notice; an unanswered-notice escalation's notice. */
  parent_action_id: string | null;
  /** police_referral: the agency whose liaisons receive it. */
  agency: string | null;
  /** police_referral: why it was made. */
  escalation: EscalationReason | null;
  /** notice, reminder: the abuse desk it went to. */
  abuse_contact_id: string | null;
  recipient: string | null;
  language: string | null;
  sent_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  /** notice: when its next reminder is due. */
  next_reminder_at: Date | null;
  reminders_sent: number;
}
