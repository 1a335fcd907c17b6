import fc from 'fast-check';
import { type FineCell, FineCells, type RollupCell, rollupCells } from './cells';
import { eventsByCase, rollupDelta } from './delta';
import { type ObservationRules, observeCase, type StatEvent } from './observations';

const rules: ObservationRules = {
  calendar: { country: 'NL', weekend: [6, 0], holidays: new Set(['2026-04-06']) },
  assessmentTargets: [
    { minPriority: 70, withinMs: 7_200_000 },
    { minPriority: 0, withinMs: 259_200_000 },
  ],
};

type Ev = StatEvent & { caseId: string };
const ev = (caseId: string, at: string, kind: string, to: string | null = null, detail: Partial<StatEvent> = {}): Omit<Ev, 'id'> => ({
  caseId,
  at: Date.parse(at),
  kind,
  to,
  ...detail,
});

/**
 * Three cases whose events interleave in id order, as in case_event: one whose verdict and content
 * type change after the fact (review overturn, appeal), one that is removed and reappears, one
 * forwarded abroad whose hosting class arrives late.
 */
const history: Ev[] = [
  ev('a', '2026-03-05T08:00:00Z', 'created', 'queued', { urls: 2, source: 'bulk', priority: 45 }),
  ev('b', '2026-03-06T17:00:00Z', 'created', 'queued', { urls: 1, source: 'public_web', priority: 80 }),
  ev('a', '2026-03-05T08:01:00Z', 'hosting_resolved', null, { hostingClass: 'domestic' }),
  ev('a', '2026-03-05T08:05:00Z', 'transition', 'in_assessment', { by: 's2' }),
  ev('b', '2026-03-06T17:01:00Z', 'hosting_resolved', null, { hostingClass: 'domestic' }),
  ev('a', '2026-03-05T08:20:00Z', 'transition', 'pending_review', { step: 'assessment', verdict: 'national' }),
  ev('b', '2026-03-06T18:00:00Z', 'transition', 'in_assessment', { by: 's1' }),
  ev('a', '2026-03-05T10:00:00Z', 'transition', 'not_illegal', { step: 'review', decision: 'overturn', verdict: 'not_illegal' }),
  ev('b', '2026-03-06T19:00:00Z', 'transition', 'confirmed', { step: 'assessment', verdict: 'baseline', contentType: 'image' }),
  ev('c', '2026-03-07T09:00:00Z', 'created', 'queued', { urls: 1, source: 'partner', priority: 10 }),
  ev('b', '2026-03-06T19:00:01Z', 'actions_decided', null, { police: true }),
  ev('c', '2026-03-07T09:10:00Z', 'transition', 'in_assessment', { by: 's1' }),
  ev('b', '2026-03-09T10:00:00Z', 'notice_sent'),
  ev('c', '2026-03-07T09:40:00Z', 'transition', 'confirmed', { step: 'assessment', verdict: 'national', contentType: 'video' }),
  ev('b', '2026-03-09T10:00:00Z', 'transition', 'actioned', { step: 'notice_sent' }),
  ev('a', '2026-03-10T09:00:00Z', 'transition', 'pending_review', { step: 'appeal', verdict: 'not_illegal' }),
  ev('b', '2026-03-11T16:59:00Z', 'transition', 'removed'),
  ev('c', '2026-03-09T09:00:00Z', 'hosting_resolved', null, { hostingClass: 'foreign', partnerCountry: true }),
  ev('a', '2026-03-10T12:00:00Z', 'transition', 'confirmed', { step: 'appeal_review', decision: 'overturn', verdict: 'national', contentType: 'video' }),
  ev('c', '2026-03-09T09:00:01Z', 'actions_decided', null, { forward: true }),
  ev('a', '2026-03-10T12:00:01Z', 'actions_decided', null, { police: true }),
  ev('c', '2026-03-09T09:05:00Z', 'forward_sent'),
  ev('b', '2026-04-20T10:00:00Z', 'transition', 'reappeared', { urls: 1 }),
  ev('b', '2026-04-20T10:00:00Z', 'transition', 'queued'),
  ev('c', '2026-03-10T09:05:00Z', 'forward_acknowledged'),
  ev('b', '2026-04-20T11:00:00Z', 'reports_attached', null, { urls: 3 }),
  ev('b', '2026-04-21T09:00:00Z', 'transition', 'in_assessment', { by: 's2' }),
  ev('b', '2026-04-21T09:30:00Z', 'transition', 'confirmed', { step: 'assessment', verdict: 'national', contentType: 'video' }),
].map((e, i) => ({ ...e, id: i + 1 }));

