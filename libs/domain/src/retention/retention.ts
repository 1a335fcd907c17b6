import type { CaseStatus } from '../case/case-status';

/**
 * Retention: how long each class of personal or sensitive data is kept, and when it is due for
 * the purge. The purge removes the data, never the record that it existed: a report keeps its
 * reference, times and counts, a reported URL its canonical form and dedup key (deduplication and
 * statistics need them), a case everything. The audit log is never purged.
 */

/** The classes the purge removes, in the order it takes them. */
export const RETENTION_CLASSES = ['reporter_contact', 'report_description', 'raw_url', 'staff_session'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

/**
 * Classes named in every purge report that the purge never removes: export packages (the LE
 * export is built on demand and handed over, never stored) and the audit log (kept for ever).
 */
export const NOT_STORED_CLASSES = ['export_package'] as const;
export const NEVER_PURGED_CLASSES = ['audit_log'] as const;

/**
 * Settled verdicts after which a case's raw URLs (the URLs exactly as reporters typed them, with
 * whatever they carried: session ids, names in paths) have no further use. Illegal content keeps
 * them: they are evidence. (A case never closes from these statuses: `closed` follows removal.)
 */
export const RAW_URL_PURGE_STATUSES: readonly CaseStatus[] = Object.freeze(['not_illegal', 'harmful_not_illegal', 'out_of_remit', 'unassessable'] as const);

/** How long each class is kept, in ms. */
export interface RetentionPolicy {
  /** Reporter contact from receipt (CONTACT_RETENTION_DAYS; each report also carries its own erasure date). */
  contactMs: number;
  /** Report description from receipt. */
  descriptionMs: number;
  /** Raw URL from the case's settling not illegal (and from the URL's receipt, whichever is later). */
  rawUrlMs: number;
  /** Staff session from its end (expiry or revocation). */
  sessionMs: number;
}

/** The moments a run at `now` compares with: data from at or before them is due. */
export interface RetentionCutoffs {
  now: Date;
  contactReceivedBy: Date;
  descriptionReceivedBy: Date;
  rawUrlSettledBy: Date;
  sessionEndedBy: Date;
}

export function retentionCutoffs(policy: RetentionPolicy, now: Date): RetentionCutoffs {
  const before = (ms: number) => new Date(now.getTime() - ms);
  return {
    now,
    contactReceivedBy: before(policy.contactMs),
    descriptionReceivedBy: before(policy.descriptionMs),
    rawUrlSettledBy: before(policy.rawUrlMs),
    sessionEndedBy: before(policy.sessionMs),
  };
}

/**
 * A reporter contact is due at its own erasure date (set at intake, and told to the reporter) or
 * once older than the retention now configured, whichever comes first: shortening
 * CONTACT_RETENTION_DAYS applies to contacts already kept. Never while a case of the report is held.
 */
export function contactDue(report: { contactDeleteAfter: Date | null; receivedAt: Date; held: boolean }, cutoffs: RetentionCutoffs): boolean {
  if (report.held) return false;
  const erasureDate = report.contactDeleteAfter !== null && report.contactDeleteAfter.getTime() <= cutoffs.now.getTime();
  return erasureDate || report.receivedAt.getTime() <= cutoffs.contactReceivedBy.getTime();
}

/** A description is due once older than its retention, unless a case of the report is held. */
export function descriptionDue(report: { receivedAt: Date; held: boolean }, cutoffs: RetentionCutoffs): boolean {
  return !report.held && report.receivedAt.getTime() <= cutoffs.descriptionReceivedBy.getTime();
}

/**
 * A raw URL is due when its case is settled not illegal (RAW_URL_PURGE_STATUSES) and has been for
 * the retention, and the URL itself was received at least that long ago (a new report of a URL
 * settled long ago keeps its raw form for the full time); never while the case is held.
 * `settledAt` is when the case entered its status (its latest status-bearing case event).
 */
export function rawUrlDue(url: { caseStatus: CaseStatus; settledAt: Date; receivedAt: Date; held: boolean }, cutoffs: RetentionCutoffs): boolean {
  if (url.held || !RAW_URL_PURGE_STATUSES.includes(url.caseStatus)) return false;
  const by = cutoffs.rawUrlSettledBy.getTime();
  return url.settledAt.getTime() <= by && url.receivedAt.getTime() <= by;
}

/** When a staff session ended: revoked, lapsed unused, or at its hard limit, whichever came first. */
export function sessionEndedAt(session: { expiresAt: Date; maxExpiresAt: Date; revokedAt: Date | null }): Date {
  const ends = [session.expiresAt, session.maxExpiresAt, ...(session.revokedAt ? [session.revokedAt] : [])].map((d) => d.getTime());
  return new Date(Math.min(...ends));
}

/** A session row is due once it ended longer ago than the retention (legal holds are on cases, not sessions). */
export function sessionDue(session: { expiresAt: Date; maxExpiresAt: Date; revokedAt: Date | null }, cutoffs: RetentionCutoffs): boolean {
  return sessionEndedAt(session).getTime() <= cutoffs.sessionEndedBy.getTime();
}

export type PurgeCounts = Record<RetentionClass, number>;

export function noneRemoved(): PurgeCounts {
  return Object.fromEntries(RETENTION_CLASSES.map((c) => [c, 0])) as PurgeCounts;
}

export function totalRemoved(counts: PurgeCounts): number {
  return RETENTION_CLASSES.reduce((sum, c) => sum + counts[c], 0);
}

/** The one line a purge run logs: every class with its count, and what the purge never takes. */
export function purgeSummary(counts: PurgeCounts, options: { dryRun?: boolean } = {}): string {
  const classes = RETENTION_CLASSES.map((c) => `${c}=${counts[c]}`).join(' ');
  const verb = options.dryRun ? 'would remove' : 'removed';
  return `retention purge ${verb} ${classes} (export packages are never stored; the audit log is never purged)`;
}
