import { cellKey, FineCells, isEmptyCell, rollupCells, spreadCells, trimHist } from './cells';
import { durationBucket } from './histogram';
import { type CaseDimensions, STAT_CELL_DIMENSIONS, STAT_DIMENSIONS } from './metrics';
import type { CaseObservations, Observation } from './observations';

const dims: CaseDimensions = { source: 'public_web', hosting: 'domestic', contentType: 'image', verdict: 'baseline' };
const other: CaseDimensions = { source: 'bulk', hosting: 'onion', contentType: 'video', verdict: 'national' };
const o = (metric: Observation['metric'], day: string, n: number, hits: number, seconds: number | null = null): Observation => ({ metric, day, n, hits, seconds });
const caseOf = (d: CaseDimensions, observations: Observation[], viewing: CaseObservations['viewing'] = [], onlineSince: string | null = null): CaseObservations => ({
  appearances: [{ dims: d, observations }],
  viewing,
  onlineSince,
});
const rollup = (...cases: CaseObservations[]) => {
  const fine = new FineCells();
  for (const c of cases) fine.add(c);
  return rollupCells(fine.cells.values());
};

describe('FineCells', () => {
  it('sums observations per metric, day and full set of breakdown values', () => {
    const fine = new FineCells();
    fine.add(caseOf(dims, [o('time_to_assessment', '2026-03-06', 1, 1, 7200), o('police_notification', '2026-03-06', 1, 0, null)]));
    fine.add(caseOf(dims, [o('time_to_assessment', '2026-03-06', 1, 0, 7300)]));
    fine.add(caseOf(other, [o('time_to_assessment', '2026-03-06', 1, 1, 60)]));
    expect(fine.cells.size).toBe(3);
    const tta = [...fine.cells.values()].find((c) => c.metric === 'time_to_assessment' && c.source === 'public_web')!;
    expect(tta).toMatchObject({ day: '2026-03-06', hosting: 'domestic', contentType: 'image', verdict: 'baseline', n: 2, hits: 1, measured: 2 });
    // 7200 s and 7300 s fall in one bucket (buckets are about 5% wide).
    expect([...tta.hist]).toEqual([[durationBucket(7200), 2]]);
    // A clock that did not stop is counted, not measured.
    const police = [...fine.cells.values()].find((c) => c.metric === 'police_notification')!;
    expect(police).toMatchObject({ n: 1, hits: 0, measured: 0 });
    expect(police.hist.size).toBe(0);
  });

  it('adds the viewing time per day and analyst', () => {
    const fine = new FineCells();
    fine.add(caseOf(dims, [], [{ day: '2026-03-03', staffId: 's1', seconds: 600 }]));
    fine.add(
      caseOf(
        dims,
        [],
        [
          { day: '2026-03-03', staffId: 's1', seconds: 300 },
          { day: '2026-03-03', staffId: 's2', seconds: 60 },
        ],
      ),
    );
    expect(Object.fromEntries(fine.viewing)).toEqual({ '2026-03-03|s1': 900, '2026-03-03|s2': 60 });
  });

  it('counts the cases still online per hour of confirmation, and takes one away when it leaves', () => {
    const fine = new FineCells();
    fine.add(caseOf(dims, [], [], '2026-03-06T19:00:00.000Z'));
    fine.add(caseOf(other, [], [], '2026-03-06T19:00:00.000Z'));
    fine.add(caseOf(other, [], [], '2026-03-07T08:00:00.000Z'));
    fine.add(caseOf(dims, []));
    expect(Object.fromEntries(fine.online)).toEqual({ '2026-03-06T19:00:00.000Z': 2, '2026-03-07T08:00:00.000Z': 1 });
    fine.add(caseOf(other, [], [], '2026-03-07T08:00:00.000Z'), -1);
    expect(fine.online.get('2026-03-07T08:00:00.000Z')).toBe(0);
  });

  it('takes a case away exactly with sign -1', () => {
    const a = caseOf(
      dims,
      [o('deduplication', '2026-03-06', 3, 2), o('time_to_removal', '2026-03-11', 1, 1, 431_940)],
      [{ day: '2026-03-06', staffId: 's1', seconds: 3600 }],
    );
    const b = caseOf(other, [o('time_to_removal', '2026-03-11', 1, 0, 345_600)]);
    const fine = new FineCells();
    fine.add(a);
    fine.add(b);
    fine.add(a, -1);
    expect(rollupCells(fine.cells.values())).toEqual(rollup(b));
    expect(fine.viewing.get('2026-03-06|s1')).toBe(0);
    fine.add(b, -1);
    expect(rollupCells(fine.cells.values()).size).toBe(0);
  });
});

