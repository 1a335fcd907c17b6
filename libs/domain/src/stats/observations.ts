import type { CaseDimensions, StatMetric } from './metrics';
import { type WorkingCalendar, withinWorkingDays } from './working-days';

/**
 * One case event as the statistics read it: its time, kind, status and the few detail fields the
 * figures need (read by libs/persistence/src/stats from case_event.detail).
 */
export interface StatEvent {
  /** case_event.id: events are given in this order. */
  id: number;
  /** Epoch milliseconds (UTC). */
  at: number;
  kind: string;
  to: string | null;
  verdict?: string | null;
  step?: string | null;
  decision?: string | null;
  /** Reported URLs the event placed into the case (created, reports_attached, reappeared by a report). */
  urls?: number | null;
  /** The report source of a case's first URL (created). */
  source?: string | null;
  /** The classification's content type of an illegal verdict. */
  contentType?: string | null;
  /** The hosting trace's class (hosting_resolved) and whether a partner hotline serves its country. */
  hostingClass?: string | null;
  partnerCountry?: boolean | null;
  /** Who claimed the case (queued -> in_assessment). */
  by?: string | null;
  /** actions_decided: whether the decision referred the case to police / forwarded it. */
  police?: boolean;
  forward?: boolean;
  priority?: number | null;
}

/** Priority bands and the time within which a case of the band should have its first verdict. */
export type AssessmentTargets = readonly { minPriority: number; withinMs: number }[];

export interface ObservationRules {
  calendar: WorkingCalendar;
  assessmentTargets: AssessmentTargets;
}

/** One counted fact, dated by a UTC day. */
export interface Observation {
  metric: StatMetric;
  day: string;
  n: number;
  hits: number;
  /** The clock, in seconds; null when the metric has none or it did not stop. */
  seconds: number | null;
}

export interface AppearanceObservations {
  dims: CaseDimensions;
  observations: Observation[];
}

/** Time an analyst held a case open (a lease, claim to the next status), dated by the claim's day. */
export interface ViewingTime {
  day: string;
  staffId: string;
  seconds: number;
}

export interface CaseObservations {
  appearances: AppearanceObservations[];
  viewing: ViewingTime[];
  /**
   * Confirmed and not removed (its latest status confirmed or actioned): the hour of its latest
   * confirmation (`YYYY-MM-DDTHH:00:00.000Z`), which metric 7's "age of those still online" is
   * counted from; null otherwise.
   */
  onlineSince: string | null;
}

const FIRST_VERDICT = new Set(['pending_review', 'confirmed', 'not_illegal', 'harmful_not_illegal', 'unassessable', 'out_of_remit']);
const SETTLED = new Set(['confirmed', 'not_illegal', 'harmful_not_illegal', 'unassessable', 'out_of_remit']);
const PUBLIC_SOURCES = new Set(['public_web', 'public_api', 'public']);
const VERDICT_OF_STATUS: Record<string, string> = {
  not_illegal: 'not_illegal',
  harmful_not_illegal: 'harmful_not_illegal',
  unassessable: 'unassessable',
  out_of_remit: 'out_of_remit',
};
const DAY_MS = 86_400_000;
const REMOVAL_COMPLETION_MS = 30 * DAY_MS;
const RECURRENCE_MS = 90 * DAY_MS;
const NOTIFICATION_WORKING_DAYS = 3;
const REMOVAL_WORKING_DAYS = 3;

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const isReferral = (e: StatEvent) => (e.kind === 'actions_decided' && (e.police || e.forward)) || e.kind === 'forward_sent' || e.kind === 'escalated_to_police';
const isNotice = (e: StatEvent) => e.kind === 'notice_sent' || e.kind === 'forward_sent';

function targetMs(targets: AssessmentTargets, priority: number): number {
  for (const band of targets) if (priority >= band.minPriority) return band.withinMs;
  return targets.length ? targets[targets.length - 1].withinMs : Number.POSITIVE_INFINITY;
}

/**
 * Every observation of one case, from its events (in id order). A case lives one or more
 * appearances: the first from its creation, each next from a transition to `reappeared`; clocks
 * run within an appearance ("received" is its start). The breakdown values of an appearance are
 * what its events say last (hosting: the case's latest trace up to then), so a later event can
 * move all of an appearance's observations to another cell: the rollups subtract what a case gave
 * before and add what it gives now (apps/worker/src/stats).
 *
 * Pure: the same events always give the same observations, which is what lets the worker compute
 * what it applied before from the events it had then, and `stats:check` recompute everything.
 */
