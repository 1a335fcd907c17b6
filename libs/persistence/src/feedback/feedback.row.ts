import type { CaseStatus } from '@hotline/domain';

export type FeedbackPublicStatus = 'in_review' | 'action_taken' | 'closed';
/** How far a feedback mail got (report_feedback.state). */
export const FEEDBACK_STATES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type FeedbackState = (typeof FEEDBACK_STATES)[number];

/** One row of report_feedback: a public status a reporter is (to be) told, once. Never the address. */
export interface ReportFeedbackRow {
  id: string;
  report_id: string;
  public_status: FeedbackPublicStatus;
  state: FeedbackState;
  attempts: number;
  /** An allowlisted failure or skip code (MailDeliveryError.code), never an SMTP reply's text. */
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** The facts of one case of a report with a live contact, as publicReportStatus needs them. */
export interface FeedbackCaseFacts {
  report_id: string;
  status: CaseStatus;
  claimed_since_report: boolean;
  has_actions: boolean;
  settled_without_human: boolean;
}

/** One batch of the feedback scan: case events after the cursor, up to `through`. */
export interface FeedbackScanBatch {
  /** The last event this batch may be said to have read (the cursor's next value); null: none can be passed yet. */
  through: string | null;
  /** Events read past the cursor, including any not yet passable. */
  read: number;
  /** The first event after a gap the batch stopped at (not passed); null when no gap stopped it. */
  blockedAt: string | null;
  /** The last event read (passed or not). */
  lastRead: string | null;
  /** Gaps in the ids this batch passed (those up to passGapsThrough). */
  gapsPassed: number;
  /** When the events were read (the database's clock, after the statement's snapshot). */
  seenAt: Date;
  /** Reports with a live contact touched by those events. */
  reportIds: string[];
  /** The cases of those reports. */
  cases: FeedbackCaseFacts[];
}

/** What composing a feedback mail reads: the row, and the report it is about (the contact still encrypted). */
export interface FeedbackMailRow {
  id: string;
  public_status: FeedbackPublicStatus;
  state: FeedbackState;
  report_id: string;
  reference: string;
  language: string;
  contact_encrypted: Buffer | null;
  contact_delete_after: Date | null;
}
