import { cellKey, FineCells, type RollupCell, rollupCells } from './cells';
import { type CellSums, figureOf } from './figures';
import { addCounts, DURATION_RELATIVE_ERROR } from './histogram';
import { type CaseDimensions, METRIC_DEFINITIONS, STAT_METRICS, type StatDimension, type StatMetric } from './metrics';
import { type CaseObservations, type Observation, type ObservationRules, observeCase, type StatEvent, type ViewingTime } from './observations';

/**
 * The hand-computed fixture of issue 13: nine cases whose every figure was worked out by hand
 * from ../shared/docs/DOMAIN.md ("What regulators audit") and METRIC_DEFINITIONS, the arithmetic
 * next to each expected observation. All times UTC.
 *
 * Calendar: weekend Saturday and Sunday; public holidays Good Friday 3 April 2026 and Easter
 * Monday 6 April 2026. Assessment targets: priority >= 70 within 2 h, >= 40 within 24 h, else 72 h.
 *
 * Days of the week used below (2026): Sat 10 Jan, Wed 14 Jan, Mon 2 Feb, Sun 1 Mar, Mon 2 Mar,
 * Tue 3 Mar, Wed 4 Mar, Thu 5 Mar, Fri 6 Mar, Mon 9 Mar, Tue 10 Mar, Wed 11 Mar, Fri 20 Mar,
 * Thu 2 Apr, Thu 9 Apr, Wed 3 Jun.
 */
const rules: ObservationRules = {
  calendar: { country: 'NL', weekend: [6, 0], holidays: new Set(['2026-04-03', '2026-04-06']) },
  assessmentTargets: [
    { minPriority: 70, withinMs: 2 * 3_600_000 },
    { minPriority: 40, withinMs: 24 * 3_600_000 },
    { minPriority: 0, withinMs: 72 * 3_600_000 },
  ],
};
const S1 = '00000000-0000-7000-8000-000000000001';
const S2 = '00000000-0000-7000-8000-000000000002';
const H = 3600;
const D = 86_400;

// Event ids increase across all cases, as case_event ids do.
let nextId = 1;
const ev = (at: string, kind: string, to: string | null = null, detail: Partial<StatEvent> = {}): StatEvent => ({
  id: nextId++,
  at: Date.parse(at),
  kind,
  to,
  ...detail,
});
const tr = (at: string, to: string, detail: Partial<StatEvent> = {}) => ev(at, 'transition', to, detail);
const o = (metric: StatMetric, day: string, n: number, hits: number, seconds: number | null = null): Observation => ({ metric, day, n, hits, seconds });
const byMetricDay = (a: Observation, b: Observation) => a.metric.localeCompare(b.metric) || a.day.localeCompare(b.day) || a.n - b.n;
const sorted = (observations: readonly Observation[]) => [...observations].sort(byMetricDay);

interface Expected {
  dims: CaseDimensions;
  observations: Observation[];
}
interface FixtureCase {
  events: StatEvent[];
  appearances: Expected[];
  viewing: ViewingTime[];
}