export function observeCase(events: readonly StatEvent[], rules: ObservationRules, fallbackSource = 'public'): CaseObservations {
  const starts: number[] = [];
  for (let i = 0; i < events.length; i++) if (events[i].kind === 'created' || events[i].to === 'reappeared') starts.push(i);
  if (starts.length === 0 || starts[0] !== 0) starts.unshift(0);
  const created = events.find((e) => e.kind === 'created');
  const source = created?.source ?? fallbackSource;
  const anyForward = events.some((e) => e.kind === 'actions_decided' && e.forward);

  const appearances: AppearanceObservations[] = [];
  let hostingEvent: StatEvent | null = null;
  // A reappearance keeps the case's priority until an event gives a new one (routing records one only when the queue changes).
  let priority = 0;
  for (let a = 0; a < starts.length; a++) {
    const from = starts[a];
    const to = a + 1 < starts.length ? starts[a + 1] : events.length;
    const nextStart = a + 1 < starts.length ? events[starts[a + 1]] : null;
    for (let i = from; i < to; i++) if (events[i].kind === 'hosting_resolved' || events[i].kind === 'hosting_unresolved') hostingEvent = events[i];
    appearances.push(observeAppearance(events, from, to, nextStart, { source, hostingEvent, anyForward, priority }, rules));
    for (let i = from; i < to; i++) if (events[i].priority !== undefined && events[i].priority !== null) priority = events[i].priority!;
  }
  return { appearances, viewing: viewingOf(events), onlineSince: onlineSince(events) };
}

const ONLINE = new Set(['confirmed', 'actioned']);
const HOUR_MS = 3_600_000;

/** The hour of the latest confirmation of a case whose latest status is confirmed or actioned, else null. */
function onlineSince(events: readonly StatEvent[]): string | null {
  let status: string | null = null;
  let confirmedAt: number | null = null;
  for (const e of events) {
    if (!e.to) continue;
    status = e.to;
    if (e.to === 'confirmed') confirmedAt = e.at;
  }
  if (status === null || !ONLINE.has(status) || confirmedAt === null) return null;
  return new Date(Math.floor(confirmedAt / HOUR_MS) * HOUR_MS).toISOString();
}

interface CaseContext {
  source: string;
  hostingEvent: StatEvent | null;
  anyForward: boolean;
  /** The case's priority when the appearance starts. */
  priority: number;
}

function hostingOf(event: StatEvent | null, anyForward: boolean): string {
  if (!event || event.kind === 'hosting_unresolved') return 'unknown';
  switch (event.hostingClass) {
    case 'domestic':
      return 'domestic';
    case 'onion':
      return 'onion';
    case 'foreign':
      return (event.partnerCountry ?? anyForward) ? 'partner_country' : 'no_hotline_country';
    default:
      return 'unknown';
  }
}

