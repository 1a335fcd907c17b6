import fc from 'fast-check';
import { REPORTED_CONTENT_TYPES } from '../report/content-types';
import { CONTENT_TYPES_BY_SEVERITY, PRIORITY_WEIGHTS, PriorityInput, URGENT_PRIORITY, computePriority, highestContentType } from './priority';

/** One public report of a URL of unknown content, nothing else known. */
const quiet: PriorityInput = {
  contentTypes: [],
  victimIdentifiable: false,
  reportsLastHour: 1,
  reportCount: 1,
  reappearances: 0,
  fromPartner: false,
  domainConfirmedCases: 0,
};

const score = (changes: Partial<PriorityInput>): number => computePriority({ ...quiet, ...changes }).score;

const anyInput: fc.Arbitrary<PriorityInput> = fc.record({
  contentTypes: fc.subarray([...REPORTED_CONTENT_TYPES]),
  victimIdentifiable: fc.boolean(),
  reportsLastHour: fc.nat(10_000),
  reportCount: fc.nat(100_000),
  reappearances: fc.nat(50),
  fromPartner: fc.boolean(),
  domainConfirmedCases: fc.nat(100_000),
});

describe('computePriority', () => {
  it('ranks livestream > videos > images > text > other = unknown, all else equal', () => {
    const scores = (['livestream', 'videos', 'images', 'text', 'other'] as const).map((t) => score({ contentTypes: [t] }));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(scores.slice(0, 4)).size).toBe(4);
    expect(score({ contentTypes: ['other'] })).toBe(score({ contentTypes: [] }));
    expect(score({ contentTypes: [] })).toBeGreaterThan(0);
  });

  it('counts the most severe reported type only', () => {
    expect(score({ contentTypes: ['text', 'livestream', 'images'] })).toBe(score({ contentTypes: ['livestream'] }));
    expect(score({ contentTypes: ['other', 'images', 'images'] })).toBe(score({ contentTypes: ['images'] }));
  });

  it('puts a child in danger first: the victim flag alone outranks any content type without it', () => {
    const victimOnly = score({ victimIdentifiable: true });
    for (const type of REPORTED_CONTENT_TYPES) {
      expect(victimOnly).toBeGreaterThan(score({ contentTypes: [type] }));
    }
    expect(victimOnly).toBeGreaterThanOrEqual(URGENT_PRIORITY);
  });

  it('makes every victim-flagged case urgent', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        expect(computePriority({ ...input, victimIdentifiable: true }).score).toBeGreaterThanOrEqual(URGENT_PRIORITY);
      }),
    );
  });

  it.each([
    ['reportsLastHour', 20],
    ['reappearances', 5],
    ['domainConfirmedCases', 20],
  ] as const)('never decreases as %s grows, and grows at first', (key, until) => {
    let previous = -1;
    for (let n = 0; n <= until; n++) {
      const current = score({ [key]: n });
      expect(current).toBeGreaterThanOrEqual(previous);
      previous = current;
    }
    expect(score({ [key]: until })).toBeGreaterThan(score({ [key]: 0 }));
  });

  it('is monotonic in velocity, reappearances and domain history for any other input', () => {
    const key = fc.constantFrom('reportsLastHour', 'reappearances', 'domainConfirmedCases' as const);
    fc.assert(
      fc.property(anyInput, key, fc.nat(1000), fc.nat(1000), (input, k, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(computePriority({ ...input, [k]: high }).score).toBeGreaterThanOrEqual(computePriority({ ...input, [k]: low }).score);
      }),
    );
  });

  it('caps velocity, reappearance and domain history', () => {
    const points = (input: Partial<PriorityInput>, factor: string) => computePriority({ ...quiet, ...input }).factors.find((f) => f.factor === factor)?.points;
    expect(points({ reportsLastHour: 1_000_000 }, 'velocity')).toBe(PRIORITY_WEIGHTS.velocity.max);
    expect(points({ reappearances: 1_000 }, 'reappeared')).toBe(PRIORITY_WEIGHTS.reappeared.max);
    expect(points({ domainConfirmedCases: 1_000_000 }, 'domain_history')).toBe(PRIORITY_WEIGHTS.domainHistory.max);
  });

  it('scales velocity and domain history by doublings', () => {
    const points = (input: Partial<PriorityInput>, factor: string) => computePriority({ ...quiet, ...input }).factors.find((f) => f.factor === factor)?.points ?? 0;
    expect([1, 2, 4, 8, 16, 32].map((n) => points({ reportsLastHour: n }, 'velocity'))).toEqual([0, 5, 10, 15, 20, 20]);
    expect([0, 1, 3, 7, 15].map((n) => points({ domainConfirmedCases: n }, 'domain_history'))).toEqual([0, 4, 8, 12, 12]);
    expect([0, 1, 2, 3, 4].map((n) => points({ reappearances: n }, 'reappeared'))).toEqual([0, 5, 10, 15, 15]);
  });

  it('adds the partner bonus', () => {
    expect(score({ fromPartner: true }) - score({})).toBe(PRIORITY_WEIGHTS.partnerSource);
  });

  it('stays an integer within 0..100, even for odd counts', () => {
    const odd = fc.oneof(fc.integer(), fc.double(), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(anyInput, odd, odd, odd, (input, a, b, c) => {
        for (const candidate of [input, { ...input, reportsLastHour: a, reappearances: b, domainConfirmedCases: c }]) {
          const { score: s } = computePriority(candidate);
          expect(Number.isInteger(s)).toBe(true);
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(100);
        }
      }),
    );
  });

  it('clamps at 100 when everything is at its worst', () => {
    const worst = computePriority({
      contentTypes: ['livestream'],
      victimIdentifiable: true,
      reportsLastHour: 500,
      reportCount: 5000,
      reappearances: 9,
      fromPartner: true,
      domainConfirmedCases: 300,
    });
    expect(worst.score).toBe(100);
    expect(worst.factors.reduce((sum, f) => sum + f.points, 0)).toBeGreaterThan(100);
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        expect(computePriority(structuredClone(input))).toEqual(computePriority(input));
      }),
    );
  });

  it('lists only factors with points, and they sum to the score when not clamped', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { score: s, factors } = computePriority(input);
        const sum = factors.reduce((total, f) => total + f.points, 0);
        for (const f of factors) expect(f.points).not.toBe(0);
        if (sum <= 100) expect(s).toBe(sum);
        else expect(s).toBe(100);
      }),
    );
  });

  it('explains each factor in words an analyst reads', () => {
    const { factors } = computePriority({
      contentTypes: ['images', 'videos'],
      victimIdentifiable: true,
      reportsLastHour: 3,
      reportCount: 12,
      reappearances: 1,
      fromPartner: true,
      domainConfirmedCases: 2,
    });
    expect(factors).toEqual([
      { factor: 'content_type', points: 30, detail: 'videos reported' },
      {
        factor: 'victim_identifiable',
        points: 65,
        detail: 'a reporter said a child may be identifiable or in danger now',
      },
      { factor: 'velocity', points: 7, detail: '3 reports in the last hour (12 in total)' },
      { factor: 'reappeared', points: 5, detail: 'reappeared 1 time after removal' },
      { factor: 'partner_source', points: 10, detail: 'sent by a partner hotline' },
      { factor: 'domain_history', points: 6, detail: '2 confirmed cases on the same domain before' },
    ]);
  });

  it('explains a quiet case with its content type alone', () => {
    expect(computePriority(quiet)).toEqual({
      score: 5,
      factors: [{ factor: 'content_type', points: 5, detail: 'content type not reported' }],
    });
    expect(computePriority({ ...quiet, contentTypes: ['other'] }).factors[0].detail).toBe('other reported');
  });

  it('does not score the total report count (old cases would rise just by age)', () => {
    expect(score({ reportCount: 10_000 })).toBe(score({ reportCount: 1 }));
  });
});

describe('highestContentType', () => {
  it('picks the most severe type, or null when none was reported', () => {
    expect(highestContentType(['text', 'videos', 'other'])).toBe('videos');
    expect(highestContentType(['other'])).toBe('other');
    expect(highestContentType([])).toBeNull();
  });

  it('orders every reported content type by weight, most severe first', () => {
    expect(CONTENT_TYPES_BY_SEVERITY).toEqual(['livestream', 'videos', 'images', 'text', 'other']);
    expect([...CONTENT_TYPES_BY_SEVERITY].sort()).toEqual([...REPORTED_CONTENT_TYPES].sort());
    const weights = CONTENT_TYPES_BY_SEVERITY.map((t) => PRIORITY_WEIGHTS.contentType[t]);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });
});
