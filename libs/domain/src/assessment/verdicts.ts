/**
 * Verdicts and what they do to a case. An illegal verdict never settles a case on one analyst's
 * word: it waits for a second, different senior analyst ("four eyes"). Everything else is final
 * at assessment, though it can be appealed.
 */
import { CaseStatus } from '../case/case-status';

export const VERDICTS = ['baseline', 'national', 'harmful_not_illegal', 'not_illegal', 'unassessable', 'out_of_remit'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** INTERPOL baseline (illegal everywhere) and national (illegal under this hotline's law). */
export const ILLEGAL_VERDICTS: readonly Verdict[] = Object.freeze(['baseline', 'national'] as const);

export const REVIEW_DECISIONS = ['confirm', 'overturn'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** What a recorded judgement was: the first assessment, its review, an appeal, the appeal's review. */
export const ASSESSMENT_KINDS = ['assessment', 'review', 'appeal', 'appeal_review'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/**
 * The verdicts a known-URL list (another hotline's confirmed URLs) may carry: judgements of the
 * content itself, which hold wherever it is reported. `unassessable` and `out_of_remit` are not
 * among them: they say what one hotline could see or act on, not what the content is.
 */
export const KNOWN_URL_VERDICTS = ['baseline', 'national', 'harmful_not_illegal', 'not_illegal'] as const satisfies readonly Verdict[];
export type KnownUrlVerdict = (typeof KNOWN_URL_VERDICTS)[number];

export function isKnownUrlVerdict(value: unknown): value is KnownUrlVerdict {
  return typeof value === 'string' && (KNOWN_URL_VERDICTS as readonly string[]).includes(value);
}

/** How a case was settled without a human viewing it (only a known-URL match, so far). */
export const SETTLED_BY = ['known_url'] as const;
export type SettledBy = (typeof SETTLED_BY)[number];

/**
 * Statuses of a case whose verdict may be appealed. `unassessable` is not among them: it goes
 * back to the queue instead; `actioned` and later are past the point where an appeal can stop
 * anything from leaving.
 */
export const APPEALABLE_STATUSES: readonly CaseStatus[] = Object.freeze(['confirmed', 'not_illegal', 'harmful_not_illegal', 'out_of_remit'] as const);

export function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && (VERDICTS as readonly string[]).includes(value);
}

export function isIllegalVerdict(verdict: Verdict): boolean {
  return ILLEGAL_VERDICTS.includes(verdict);
}

/** The status each verdict settles a case in once no further review is due. */
const FINAL_STATUS: Readonly<Record<Verdict, CaseStatus>> = Object.freeze({
  baseline: 'confirmed',
  national: 'confirmed',
  harmful_not_illegal: 'harmful_not_illegal',
  not_illegal: 'not_illegal',
  unassessable: 'unassessable',
  out_of_remit: 'out_of_remit',
});

export function finalStatusOf(verdict: Verdict): CaseStatus {
  return FINAL_STATUS[verdict];
}

/** The status after the first analyst's assessment: illegal verdicts wait for review. */
export function statusAfterAssessment(verdict: Verdict): CaseStatus {
  return isIllegalVerdict(verdict) ? 'pending_review' : finalStatusOf(verdict);
}

/**
 * The outcome of a review (or appeal review). Confirming keeps the verdict under review;
 * overturning replaces it with the reviewer's own.
 */
export function reviewOutcome(decision: ReviewDecision, verdictUnderReview: Verdict, reviewerVerdict?: Verdict): { verdict: Verdict; status: CaseStatus } {
  if (decision === 'overturn' && !reviewerVerdict) throw new Error('an overturn names the reviewer’s verdict');
  const verdict = decision === 'confirm' ? verdictUnderReview : reviewerVerdict!;
  return { verdict, status: finalStatusOf(verdict) };
}

/**
 * The decision a blind review amounts to. A reviewer who could not see the verdict under review
 * cannot knowingly confirm it: they give their own verdict, and it is a confirmation when the two
 * agree, an overturn when they do not - whatever the reviewer said they meant.
 */
export function blindReviewDecision(verdictUnderReview: Verdict, reviewerVerdict: Verdict): ReviewDecision {
  return reviewerVerdict === verdictUnderReview ? 'confirm' : 'overturn';
}