function observeAppearance(
  events: readonly StatEvent[],
  from: number,
  to: number,
  nextStart: StatEvent | null,
  context: CaseContext,
  rules: ObservationRules,
): AppearanceObservations {
  const start = events[from];
  const t0 = start.at;
  let verdict = 'none';
  let contentType = 'unclassified';
  let priority = context.priority;
  let firstVerdict: StatEvent | null = null;
  let verdictPriority = 0;
  let settled: StatEvent | null = null;
  let claimedBeforeSettled = false;
  let confirmed: StatEvent | null = null;
  let referral: StatEvent | null = null;
  let notice: StatEvent | null = null;
  let removed: StatEvent | null = null;
  let noticeBeforeRemoval: StatEvent | null = null;
  let forward: StatEvent | null = null;
  let acknowledged: StatEvent | null = null;
  const observations: Observation[] = [];

  for (let i = from; i < to; i++) {
    const e = events[i];
    if (e.priority !== undefined && e.priority !== null) priority = e.priority;
    if (e.verdict) verdict = e.verdict;
    else if (e.to && VERDICT_OF_STATUS[e.to] && (e.kind === 'transition' || e.kind === 'created')) verdict = VERDICT_OF_STATUS[e.to];
    if (e.contentType) contentType = e.contentType;
    if (e.urls !== undefined && e.urls !== null && e.urls > 0) {
      const first = e.kind === 'created' || e.to === 'reappeared' ? 1 : 0;
      observations.push({ metric: 'deduplication', day: utcDay(e.at), n: e.urls, hits: e.urls - first, seconds: null });
    } else if (e.kind === 'created') {
      observations.push({ metric: 'deduplication', day: utcDay(e.at), n: 1, hits: 0, seconds: null });
    }
    if (e.to === 'in_assessment' && !settled) claimedBeforeSettled = true;
    if (e.to && FIRST_VERDICT.has(e.to) && !firstVerdict) {
      firstVerdict = e;
      verdictPriority = priority;
    }
    // Unassessable is the one verdict that is taken back (the content reachable again, the case
    // queued anew): the appearance is settled by the verdict that follows, confirmed or not.
    if (e.to === 'queued' && settled?.to === 'unassessable') settled = null;
    if (e.to && SETTLED.has(e.to) && !settled) settled = e;
    if (e.to === 'confirmed' && !confirmed) confirmed = e;
    if (confirmed && !referral && isReferral(e)) referral = e;
    if (confirmed && !notice && isNotice(e)) notice = e;
    if (e.to === 'removed' && !removed) {
      removed = e;
      noticeBeforeRemoval = notice;
    }
    if (e.kind === 'forward_sent' && !forward) forward = e;
    if (forward && !acknowledged && e.kind === 'forward_acknowledged') acknowledged = e;
    if (e.kind === 'transition' && (e.step === 'review' || e.step === 'appeal_review')) {
      observations.push({
        metric: e.step === 'review' ? 'review_disagreement' : 'appeal_reversal',
        day: utcDay(e.at),
        n: 1,
        hits: e.decision === 'overturn' ? 1 : 0,
        seconds: null,
      });
    }
  }

  const dims = { source: context.source, hosting: hostingOf(context.hostingEvent, context.anyForward), contentType, verdict };
  const seconds = (a: number, b: number) => (b - a) / 1000;
  const one = (metric: StatMetric, at: number, hit: boolean, secs: number | null = null) =>
    observations.push({ metric, day: utcDay(at), n: 1, hits: hit ? 1 : 0, seconds: secs });

  if (firstVerdict) {
    one('time_to_assessment', firstVerdict.at, firstVerdict.at - t0 <= targetMs(rules.assessmentTargets, verdictPriority), seconds(t0, firstVerdict.at));
  }
  if (settled) {
    if (PUBLIC_SOURCES.has(context.source)) one('public_accuracy', settled.at, settled.to === 'confirmed');
    one('settled_without_human', settled.at, !claimedBeforeSettled);
  }
  if (confirmed) {
    one(
      'police_notification',
      confirmed.at,
      referral !== null && withinWorkingDays(rules.calendar, t0, referral.at, NOTIFICATION_WORKING_DAYS),
      referral ? seconds(t0, referral.at) : null,
    );
    one('removal_completion', confirmed.at, removed !== null && removed.at - confirmed.at <= REMOVAL_COMPLETION_MS);
    one('no_hotline_hosting', confirmed.at, dims.hosting === 'no_hotline_country');
    if (notice) one('time_to_notice', notice.at, false, seconds(confirmed.at, notice.at));
  }
  if (removed) {
    one('time_to_removal', removed.at, withinWorkingDays(rules.calendar, t0, removed.at, REMOVAL_WORKING_DAYS), seconds(t0, removed.at));
    if (noticeBeforeRemoval) one('notice_to_removal', removed.at, false, seconds(noticeBeforeRemoval.at, removed.at));
    one('recurrence', removed.at, nextStart !== null && nextStart.at - removed.at <= RECURRENCE_MS);
  }
  if (forward) one('cross_border', forward.at, acknowledged !== null, acknowledged ? seconds(forward.at, acknowledged.at) : null);
  return { dims, observations };
}

/** Each claim (a status event into in_assessment naming who) until the case's next status event. */
function viewingOf(events: readonly StatEvent[]): ViewingTime[] {
  const viewing: ViewingTime[] = [];
  for (let i = 0; i < events.length; i++) {
    const claim = events[i];
    if (claim.to !== 'in_assessment' || !claim.by) continue;
    for (let j = i + 1; j < events.length; j++) {
      if (events[j].to === null || events[j].to === undefined) continue;
      viewing.push({ day: utcDay(claim.at), staffId: claim.by, seconds: Math.max(0, (events[j].at - claim.at) / 1000) });
      break;
    }
  }
  return viewing;
}