const fixture: Record<string, FixtureCase> = {
  // A: public form, domestic. Received Friday 17:00, removed Wednesday 16:59: just inside 3 working days.
  A: {
    events: [
      ev('2026-03-06T17:00:00Z', 'created', 'queued', { urls: 3, source: 'public_web', priority: 50 }),
      ev('2026-03-06T17:01:00Z', 'hosting_resolved', null, { hostingClass: 'domestic' }),
      tr('2026-03-06T18:00:00Z', 'in_assessment', { by: S1 }),
      tr('2026-03-06T19:00:00Z', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }),
      ev('2026-03-06T19:00:01Z', 'actions_decided', null, { police: true }),
      ev('2026-03-09T10:00:00Z', 'notice_sent'),
      tr('2026-03-09T10:00:00Z', 'actioned', { step: 'notice_sent' }),
      tr('2026-03-11T16:59:00Z', 'removed'),
    ],
    appearances: [
      {
        dims: { source: 'public_web', hosting: 'domestic', contentType: 'image', verdict: 'baseline' },
        observations: [
          // Three reports of one URL create the case: 3 URLs, 2 of them joined it.
          o('deduplication', '2026-03-06', 3, 2),
          // 17:00 -> 19:00 = 2 h; priority 50 -> target 24 h: hit.
          o('time_to_assessment', '2026-03-06', 1, 1, 2 * H),
          // Public and settled confirmed: hit.
          o('public_accuracy', '2026-03-06', 1, 1),
          // Claimed by S1 before the verdict: a human saw it.
          o('settled_without_human', '2026-03-06', 1, 0),
          // Referred at 19:00:01, 2 h 1 s after receipt, the same Friday: hit.
          o('police_notification', '2026-03-06', 1, 1, 2 * H + 1),
          // Confirmed Fri 19:00, removed Wed 16:59: 4 d 21 h 59 min <= 30 d: hit.
          o('removal_completion', '2026-03-06', 1, 1),
          // Domestic: miss.
          o('no_hotline_hosting', '2026-03-06', 1, 0),
          // Confirmed Fri 19:00 -> notice Mon 10:00: 5 h + 48 h + 10 h = 63 h.
          o('time_to_notice', '2026-03-09', 1, 0, 63 * H),
          // Working time Fri 7 h + Mon 24 h + Tue 24 h + Wed 16 h 59 min = 71 h 59 min <= 72 h: hit.
          // Clock: Fri 17:00 -> Wed 17:00 is 5 d, less a minute.
          o('time_to_removal', '2026-03-11', 1, 1, 5 * D - 60),
          // Mon 10:00 -> Wed 16:59 = 2 d 6 h 59 min.
          o('notice_to_removal', '2026-03-11', 1, 0, 2 * D + 6 * H + 59 * 60),
          // Never reappeared: miss.
          o('recurrence', '2026-03-11', 1, 0),
        ],
      },
    ],
    // Claimed 18:00, next status event 19:00.
    viewing: [{ day: '2026-03-06', staffId: S1, seconds: H }],
  },

  // B: public API, hosted in a partner country, forwarded and acknowledged. Received Thursday before
  // Easter: Good Friday and Easter Monday are not worked, so the forward 7 days later is in time.
  B: {
    events: [
      ev('2026-04-02T10:00:00Z', 'created', 'queued', { urls: 1, source: 'public_api', priority: 80 }),
      tr('2026-04-02T10:30:00Z', 'in_assessment', { by: S2 }),
      tr('2026-04-02T13:00:00Z', 'confirmed', { step: 'assessment', verdict: 'national', contentType: 'video' }),
      // The trace took a week; the actions wait for it.
      ev('2026-04-09T09:00:00Z', 'hosting_resolved', null, { hostingClass: 'foreign', partnerCountry: true }),
      ev('2026-04-09T10:00:00Z', 'actions_decided', null, { forward: true }),
      ev('2026-04-09T10:05:00Z', 'forward_sent'),
      tr('2026-04-09T10:05:00Z', 'actioned', { step: 'forward_sent' }),
      ev('2026-04-10T10:05:00Z', 'forward_acknowledged'),
    ],
    appearances: [
      {
        dims: { source: 'public_api', hosting: 'partner_country', contentType: 'video', verdict: 'national' },
        observations: [
          o('deduplication', '2026-04-02', 1, 0),
          // 10:00 -> 13:00 = 3 h; priority 80 -> target 2 h: miss.
          o('time_to_assessment', '2026-04-02', 1, 0, 3 * H),
          o('public_accuracy', '2026-04-02', 1, 1),
          o('settled_without_human', '2026-04-02', 1, 0),
          // Thu 10:00 -> next Thu 10:00 (7 d). Working: Thu 14 h, Fri holiday, weekend, Mon holiday,
          // Tue 24 h, Wed 24 h, Thu 10 h = 72 h, not over 3 working days: hit (without the holidays, a miss).
          o('police_notification', '2026-04-02', 1, 1, 7 * D),
          // Not removed: miss.
          o('removal_completion', '2026-04-02', 1, 0),
          // A partner hotline serves its country: miss.
          o('no_hotline_hosting', '2026-04-02', 1, 0),
          // Confirmed 2 Apr 13:00 -> forward sent 9 Apr 10:05: 7 d less 2 h 55 min.
          o('time_to_notice', '2026-04-09', 1, 0, 7 * D - 2 * H - 55 * 60),
          // Forward 9 Apr 10:05, acknowledged 10 Apr 10:05: hit, 1 d.
          o('cross_border', '2026-04-09', 1, 1, D),
        ],
      },
    ],
    // 10:30 -> 13:00.
    viewing: [{ day: '2026-04-02', staffId: S2, seconds: 2.5 * H }],
  },

  // C: public form, hosted abroad where no hotline is; second review confirms; the police referral
  // comes one second after 3 working days (Easter again).
  C: {
    events: [
      ev('2026-04-02T11:00:00Z', 'created', 'queued', { urls: 2, source: 'public_web', priority: 10 }),
      ev('2026-04-02T11:01:00Z', 'hosting_resolved', null, { hostingClass: 'foreign', partnerCountry: false }),
      tr('2026-04-02T11:05:00Z', 'in_assessment', { by: S1 }),
      tr('2026-04-02T11:35:00Z', 'pending_review', { step: 'assessment', verdict: 'baseline' }),
      tr('2026-04-02T15:00:00Z', 'confirmed', { step: 'review', decision: 'confirm', verdict: 'baseline', contentType: 'image' }),
      ev('2026-04-09T11:00:01Z', 'actions_decided', null, { police: true }),
    ],
    appearances: [
      {
        dims: { source: 'public_web', hosting: 'no_hotline_country', contentType: 'image', verdict: 'baseline' },
        observations: [
          o('deduplication', '2026-04-02', 2, 1),
          // The first verdict is the analyst's (pending review): 11:00 -> 11:35; priority 10 -> 72 h: hit.
          o('time_to_assessment', '2026-04-02', 1, 1, 35 * 60),
          // The reviewer confirmed: no disagreement.
          o('review_disagreement', '2026-04-02', 1, 0),
          // Settled (after review) at 15:00, confirmed.
          o('public_accuracy', '2026-04-02', 1, 1),
          o('settled_without_human', '2026-04-02', 1, 0),
          // Working: Thu 13 h, Tue 24 h, Wed 24 h, Thu 11 h 0 min 1 s = 72 h + 1 s: miss by a second.
          o('police_notification', '2026-04-02', 1, 0, 7 * D + 1),
          o('removal_completion', '2026-04-02', 1, 0),
          // Foreign, no partner hotline: hit.
          o('no_hotline_hosting', '2026-04-02', 1, 1),
        ],
      },
    ],
    // 11:05 -> 11:35.
    viewing: [{ day: '2026-04-02', staffId: S1, seconds: 1800 }],
  },

  // D: from a partner, settled confirmed by the known-URL list on arrival; its host not found.
  D: {
    events: [ev('2026-03-04T08:00:00Z', 'created', 'confirmed', { urls: 1, source: 'partner', verdict: 'baseline' }), ev('2026-03-04T08:01:00Z', 'hosting_unresolved')],
    appearances: [
      {
        dims: { source: 'partner', hosting: 'unknown', contentType: 'unclassified', verdict: 'baseline' },
        observations: [
          o('deduplication', '2026-03-04', 1, 0),
          // Its verdict came with its creation: 0 s, within any target.
          o('time_to_assessment', '2026-03-04', 1, 1, 0),
          // Nobody claimed it: settled without a human. Not public: no public_accuracy.
          o('settled_without_human', '2026-03-04', 1, 1),
          // No referral (actions wait for a trace that failed): miss, no clock.
          o('police_notification', '2026-03-04', 1, 0, null),
          o('removal_completion', '2026-03-04', 1, 0),
          o('no_hotline_hosting', '2026-03-04', 1, 0),
        ],
      },
    ],
    viewing: [],
  },

  // E: bulk. The reviewer overturns to not illegal, an appeal reverses that to confirmed: the
  // content type and verdict arrive only then, and move every observation of the case there.
  E: {
    events: [
      ev('2026-03-05T08:00:00Z', 'created', 'queued', { urls: 1, source: 'bulk', priority: 45 }),
      ev('2026-03-05T08:01:00Z', 'hosting_resolved', null, { hostingClass: 'domestic' }),
      tr('2026-03-05T08:05:00Z', 'in_assessment', { by: S2 }),
      tr('2026-03-05T08:20:00Z', 'pending_review', { step: 'assessment', verdict: 'national' }),
      tr('2026-03-05T10:00:00Z', 'not_illegal', { step: 'review', decision: 'overturn', verdict: 'not_illegal' }),
      tr('2026-03-10T09:00:00Z', 'pending_review', { step: 'appeal', verdict: 'not_illegal' }),
      tr('2026-03-10T12:00:00Z', 'confirmed', { step: 'appeal_review', decision: 'overturn', verdict: 'national', contentType: 'video' }),
      ev('2026-03-10T12:00:01Z', 'actions_decided', null, { police: true }),
      ev('2026-03-10T13:00:00Z', 'notice_sent'),
    ],
    appearances: [
      {
        dims: { source: 'bulk', hosting: 'domestic', contentType: 'video', verdict: 'national' },
        observations: [
          o('deduplication', '2026-03-05', 1, 0),
          // 08:00 -> 08:20; priority 45 -> 24 h: hit.
          o('time_to_assessment', '2026-03-05', 1, 1, 1200),
          o('review_disagreement', '2026-03-05', 1, 1),
          // First settled verdict 10:00 (not illegal), after a claim. Bulk: no public_accuracy.
          o('settled_without_human', '2026-03-05', 1, 0),
          o('appeal_reversal', '2026-03-10', 1, 1),
          // Confirmed 10 Mar. Referral Tue 12:00:01: working Thu 16 h + Fri 24 h + Mon 24 h + Tue 12 h 0 min 1 s
          // = 76 h > 72 h: miss. Clock 5 d 4 h 1 s.
          o('police_notification', '2026-03-10', 1, 0, 5 * D + 4 * H + 1),
          o('removal_completion', '2026-03-10', 1, 0),
          o('no_hotline_hosting', '2026-03-10', 1, 0),
          // Confirmed 12:00 -> notice 13:00.
          o('time_to_notice', '2026-03-10', 1, 0, H),
        ],
      },
    ],
    // 08:05 -> 08:20 (the review and the appeal are not claims).
    viewing: [{ day: '2026-03-05', staffId: S2, seconds: 900 }],
  },

  // F: three appearances. Received on a Saturday; removed, back 45 days later (recurrence hit);
  // removed again, back 90 days and 1 s later (miss). Each appearance runs its own clocks.
  F: {
    events: [
      ev('2026-01-10T10:00:00Z', 'created', 'queued', { urls: 1, source: 'public_web', priority: 75 }),
      ev('2026-01-10T10:01:00Z', 'hosting_resolved', null, { hostingClass: 'domestic' }),
      tr('2026-01-10T10:05:00Z', 'in_assessment', { by: S1 }),
      tr('2026-01-10T11:00:00Z', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }),
      ev('2026-01-10T11:00:01Z', 'actions_decided', null, { police: true }),
      ev('2026-01-10T12:00:00Z', 'notice_sent'),
      tr('2026-01-10T12:00:00Z', 'actioned', { step: 'notice_sent' }),
      tr('2026-01-14T23:59:59Z', 'removed'),
      tr('2026-01-20T00:00:00Z', 'closed'),
      // Second appearance: reported again on a Sunday.
      tr('2026-03-01T10:00:00Z', 'reappeared', { urls: 1 }),
      tr('2026-03-01T10:00:00Z', 'queued'),
      ev('2026-03-01T10:00:00Z', 'routed', null, { priority: 20 }),
      ev('2026-03-01T10:01:00Z', 'hosting_resolved', null, { hostingClass: 'domestic' }),
      tr('2026-03-02T09:00:00Z', 'in_assessment', { by: S2 }),
      tr('2026-03-02T10:00:00Z', 'confirmed', { step: 'assessment', verdict: 'national', contentType: 'video' }),
      ev('2026-03-02T10:00:01Z', 'actions_decided', null, { police: true }),
      ev('2026-03-02T11:00:00Z', 'notice_sent'),
      tr('2026-03-02T11:00:00Z', 'actioned', { step: 'notice_sent' }),
      tr('2026-03-05T10:00:00Z', 'removed'),
      // Third appearance: the removal monitor finds it online again (no report), then two reports join it.
      tr('2026-06-03T10:00:01Z', 'reappeared'),
      tr('2026-06-03T10:00:01Z', 'queued'),
      ev('2026-06-03T12:00:00Z', 'reports_attached', null, { urls: 2 }),
    ],
    appearances: [
      {
        dims: { source: 'public_web', hosting: 'domestic', contentType: 'image', verdict: 'baseline' },
        observations: [
          o('deduplication', '2026-01-10', 1, 0),
          // 10:00 -> 11:00; priority 75 -> 2 h: hit.
          o('time_to_assessment', '2026-01-10', 1, 1, H),
          o('public_accuracy', '2026-01-10', 1, 1),
          o('settled_without_human', '2026-01-10', 1, 0),
          // Saturday: no working time yet. Hit, 1 h 1 s.
          o('police_notification', '2026-01-10', 1, 1, H + 1),
          o('removal_completion', '2026-01-10', 1, 1),
          o('no_hotline_hosting', '2026-01-10', 1, 0),
          o('time_to_notice', '2026-01-10', 1, 0, H),
          // Received Saturday: Mon 24 h + Tue 24 h + Wed 23:59:59 = 71 h 59 min 59 s: hit (until Wednesday midnight).
          // Clock Sat 10:00 -> Wed 23:59:59 = 4 d 13 h 59 min 59 s.
          o('time_to_removal', '2026-01-14', 1, 1, 4 * D + 13 * H + 59 * 60 + 59),
          // Sat 12:00 -> Wed 23:59:59 = 4 d 11 h 59 min 59 s.
          o('notice_to_removal', '2026-01-14', 1, 0, 4 * D + 11 * H + 59 * 60 + 59),
          // Removed 14 Jan, back 1 Mar (46 days): hit.
          o('recurrence', '2026-01-14', 1, 1),
        ],
      },
      {
        dims: { source: 'public_web', hosting: 'domestic', contentType: 'video', verdict: 'national' },
        observations: [
          // The reappearing report is the first URL of the appearance: new work, not a duplicate.
          o('deduplication', '2026-03-01', 1, 0),
          // The clock restarts: Sun 10:00 -> Mon 10:00 = 24 h; priority now 20 -> 72 h: hit.
          o('time_to_assessment', '2026-03-02', 1, 1, D),
          o('public_accuracy', '2026-03-02', 1, 1),
          o('settled_without_human', '2026-03-02', 1, 0),
          // Sunday not worked, Mon 10 h 0 min 1 s: hit, clock 1 d 1 s.
          o('police_notification', '2026-03-02', 1, 1, D + 1),
          o('removal_completion', '2026-03-02', 1, 1),
          o('no_hotline_hosting', '2026-03-02', 1, 0),
          o('time_to_notice', '2026-03-02', 1, 0, H),
          // Received Sunday: Mon + Tue + Wed = 72 h by Thursday 00:00, removed Thu 10:00: miss. Clock 4 d.
          o('time_to_removal', '2026-03-05', 1, 0, 4 * D),
          // Mon 11:00 -> Thu 10:00 = 3 d less 1 h.
          o('notice_to_removal', '2026-03-05', 1, 0, 3 * D - H),
          // Removed 5 Mar 10:00; 90 days later is 3 Jun 10:00 (26 + 30 + 31 + 3 days), back at 10:00:01: miss.
          o('recurrence', '2026-03-05', 1, 0),
        ],
      },
      {
        // No trace of its own yet: the case's latest (domestic). No verdict yet.
        dims: { source: 'public_web', hosting: 'domestic', contentType: 'unclassified', verdict: 'none' },
        // Found by the monitor: no reported URL. Then two reports joined the open case.
        observations: [o('deduplication', '2026-06-03', 2, 2)],
      },
    ],
    viewing: [
      { day: '2026-01-10', staffId: S1, seconds: 3300 },
      { day: '2026-03-02', staffId: S2, seconds: H },
    ],
  },

  // G: public form, not illegal, after a released lease; later reports attach.
  G: {
    events: [
      ev('2026-03-03T09:00:00Z', 'created', 'queued', { urls: 1, source: 'public_web', priority: 0 }),
      tr('2026-03-03T09:10:00Z', 'in_assessment', { by: S2 }),
      tr('2026-03-03T09:20:00Z', 'queued'),
      tr('2026-03-03T09:30:00Z', 'in_assessment', { by: S1 }),
      tr('2026-03-03T09:40:00Z', 'not_illegal', { step: 'assessment', verdict: 'not_illegal' }),
      ev('2026-03-04T10:00:00Z', 'reports_attached', null, { urls: 4 }),
    ],
    appearances: [
      {
        dims: { source: 'public_web', hosting: 'unknown', contentType: 'unclassified', verdict: 'not_illegal' },
        observations: [
          o('deduplication', '2026-03-03', 1, 0),
          // Four more reports of the URL, all joining the case.
          o('deduplication', '2026-03-04', 4, 4),
          // 09:00 -> 09:40; priority 0 -> 72 h: hit.
          o('time_to_assessment', '2026-03-03', 1, 1, 2400),
          // Public, settled not illegal: miss.
          o('public_accuracy', '2026-03-03', 1, 0),
          o('settled_without_human', '2026-03-03', 1, 0),
        ],
      },
    ],
    // S2 09:10 -> 09:20 (released), S1 09:30 -> 09:40.
    viewing: [
      { day: '2026-03-03', staffId: S2, seconds: 600 },
      { day: '2026-03-03', staffId: S1, seconds: 600 },
    ],
  },

  // H: from a partner, hosted abroad by an older trace (no partnerCountry): the forward decided
  // says a partner serves it. Forwarded, never acknowledged.
  H: {
    events: [
      ev('2026-03-20T09:00:00Z', 'created', 'queued', { urls: 1, source: 'partner', priority: 60 }),
      ev('2026-03-20T09:01:00Z', 'hosting_resolved', null, { hostingClass: 'foreign', partnerCountry: null }),
      tr('2026-03-20T09:10:00Z', 'in_assessment', { by: S1 }),
      tr('2026-03-20T09:40:00Z', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'livestream' }),
      ev('2026-03-20T09:40:01Z', 'actions_decided', null, { forward: true }),
      ev('2026-03-20T09:45:00Z', 'forward_sent'),
      tr('2026-03-20T09:45:00Z', 'actioned', { step: 'forward_sent' }),
    ],
    appearances: [
      {
        dims: { source: 'partner', hosting: 'partner_country', contentType: 'livestream', verdict: 'baseline' },
        observations: [
          o('deduplication', '2026-03-20', 1, 0),
          // 09:00 -> 09:40; priority 60 -> 24 h: hit.
          o('time_to_assessment', '2026-03-20', 1, 1, 2400),
          o('settled_without_human', '2026-03-20', 1, 0),
          // The forward decided at 09:40:01 is the referral: hit.
          o('police_notification', '2026-03-20', 1, 1, 2401),
          o('removal_completion', '2026-03-20', 1, 0),
          o('no_hotline_hosting', '2026-03-20', 1, 0),
          // Confirmed 09:40 -> forward sent 09:45.
          o('time_to_notice', '2026-03-20', 1, 0, 300),
          // Not acknowledged: miss, no clock.
          o('cross_border', '2026-03-20', 1, 0, null),
        ],
      },
    ],
    viewing: [{ day: '2026-03-20', staffId: S1, seconds: 1800 }],
  },

  // I: public API, onion service (nobody to notify), removed exactly 30 days after confirmation.
  I: {
    events: [
      ev('2026-02-02T08:00:00Z', 'created', 'queued', { urls: 1, source: 'public_api', priority: 40 }),
      ev('2026-02-02T08:01:00Z', 'hosting_resolved', null, { hostingClass: 'onion' }),
      tr('2026-02-02T08:30:00Z', 'in_assessment', { by: S1 }),
      tr('2026-02-02T09:00:00Z', 'confirmed', { step: 'assessment', verdict: 'national', contentType: 'text' }),
      ev('2026-02-02T09:00:01Z', 'actions_decided', null, { police: true }),
      tr('2026-02-02T09:00:02Z', 'actioned', { step: 'police_referral' }),
      tr('2026-03-04T09:00:00Z', 'removed'),
    ],
    appearances: [
      {
        dims: { source: 'public_api', hosting: 'onion', contentType: 'text', verdict: 'national' },
        observations: [
          o('deduplication', '2026-02-02', 1, 0),
          // 08:00 -> 09:00; priority 40 -> 24 h: hit.
          o('time_to_assessment', '2026-02-02', 1, 1, H),
          o('public_accuracy', '2026-02-02', 1, 1),
          o('settled_without_human', '2026-02-02', 1, 0),
          o('police_notification', '2026-02-02', 1, 1, H + 1),
          // Confirmed 2 Feb 09:00, removed 4 Mar 09:00: 26 + 4 = 30 days exactly: hit.
          o('removal_completion', '2026-02-02', 1, 1),
          o('no_hotline_hosting', '2026-02-02', 1, 0),
          // 2 Feb 08:00 -> 4 Mar 09:00 = 30 d 1 h: far over 3 working days.
          o('time_to_removal', '2026-03-04', 1, 0, 30 * D + H),
          o('recurrence', '2026-03-04', 1, 0),
        ],
      },
    ],
    viewing: [{ day: '2026-02-02', staffId: S1, seconds: 1800 }],
  },
};