describe('rollupCells', () => {
  it('counts every observation once per grain in the total and once in each breakdown', () => {
    const cells = rollup(caseOf(dims, [o('time_to_assessment', '2026-03-06', 1, 1, 7200)]));
    // 2 grains × (all + 4 breakdowns).
    expect(cells.size).toBe(2 * STAT_CELL_DIMENSIONS.length);
    const keys = [...cells.keys()].sort();
    expect(keys).toEqual(
      [
        ...['day|2026-03-06', 'month|2026-03-01'].flatMap((p) => [
          `${p}|time_to_assessment|all|`,
          `${p}|time_to_assessment|source|public_web`,
          `${p}|time_to_assessment|hosting|domestic`,
          `${p}|time_to_assessment|content_type|image`,
          `${p}|time_to_assessment|verdict|baseline`,
        ]),
      ].sort(),
    );
    const hist: number[] = Array.from({ length: durationBucket(7200) + 1 }, (_, k) => (k === durationBucket(7200) ? 1 : 0));
    for (const cell of cells.values()) expect(cell).toMatchObject({ n: 1, hits: 1, measured: 1, hist });
  });

  it('sums days into their month, and each breakdown adds up to the total', () => {
    const cells = rollup(
      caseOf(dims, [o('time_to_assessment', '2026-03-06', 1, 1, 7200), o('time_to_assessment', '2026-03-20', 1, 0, 90_000)]),
      caseOf(other, [o('time_to_assessment', '2026-03-06', 1, 1, 60), o('time_to_assessment', '2026-04-01', 1, 1, 60)]),
    );
    const get = (grain: 'day' | 'month', period: string, dimension: (typeof STAT_CELL_DIMENSIONS)[number] = 'all', value = '') =>
      cells.get(cellKey({ grain, period, metric: 'time_to_assessment', dimension, value }));
    expect(get('day', '2026-03-06')).toMatchObject({ n: 2, hits: 2, measured: 2 });
    expect(get('day', '2026-03-20')).toMatchObject({ n: 1, hits: 0 });
    expect(get('month', '2026-03-01')).toMatchObject({ n: 3, hits: 2, measured: 3 });
    expect(get('month', '2026-04-01')).toMatchObject({ n: 1, hits: 1 });
    expect(get('month', '2026-03-01', 'source', 'public_web')).toMatchObject({ n: 2, hits: 1 });
    expect(get('month', '2026-03-01', 'source', 'bulk')).toMatchObject({ n: 1, hits: 1 });
    for (const dimension of STAT_DIMENSIONS) {
      const parts = [...cells.values()].filter((c) => c.grain === 'month' && c.period === '2026-03-01' && c.dimension === dimension);
      expect(parts.reduce((sum, c) => sum + c.n, 0)).toBe(3);
      expect(parts.reduce((sum, c) => sum + c.measured, 0)).toBe(3);
    }
    // The month's histogram is the sum of its days'.
    const month = get('month', '2026-03-01')!.hist;
    const days = [get('day', '2026-03-06')!.hist, get('day', '2026-03-20')!.hist];
    for (let k = 0; k < Math.max(month.length, ...days.map((d) => d.length)); k++) expect(month[k] ?? 0).toBe((days[0][k] ?? 0) + (days[1][k] ?? 0));
  });

  it('leaves out cells that sum to nothing and trims trailing empty buckets', () => {
    const fine = new FineCells();
    fine.add(caseOf(dims, [o('time_to_removal', '2026-03-11', 1, 1, 1_000_000), o('recurrence', '2026-03-11', 1, 0)]));
    fine.add(caseOf(other, [o('time_to_removal', '2026-03-11', 1, 0, 10)]));
    fine.add(caseOf(dims, [o('time_to_removal', '2026-03-11', 1, 1, 1_000_000), o('recurrence', '2026-03-11', 1, 0)]), -1);
    const cells = rollupCells(fine.cells.values());
    // Only the other case is left: its 5 cells per grain; no recurrence, no public_web, its histogram ends at its bucket.
    expect(cells.size).toBe(2 * STAT_CELL_DIMENSIONS.length);
    for (const cell of cells.values()) {
      expect(cell.metric).toBe('time_to_removal');
      expect(cell.hist).toHaveLength(durationBucket(10) + 1);
    }
    expect([...cells.values()].some((c) => c.value === 'public_web')).toBe(false);
  });

  it('spreadCells adds batches into one map as rollupCells gives their union', () => {
    const first = new FineCells();
    first.add(caseOf(dims, [o('time_to_removal', '2026-03-11', 1, 1, 431_940), o('deduplication', '2026-03-06', 3, 2)]));
    const second = new FineCells();
    second.add(caseOf(other, [o('time_to_removal', '2026-03-12', 1, 0, 90)]));
    second.add(caseOf(dims, [o('time_to_removal', '2026-03-11', 1, 0, 600)]));
    const both = new FineCells();
    for (const fine of [first, second]) for (const cell of fine.cells.values()) both.cells.set(`${both.cells.size}`, cell);
    const spread = spreadCells(spreadCells(new Map(), first.cells.values()), second.cells.values());
    for (const cell of spread.values()) trimHist(cell.hist);
    expect(spread).toEqual(rollupCells(both.cells.values()));
  });

  it('gives nothing for nothing', () => {
    expect(rollupCells([]).size).toBe(0);
  });
});

describe('cell helpers', () => {
  it('isEmptyCell sees any count, hit, measure or bucket', () => {
    expect(isEmptyCell({ n: 0, hits: 0, measured: 0, hist: [] })).toBe(true);
    expect(isEmptyCell({ n: 0, hits: 0, measured: 0, hist: [0, 0] })).toBe(true);
    expect(isEmptyCell({ n: 1, hits: 0, measured: 0, hist: [] })).toBe(false);
    expect(isEmptyCell({ n: 0, hits: 0, measured: 0, hist: [0, 1] })).toBe(false);
    expect(isEmptyCell({ n: 0, hits: 0, measured: -1, hist: [] })).toBe(false);
  });

  it('trimHist drops trailing zeros only', () => {
    expect(trimHist([0, 2, 0, 1, 0, 0])).toEqual([0, 2, 0, 1]);
    expect(trimHist([0, 0])).toEqual([]);
  });

  it('cellKey names grain, period, metric, dimension and value', () => {
    expect(cellKey({ grain: 'month', period: '2026-03-01', metric: 'recurrence', dimension: 'all', value: '' })).toBe('month|2026-03-01|recurrence|all|');
  });
});
