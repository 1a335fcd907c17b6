/**
 * The figures regulators audit (../shared/docs/DOMAIN.md, "What regulators audit"), each computed
 * from case events only. A metric counts observations (`n`), of which `hits` meet its test, and
 * for clocks keeps the durations in a histogram (histogram.ts). Every observation is dated by one
 * event (`datedBy`): clocks by the event that stops them, rates by the event that brings a case
 * into the population. docs/statistics.md says the same in prose, with examples.
 */
export const STAT_METRICS = [
  'deduplication',
  'time_to_assessment',
  'public_accuracy',
  'police_notification',
  'time_to_notice',
  'time_to_removal',
  'notice_to_removal',
  'removal_completion',
  'cross_border',
  'no_hotline_hosting',
  'recurrence',
  'review_disagreement',
  'appeal_reversal',
  'settled_without_human',
] as const;
export type StatMetric = (typeof STAT_METRICS)[number];

export interface MetricDefinition {
  /** The number of DOMAIN.md's list (11: the extra figures). */
  readonly domain: number;
  /** What one observation is. */
  readonly counts: string;
  /** What a hit is; null when the metric has no rate. */
  readonly hit: string | null;
  /** What the durations measure; null when it has none. */
  readonly duration: string | null;
  readonly datedBy: string;
}

export const METRIC_DEFINITIONS: Record<StatMetric, MetricDefinition> = {
  deduplication: {
    domain: 1,
    counts: 'a reported URL placed into a case',
    hit: 'it joined an existing case (not the first URL of its case or of a reappearance)',
    duration: null,
    datedBy: 'the placement (case created, reports attached, reappeared)',
  },
  time_to_assessment: {
    domain: 2,
    counts: 'a case appearance given its first verdict',
    hit: 'the verdict came within the target for its priority',
    duration: 'received (case created or reappeared) to the first verdict',
    datedBy: 'the first verdict',
  },
  public_accuracy: {
    domain: 3,
    counts: 'a public case (form or API) settled',
    hit: 'settled as confirmed illegal',
    duration: null,
    datedBy: 'the first settled verdict (after second review)',
  },
  police_notification: {
    domain: 4,
    counts: 'a confirmed case',
    hit: 'referred to police or forwarded to a partner within 3 working days of receipt',
    duration: 'received to the referral or forward',
    datedBy: 'the confirmation',
  },
  time_to_notice: {
    domain: 5,
    counts: 'a confirmed case whose host was notified or whose partner was sent the forward',
    hit: null,
    duration: 'confirmed to the notice sent (or forward sent, for foreign hosting)',
    datedBy: 'the notice or forward',
  },
  time_to_removal: {
    domain: 6,
    counts: 'a case whose content was removed',
    hit: 'removed within 3 working days of receipt',
    duration: 'received to removed (INHOPE clock)',
    datedBy: 'the removal',
  },
  notice_to_removal: {
    domain: 6,
    counts: 'a removed case that had a notice or forward before its removal',
    hit: null,
    duration: 'notice (or forward) to removed (IWF clock)',
    datedBy: 'the removal',
  },
  removal_completion: {
    domain: 7,
    counts: 'a confirmed case',
    hit: 'removed within 30 days of confirmation',
    duration: null,
    datedBy: 'the confirmation',
  },
  cross_border: {
    domain: 8,
    counts: 'a case forwarded to a partner hotline',
    hit: 'the partner acknowledged it',
    duration: 'forward sent to the partner acknowledgement',
    datedBy: 'the forward sent',
  },
  no_hotline_hosting: {
    domain: 8,
    counts: 'a confirmed case',
    hit: 'hosted in a country with no partner hotline',
    duration: null,
    datedBy: 'the confirmation',
  },
  recurrence: {
    domain: 9,
    counts: 'a removed case',
    hit: 'it reappeared within 90 days of its removal',
    duration: null,
    datedBy: 'the removal',
  },
  review_disagreement: {
    domain: 10,
    counts: 'a second review',
    hit: 'the reviewer overturned the verdict',
    duration: null,
    datedBy: 'the review',
  },
  appeal_reversal: {
    domain: 10,
    counts: 'an appeal decided',
    hit: 'the appeal reversed the verdict',
    duration: null,
    datedBy: 'the appeal decision',
  },
  settled_without_human: {
    domain: 11,
    counts: 'a case appearance settled',
    hit: 'settled without anyone viewing it (known-URL list or hash match)',
    duration: null,
    datedBy: 'the first settled verdict',
  },
};

/** The breakdowns: each figure is kept in total and by each of these, one at a time. */
export const STAT_DIMENSIONS = ['source', 'hosting', 'content_type', 'verdict'] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];
/** A stored cell is a total (`all`) or one value of one breakdown. */
export const STAT_CELL_DIMENSIONS = ['all', ...STAT_DIMENSIONS] as const;

/** `public` is a case from before the door (form or API) was recorded on its creation event. */
export const STAT_SOURCES = ['public_web', 'public_api', 'partner', 'bulk', 'public'] as const;
export const STAT_HOSTING = ['domestic', 'partner_country', 'no_hotline_country', 'unknown', 'onion'] as const;
export const STAT_CONTENT_TYPES = ['image', 'video', 'livestream', 'text', 'other', 'unclassified'] as const;
export const STAT_VERDICTS = ['baseline', 'national', 'harmful_not_illegal', 'not_illegal', 'unassessable', 'out_of_remit', 'none'] as const;

export const DIMENSION_VALUES: Record<StatDimension, readonly string[]> = {
  source: STAT_SOURCES,
  hosting: STAT_HOSTING,
  content_type: STAT_CONTENT_TYPES,
  verdict: STAT_VERDICTS,
};

export interface CaseDimensions {
  source: string;
  hosting: string;
  contentType: string;
  verdict: string;
}
