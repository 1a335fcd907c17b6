import type { ActionRow, CaseRow } from '../cases/case.row';

/**
 * An escalation: a police referral (an `action` of kind police_referral) as its agency's liaisons
 * see it, with the facts of its case they need to rank and open it. Never the canonical URL here
 * (the inbox and the detail page show it defanged; only the export carries it), never anything of
 * a reporter.
 */
export interface EscalationRow
  extends
    Pick<
      ActionRow,
      'id' | 'case_id' | 'agency' | 'escalation' | 'status' | 'reason' | 'channel' | 'parent_action_id' | 'sent_at' | 'acknowledged_at' | 'acknowledged_by' | 'created_at'
    >,
    Pick<
      CaseRow,
      | 'canonical_url'
      | 'host'
      | 'registrable_domain'
      | 'priority'
      | 'victim_identifiable'
      | 'hosting_class'
      | 'hosting'
      | 'verdict'
      | 'classification'
      | 'report_count'
      | 'first_reported_at'
      | 'last_reported_at'
      | 'removed_at'
    > {
  case_status: CaseRow['status'];
  /** The inbox's keyset position of this escalation (see EscalationCursor), as PostgreSQL wrote it. */
  order_at: string;
}

/** A police hold on the notices of a case (notice_hold): active while lifted_at is null. */
export interface NoticeHoldRow {
  id: string;
  case_id: string;
  agency: string;
  reason: string;
  placed_by: string;
  placed_at: Date;
  lifted_by: string | null;
  lifted_at: Date | null;
}

/**
 * The position of an escalation in its agency's inbox. The unacknowledged come first, most urgent
 * first: escalated because a host ignored its notice, then the case's priority (higher first),
 * then a child who may be identifiable, then the oldest; the id breaks ties. The acknowledged
 * follow, newest first.
 */
export interface EscalationCursor {
  acknowledged: boolean;
  confirmedOnly: boolean;
  priority: number;
  victimIdentifiable: boolean;
  /** created_at as PostgreSQL wrote it (microseconds, which a JS Date would cut). */
  at: string;
  id: string;
}

/** One audit event about a case, as an export lists it. */
export interface CaseAuditRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** An action of a case as the escalation detail and export show it: with its recipient organisation (a host's desk, never a reporter). */
export type EscalationActionRow = ActionRow & { recipient_organisation: string | null };
