/**
 * The triage priority of a case: a deterministic score 0..100 (higher = look sooner) and the
 * factors that made it, so an analyst can see why a case sits where it does.
 *
 * | factor              | points                                                  | at most |
 * |---------------------|---------------------------------------------------------|---------|
 * | content_type        | most severe reported: livestream 40, videos 30,         | 40      |
 * |                     | images 20, text 10; other or not reported 5             |         |
 * | victim_identifiable | 65                                                      | 65      |
 * | velocity            | 5 per doubling of reports in the last hour              | 20      |
 * |                     | (1 -> 0, 2 -> 5, 4 -> 10, 8 -> 15, 16+ -> 20)           |         |
 * | reappeared          | 5 per reappearance after removal                        | 15      |
 * | partner_source      | 10                                                      | 10      |
 * | domain_history      | 4 per doubling of earlier confirmed cases on the        | 12      |
 * |                     | registrable domain (1 -> 4, 3 -> 8, 7+ -> 12)           |         |
 *
 * Why:
 * - content_type: abuse happening live can still be interrupted; moving images usually mean more
 *   victims and more harm than stills, stills more than text. Reporters often do not know what
 *   they saw, so "other" or nothing keeps a small base rather than zero.
 * - victim_identifiable: a child who may be identified or is in danger now comes first. This
 *   alone lifts a case to URGENT_PRIORITY (5 + 65 = 70) and outranks any content type without it.
 * - velocity: a URL spreading fast is reaching more people now. Log-scaled and capped so a flood
 *   of reports (or a reporting campaign) cannot drown out everything else.
 * - reappeared: content back after removal is being actively re-hosted.
 * - partner_source: a partner hotline has already triaged it as worth sending.
 * - domain_history: a domain with a record is likely to be hosting more. Log-scaled and capped,
 *   since it is the URL itself that is judged, not its neighbours.
 *
 * Between doublings the log-scaled points are rounded down (3 reports in the last hour -> 7).
 * The score is the sum, clamped to 0..100. Every factor's points are whole numbers, so the sum
 * is exact and, when it is not clamped, equals the score.
 *
 * `reportCount` deliberately does not score: it only grows with age and would push old cases up;
 * the current spread is what `velocity` measures. It is shown in the velocity detail.
 */

import { REPORTED_CONTENT_TYPES, ReportedContentType } from '../report/content-types';

/** From this score on a case is urgent (the default routing sends it to the `urgent` queue). */
export const URGENT_PRIORITY = 70;

export const PRIORITY_WEIGHTS = Object.freeze({
  contentType: Object.freeze({ livestream: 40, videos: 30, images: 20, text: 10, other: 5, unknown: 5 }),
  victimIdentifiable: 65,
  velocity: Object.freeze({ pointsPerDoubling: 5, max: 20 }),
  reappeared: Object.freeze({ pointsEach: 5, max: 15 }),
  partnerSource: 10,
  domainHistory: Object.freeze({ pointsPerDoubling: 4, max: 12 }),
} as const);

/**
 * The reported content types, most severe first: by their weight above, so the order that
 * scores a case and the order that picks its content type (here and in SQL) cannot drift apart.
 * Equal weights would keep the contract's order (the sort is stable).
 */
export const CONTENT_TYPES_BY_SEVERITY: readonly ReportedContentType[] = Object.freeze(
  [...REPORTED_CONTENT_TYPES].sort((a, b) => PRIORITY_WEIGHTS.contentType[b] - PRIORITY_WEIGHTS.contentType[a]),
);

export interface PriorityInput {
  /** what reporters said (may be empty: unknown) */
  contentTypes: ReportedContentType[];
  /** any report said "a child may be identifiable or in danger now" */
  victimIdentifiable: boolean;
  /** velocity */
  reportsLastHour: number;
  reportCount: number;
  /** times this case came back after removal */
  reappearances: number;
  /** a partner hotline sent it */
  fromPartner: boolean;
  /** confirmed cases on the same registrable domain before */
  domainConfirmedCases: number;
}

export type PriorityFactorName = 'content_type' | 'victim_identifiable' | 'velocity' | 'reappeared' | 'partner_source' | 'domain_history';

export interface PriorityFactor {
  factor: PriorityFactorName;
  points: number;
  detail: string;
}

export interface Priority {
  score: number;
  /** every factor with non-zero points, always in the order of the table above */
  factors: PriorityFactor[];
}

/** The most severe type in the list, or null when none was reported. */
export function highestContentType(types: readonly ReportedContentType[]): ReportedContentType | null {
  return CONTENT_TYPES_BY_SEVERITY.find((type) => types.includes(type)) ?? null;
}

export function computePriority(input: PriorityInput): Priority {
  const w = PRIORITY_WEIGHTS;
  const factors: PriorityFactor[] = [];
  const add = (factor: PriorityFactorName, points: number, detail: string): void => {
    if (points !== 0) factors.push({ factor, points, detail });
  };

  const type = highestContentType(input.contentTypes);
  add('content_type', type === null ? w.contentType.unknown : w.contentType[type], type === null ? 'content type not reported' : `${type} reported`);

  if (input.victimIdentifiable) {
    add('victim_identifiable', w.victimIdentifiable, 'a reporter said a child may be identifiable or in danger now');
  }

  const lastHour = count(input.reportsLastHour);
  add(
    'velocity',
    doublingPoints(lastHour, w.velocity.pointsPerDoubling, w.velocity.max),
    `${plural(lastHour, 'report')} in the last hour (${count(input.reportCount)} in total)`,
  );

  const reappearances = count(input.reappearances);
  add('reappeared', Math.min(reappearances * w.reappeared.pointsEach, w.reappeared.max), `reappeared ${plural(reappearances, 'time')} after removal`);

  if (input.fromPartner) add('partner_source', w.partnerSource, 'sent by a partner hotline');

  const domainCases = count(input.domainConfirmedCases);
  add(
    'domain_history',
    // +1: the first confirmed case on the domain already counts (log2(1 + 1) = 1 doubling).
    doublingPoints(domainCases + 1, w.domainHistory.pointsPerDoubling, w.domainHistory.max),
    `${plural(domainCases, 'confirmed case')} on the same domain before`,
  );

  const sum = factors.reduce((total, f) => total + f.points, 0);
  return { score: Math.min(100, Math.max(0, sum)), factors };
}

/** `pointsPerDoubling` for each doubling of n above 1, whole points, at most `max`. */
function doublingPoints(n: number, pointsPerDoubling: number, max: number): number {
  if (n <= 1) return 0;
  return Math.min(max, Math.floor(pointsPerDoubling * Math.log2(n)));
}

/** Counts come from storage and other services: anything not a finite, non-negative number counts as 0. */
function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