/** The stored cells of the whole history up to `cursor`, recomputed from scratch. */
function cellsThrough(cursor: number) {
  const fine = new FineCells();
  for (const events of eventsByCase(history.filter((e) => e.id <= cursor)).values()) fine.add(observeCase(events, rules));
  return fine;
}
/** What the worker computes for the events in (from, to]: the touched cases, with their events up to `to`. */
function deltaOf(from: number, to: number): FineCells {
  const touched = new Set(history.filter((e) => e.id > from && e.id <= to).map((e) => e.caseId));
  const events = [...eventsByCase(history.filter((e) => e.id <= to)).entries()].filter(([id]) => touched.has(id)).map(([, list]) => list);
  return rollupDelta(events, from, rules);
}
/** The rollups at `from`, moved on by the delta of the events in (from, to]. */
function movedOn(from: number, to: number): FineCells {
  const moved = new FineCells();
  for (const [key, cell] of cellsThrough(from).cells) moved.cells.set(`applied|${key}`, cell);
  for (const [key, cell] of deltaOf(from, to).cells) moved.cells.set(`delta|${key}`, cell);
  return moved;
}
/** The stored cells as sorted lines of text: jest compares thousands of dense histogram buckets slowly, strings fast. */
const table = (fine: FineCells | Map<string, RollupCell>) =>
  [...(fine instanceof FineCells ? rollupCells(fine.cells.values()) : fine)]
    .map(([key, c]) => `${key} n=${c.n} hits=${c.hits} measured=${c.measured} hist=${c.hist.join(',')}`)
    .sort();

describe('rollupDelta', () => {
  it('moves the rollups of any cursor to exactly those one event later, and those of the whole history', () => {
    for (let from = 0; from < history.length; from++) {
      for (const to of [from + 1, history.length]) expect([from, to, table(movedOn(from, to))]).toEqual([from, to, table(cellsThrough(to))]);
    }
  });

  it('moves them the same from random cursors, whatever the grouping of the events', () => {
    // The worker reads a batch of events; any split of the history into batches gives the same rollups.
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: history.length - 1 }), { maxLength: 8 }), (cuts) => {
        const cursors = [0, ...cuts.sort((a, b) => a - b), history.length];
        const parts: FineCell[] = [...cellsThrough(0).cells.values()];
        for (let i = 1; i < cursors.length; i++) parts.push(...deltaOf(cursors[i - 1], cursors[i]).cells.values());
        expect(table(rollupCells(parts))).toEqual(table(cellsThrough(history.length)));
      }),
      { numRuns: 40 },
    );
  });

  it('moves what an after-the-fact event changes: the appeal takes case a from not_illegal to national', () => {
    const appeal = history.find((e) => e.caseId === 'a' && e.step === 'appeal_review')!;
    const delta = rollupDelta([history.filter((e) => e.caseId === 'a' && e.id <= appeal.id)], appeal.id - 1, rules);
    const cells = rollupCells(delta.cells.values());
    // The review of 5 March leaves the not_illegal cell and enters the national one; the total does not move.
    const review = (dimension: string, value: string) => cells.get(`month|2026-03-01|review_disagreement|${dimension}|${value}`);
    expect(review('verdict', 'not_illegal')).toMatchObject({ n: -1, hits: -1 });
    expect(review('verdict', 'national')).toMatchObject({ n: 1, hits: 1 });
    expect(review('content_type', 'unclassified')).toMatchObject({ n: -1 });
    expect(review('content_type', 'video')).toMatchObject({ n: 1 });
    expect(review('all', '')).toBeUndefined();
    // And it adds what the appeal itself brings.
    expect(cells.get('month|2026-03-01|appeal_reversal|all|')).toMatchObject({ n: 1, hits: 1 });
    expect(cells.get('month|2026-03-01|police_notification|all|')).toMatchObject({ n: 1, hits: 0, measured: 0 });
  });

  it('gives nothing for a case with no new events', () => {
    const a = history.filter((e) => e.caseId === 'a');
    expect(rollupCells(rollupDelta([a], history.length, rules).cells.values()).size).toBe(0);
  });
});

describe('eventsByCase', () => {
  it('groups events by case, keeping their order', () => {
    const grouped = eventsByCase(history);
    expect([...grouped.keys()]).toEqual(['a', 'b', 'c']);
    for (const [caseId, events] of grouped) {
      expect(events.every((e) => e.caseId === caseId)).toBe(true);
      expect(events.map((e) => e.id)).toEqual(history.filter((e) => e.caseId === caseId).map((e) => e.id));
    }
  });
});
