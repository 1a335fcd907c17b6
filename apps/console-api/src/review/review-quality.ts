import type { ReviewQualityCounts } from '@hotline/persistence';

/** A share of changed verdicts: `changed / decided`, null when nothing was decided (no rate, not 0 %). */
export function changeRate(changed: number, decided: number): number | null {
  if (!Number.isFinite(changed) || !Number.isFinite(decided) || decided <= 0) return null;
  return Math.min(1, Math.max(0, changed / decided));
}

/** The two quality rates of DOMAIN.md (10) for one period. */
export interface ReviewQuality extends ReviewQualityCounts {
  /** Second reviews that overturned the first verdict / all second reviews. */
  disagreementRate: number | null;
  /** Appeals reversed / appeals decided. */
  appealReversalRate: number | null;
}

export function reviewQuality(counts: ReviewQualityCounts): ReviewQuality {
  return {
    ...counts,
    disagreementRate: changeRate(counts.overturned, counts.reviews),
    appealReversalRate: changeRate(counts.appealsReversed, counts.appealsDecided),
  };
}