// Metric 7's "still online" by hand: a case whose latest status is confirmed or actioned, from the
// hour of its latest confirmation.
const ONLINE_SINCE: Record<string, string | null> = {
  A: null, // removed
  B: '2026-04-02T13:00:00.000Z', // actioned (forward sent), confirmed at 13:00
  C: '2026-04-02T15:00:00.000Z', // confirmed on review at 15:00, actions decided, no notice yet
  D: '2026-03-04T08:00:00.000Z', // created confirmed (a partner's) at 08:00
  E: '2026-03-10T12:00:00.000Z', // confirmed on appeal at 12:00 (the not-illegal verdict before it does not count)
  F: null, // reappeared a second time and queued: not confirmed in this appearance yet
  G: null, // not illegal
  H: '2026-03-20T09:00:00.000Z', // actioned; confirmed at 09:40, counted from its hour
  I: null, // removed
};

const observed: Record<string, CaseObservations> = Object.fromEntries(Object.entries(fixture).map(([name, c]) => [name, observeCase(c.events, rules)]));

describe('observeCase on the hand-computed fixture', () => {
  it.each(Object.keys(fixture))('case %s gives exactly the observations worked out by hand', (name) => {
    const got = observed[name];
    const want = fixture[name];
    expect(got.appearances.map((a) => a.dims)).toEqual(want.appearances.map((a) => a.dims));
    got.appearances.forEach((appearance, i) => expect(sorted(appearance.observations)).toEqual(sorted(want.appearances[i].observations)));
    expect(got.viewing).toEqual(want.viewing);
    expect(got.onlineSince).toBe(ONLINE_SINCE[name]);
  });

  it('covers every metric, with hits and misses of each rate', () => {
    const all = Object.values(fixture).flatMap((c) => c.appearances.flatMap((a) => a.observations));
    for (const metric of STAT_METRICS) {
      const of = all.filter((x) => x.metric === metric);
      expect(of.length).toBeGreaterThan(0);
      if (METRIC_DEFINITIONS[metric].hit !== null && metric !== 'appeal_reversal') {
        expect([metric, of.some((x) => x.hits > 0)]).toEqual([metric, true]);
        expect([metric, of.some((x) => x.hits < x.n)]).toEqual([metric, true]);
      }
      if (METRIC_DEFINITIONS[metric].duration === null) expect(of.every((x) => x.seconds === null)).toBe(true);
    }
  });

  it('dates every observation by the event its definition names', () => {
    // Spot checks of datedBy: clocks by the event that stops them, rates by the one that brings the case in.
    const a = observed.A.appearances[0].observations;
    expect(a.find((x) => x.metric === 'police_notification')!.day).toBe('2026-03-06');
    expect(a.find((x) => x.metric === 'time_to_notice')!.day).toBe('2026-03-09');
    expect(a.find((x) => x.metric === 'time_to_removal')!.day).toBe('2026-03-11');
  });

  it('moves the observations of a case when its content type and verdict arrive after the fact', () => {
    // Before the appeal, E is a bulk case judged not illegal, with no content type.
    const beforeAppeal = fixture.E.events.filter((e) => e.at < Date.parse('2026-03-10T09:00:00Z'));
    const before = observeCase(beforeAppeal, rules).appearances[0];
    expect(before.dims).toEqual({ source: 'bulk', hosting: 'domestic', contentType: 'unclassified', verdict: 'not_illegal' });
    expect(sorted(before.observations)).toEqual(
      sorted([
        o('deduplication', '2026-03-05', 1, 0),
        o('time_to_assessment', '2026-03-05', 1, 1, 1200),
        o('review_disagreement', '2026-03-05', 1, 1),
        o('settled_without_human', '2026-03-05', 1, 0),
      ]),
    );
    // After it, the same four observations (same days) sit under video / national, with the new ones.
    const after = observed.E.appearances[0];
    expect(after.dims.contentType).toBe('video');
    for (const x of before.observations) expect(after.observations).toContainEqual(x);
  });

  it('keeps recurrence open until the case comes back, and judges it by the 90-day rule', () => {
    // F's second removal, seen before its third appearance: a miss (not back yet); 90 days exactly later it would be a hit.
    const upToSecondRemoval = fixture.F.events.filter((e) => e.at <= Date.parse('2026-03-05T10:00:00Z'));
    const recurrence = (events: StatEvent[]) =>
      observeCase(events, rules)
        .appearances.flatMap((a) => a.observations)
        .filter((x) => x.metric === 'recurrence');
    expect(recurrence(upToSecondRemoval)).toEqual([o('recurrence', '2026-01-14', 1, 1), o('recurrence', '2026-03-05', 1, 0)]);
    const backAtNinetyDays = [...upToSecondRemoval, tr('2026-06-03T10:00:00Z', 'reappeared', { urls: 1 })];
    expect(recurrence(backAtNinetyDays)).toEqual([o('recurrence', '2026-01-14', 1, 1), o('recurrence', '2026-03-05', 1, 1)]);
  });

  it('settles an unassessable case sent back to the queue by its next verdict', () => {
    const unassessable = [
      ev('2026-03-03T09:00:00Z', 'created', 'queued', { urls: 1, source: 'public_web', priority: 0 }),
      tr('2026-03-03T09:10:00Z', 'in_assessment', { by: S1 }),
      tr('2026-03-03T09:30:00Z', 'unassessable', { step: 'assessment', verdict: 'unassessable' }),
    ];
    const settledBy = (events: StatEvent[]) =>
      sorted(observeCase(events, rules).appearances[0].observations.filter((x) => x.metric === 'public_accuracy' || x.metric === 'settled_without_human'));
    // Left unassessable: a public case assessed, not confirmed.
    expect(settledBy(unassessable)).toEqual([o('public_accuracy', '2026-03-03', 1, 0), o('settled_without_human', '2026-03-03', 1, 0)]);
    // Reachable again the next day and confirmed: a public case confirmed illegal, dated by that verdict.
    const confirmedLater = [
      ...unassessable,
      tr('2026-03-04T10:00:00Z', 'queued'),
      tr('2026-03-04T10:05:00Z', 'in_assessment', { by: S2 }),
      tr('2026-03-04T10:30:00Z', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }),
    ];
    expect(settledBy(confirmedLater)).toEqual([o('public_accuracy', '2026-03-04', 1, 1), o('settled_without_human', '2026-03-04', 1, 0)]);
    // The first verdict stays the unassessable one: 30 min after receipt.
    expect(observeCase(confirmedLater, rules).appearances[0].observations.filter((x) => x.metric === 'time_to_assessment')).toEqual([
      o('time_to_assessment', '2026-03-03', 1, 1, 1800),
    ]);
  });

  it('takes a case out of still online when it is removed or sent to appeal, and back in when confirmed again', () => {
    const confirmed = [
      ev('2026-03-03T09:00:00Z', 'created', 'queued', { urls: 1, source: 'public_web', priority: 0 }),
      tr('2026-03-03T09:10:00Z', 'in_assessment', { by: S1 }),
      tr('2026-03-03T09:30:00Z', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }),
    ];
    expect(observeCase(confirmed, rules).onlineSince).toBe('2026-03-03T09:00:00.000Z');
    const appealed = [...confirmed, tr('2026-03-04T10:00:00Z', 'pending_review', { step: 'appeal', verdict: 'baseline' })];
    expect(observeCase(appealed, rules).onlineSince).toBeNull();
    const upheld = [...appealed, tr('2026-03-05T11:15:00Z', 'confirmed', { step: 'appeal_review', decision: 'confirm', verdict: 'baseline' })];
    expect(observeCase(upheld, rules).onlineSince).toBe('2026-03-05T11:00:00.000Z');
    // Non-status events (actions decided, notices) leave it as it is.
    expect(observeCase([...upheld, ev('2026-03-05T11:16:00Z', 'notice_sent')], rules).onlineSince).toBe('2026-03-05T11:00:00.000Z');
  });

  it('uses the recorded source, or the fallback for a case created before the source was recorded', () => {
    const events = [ev('2026-03-03T09:00:00Z', 'created', 'queued', { urls: 1 }), tr('2026-03-03T09:10:00Z', 'in_assessment', { by: S1 })];
    expect(observeCase(events, rules).appearances[0].dims.source).toBe('public');
    expect(observeCase(events, rules, 'partner').appearances[0].dims.source).toBe('partner');
  });
});

/** The fixture as the rollups store it, then summed over 2026 from the month cells, as the console reads a year. */
function yearCells(): Map<string, RollupCell> {
  const fine = new FineCells();
  for (const c of Object.values(observed)) fine.add(c);
  return rollupCells(fine.cells.values());
}
function sumOf(cells: Map<string, RollupCell>, metric: StatMetric, dimension: 'all' | StatDimension = 'all', value = '', grain: 'day' | 'month' = 'month'): CellSums {
  const sums = { n: 0, hits: 0, measured: 0, hist: [] as number[] };
  for (const cell of cells.values()) {
    if (cell.grain !== grain || cell.metric !== metric || cell.dimension !== dimension || cell.value !== value) continue;
    sums.n += cell.n;
    sums.hits += cell.hits;
    sums.measured += cell.measured;
    addCounts(sums.hist, cell.hist);
  }
  return sums;
}

describe('the fixture through the rollups and figures', () => {
  const cells = yearCells();

  // [metric, count, hits, measured, median s, p90 s] summed by hand from the observations above.
  // Medians and 90th percentiles by nearest rank: the ceil(q·n)-th smallest duration.
  it.each<[StatMetric, number, number, number, number | null, number | null]>([
    // A 3/2, B 1/0, C 2/1, D 1/0, E 1/0, F 1/0 + 1/0 + 2/2, G 1/0 + 4/4, H 1/0, I 1/0.
    ['deduplication', 19, 9, 0, null, null],
    // 0, 1200, 2100, 2400, 2400, 3600, 3600, 7200, 10800, 86400: 5th = 2400, 9th = 10800. Only B missed.
    ['time_to_assessment', 10, 9, 10, 2400, 10800],
    // A, B, C, F×2, I confirmed; G not illegal. D, H (partner) and E (bulk) are not public.
    ['public_accuracy', 7, 6, 0, null, null],
    // 2401, 3601, 3601, 7201, 86401, 446401, 604800, 604801 (D has none): 4th = 7201, 8th = 604801.
    // Hits A, B, F×2, H, I; misses C, D, E.
    ['police_notification', 9, 6, 8, 7201, 604801],
    // 300, 3600, 3600, 3600, 226800, 594300: 3rd = 3600, 6th = 594300.
    ['time_to_notice', 6, 0, 6, 3600, 594300],
    // 345600, 395999, 431940, 2595600: 2nd = 395999, 4th = 2595600. Hits A and F's first.
    ['time_to_removal', 4, 2, 4, 395999, 2595600],
    // 197940, 255600, 388799: 2nd = 255600, 3rd = 388799. I had no notice.
    ['notice_to_removal', 3, 0, 3, 255600, 388799],
    // Confirmed: A, B, C, D, E, F×2, H, I; removed within 30 days: A, F×2, I.
    ['removal_completion', 9, 4, 0, null, null],
    // Forwarded: B (acknowledged after 1 d) and H (not).
    ['cross_border', 2, 1, 1, 86400, 86400],
    // Of the nine confirmed appearances only C is hosted where no hotline is.
    ['no_hotline_hosting', 9, 1, 0, null, null],
    // Removed: A, F×2, I; back within 90 days: F's first.
    ['recurrence', 4, 1, 0, null, null],
    // C confirmed, E overturned.
    ['review_disagreement', 2, 1, 0, null, null],
    ['appeal_reversal', 1, 1, 0, null, null],
    // Settled: every appearance but F's third; without a human: D.
    ['settled_without_human', 10, 1, 0, null, null],
  ])('%s: count %d, hits %d, measured %d, median %p, p90 %p', (metric, count, hits, measured, median, p90) => {
    const figure = figureOf(metric, sumOf(cells, metric), 1);
    expect({ count: figure.count, hits: figure.hits, rate: figure.rate, measured: figure.measured, suppressed: figure.suppressed }).toEqual({
      count,
      hits,
      rate: hits / count,
      measured,
      suppressed: false,
    });
    for (const [got, want] of [
      [figure.median, median],
      [figure.p90, p90],
    ] as const) {
      if (want === null) expect(got).toBeNull();
      else expect(Math.abs(got! - want)).toBeLessThanOrEqual(DURATION_RELATIVE_ERROR * want);
    }
  });

  it('gives the same sums from the day cells as from the month cells', () => {
    for (const metric of STAT_METRICS) expect(sumOf(cells, metric, 'all', '', 'day')).toEqual(sumOf(cells, metric));
  });

  it('breaks the figures down by source and hosting', () => {
    // Confirmed appearances by hosting: domestic A, E, F×2; partner country B, H; no hotline C; unknown D; onion I.
    expect(sumOf(cells, 'no_hotline_hosting', 'hosting', 'domestic')).toMatchObject({ n: 4, hits: 0 });
    expect(sumOf(cells, 'no_hotline_hosting', 'hosting', 'partner_country')).toMatchObject({ n: 2, hits: 0 });
    expect(sumOf(cells, 'no_hotline_hosting', 'hosting', 'no_hotline_country')).toMatchObject({ n: 1, hits: 1 });
    expect(sumOf(cells, 'no_hotline_hosting', 'hosting', 'unknown')).toMatchObject({ n: 1, hits: 0 });
    expect(sumOf(cells, 'no_hotline_hosting', 'hosting', 'onion')).toMatchObject({ n: 1, hits: 0 });
    // Public accuracy by door: form A, C, F×2, G (4 of 5 confirmed); API B, I.
    expect(sumOf(cells, 'public_accuracy', 'source', 'public_web')).toMatchObject({ n: 5, hits: 4 });
    expect(sumOf(cells, 'public_accuracy', 'source', 'public_api')).toMatchObject({ n: 2, hits: 2 });
    // E counts under the verdict and content type it ended with, from its first day.
    expect(sumOf(cells, 'review_disagreement', 'verdict', 'national')).toMatchObject({ n: 1, hits: 1 });
    expect(sumOf(cells, 'review_disagreement', 'verdict', 'not_illegal')).toMatchObject({ n: 0, hits: 0 });
  });

  describe('with STATS_MIN_CELL 5', () => {
    it('suppresses a cell of 3 cases', () => {
      // Time to assessment of image content: A, C and F's first appearance.
      const sums = sumOf(cells, 'time_to_assessment', 'content_type', 'image');
      expect(sums.n).toBe(3);
      expect(figureOf('time_to_assessment', sums, 5)).toEqual({
        metric: 'time_to_assessment',
        count: null,
        hits: null,
        rate: null,
        measured: null,
        median: null,
        p90: null,
        suppressed: true,
      });
      // Four removed cases in the whole year: the year's figure is suppressed too.
      expect(figureOf('recurrence', sumOf(cells, 'recurrence'), 5).suppressed).toBe(true);
    });

    it('does not suppress an empty cell: it discloses nothing', () => {
      expect(figureOf('time_to_assessment', sumOf(cells, 'time_to_assessment', 'content_type', 'other'), 5)).toEqual({
        metric: 'time_to_assessment',
        count: 0,
        hits: 0,
        rate: null,
        measured: 0,
        median: null,
        p90: null,
        suppressed: false,
      });
    });

    it('shows the counts of 5 cases but withholds percentiles of fewer than 5 durations', () => {
      // Police notification, March 2026 (dated by confirmation): A (hit), D (no referral), E (miss), F's second (hit), H (hit).
      const march = cells.get(cellKey({ grain: 'month', period: '2026-03-01', metric: 'police_notification', dimension: 'all', value: '' }))!;
      const figure = figureOf('police_notification', march, 5);
      expect(figure).toEqual({ metric: 'police_notification', count: 5, hits: 3, rate: 0.6, measured: 4, median: null, p90: null, suppressed: false });
    });

    it('shows the percentiles once 5 durations are measured', () => {
      const figure = figureOf('time_to_assessment', sumOf(cells, 'time_to_assessment'), 5);
      expect(figure.suppressed).toBe(false);
      expect(Math.abs(figure.median! - 2400)).toBeLessThanOrEqual(DURATION_RELATIVE_ERROR * 2400);
      expect(Math.abs(figure.p90! - 10800)).toBeLessThanOrEqual(DURATION_RELATIVE_ERROR * 10800);
    });
  });
});
