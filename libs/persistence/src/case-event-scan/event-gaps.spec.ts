import { gapPassage, nextGapSighting } from './event-gaps';

const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 10) + s * 1000);
const MINUTES_10 = 600_000;
const sighting = { through: '101', seenAt: at(0) };

describe('gapPassage', () => {
  it('waits while a transaction that began before the gap was seen still runs (it may hold the missing id)', () => {
    // The 31 s transaction holding id 100 began long before; 101 committed and was seen.
    expect(gapPassage(sighting, { now: at(40), oldestStart: at(-31), unseen: 0 }, MINUTES_10)).toEqual({ pass: false });
    // Began in the very microsecond of the sighting: not after it, so it still counts.
    expect(gapPassage(sighting, { now: at(1), oldestStart: at(0), unseen: 0 }, MINUTES_10)).toEqual({ pass: false });
  });

  it('passes as soon as every other transaction began after the gap was seen, or none runs', () => {
    expect(gapPassage(sighting, { now: at(1), oldestStart: at(0.5), unseen: 0 }, MINUTES_10)).toEqual({ pass: true, through: '101', by: 'exact' });
    expect(gapPassage(sighting, { now: at(1), oldestStart: null, unseen: 0 }, MINUTES_10)).toEqual({ pass: true, through: '101', by: 'exact' });
  });

  it('cannot decide while a session hides its transaction start: passes only after the bound', () => {
    expect(gapPassage(sighting, { now: at(599), oldestStart: null, unseen: 1 }, MINUTES_10)).toEqual({ pass: false });
    expect(gapPassage(sighting, { now: at(600), oldestStart: null, unseen: 1 }, MINUTES_10)).toEqual({ pass: true, through: '101', by: 'bound' });
    // A transaction open for longer than the bound (stuck) does not hold feedback up for ever either.
    expect(gapPassage(sighting, { now: at(601), oldestStart: at(-5), unseen: 0 }, MINUTES_10)).toEqual({ pass: true, through: '101', by: 'bound' });
  });

  it('has nothing to pass without a sighting', () => {
    expect(gapPassage(null, { now: at(1), oldestStart: null, unseen: 0 }, MINUTES_10)).toEqual({ pass: false });
  });
});

describe('nextGapSighting', () => {
  it('forgets the gaps once no gap stops the scan', () => {
    expect(nextGapSighting(sighting, { blockedAt: null, lastRead: '120', seenAt: at(2) })).toBeNull();
  });

  it('keeps the oldest sighting while the gap that stops the scan is one of its', () => {
    expect(nextGapSighting(sighting, { blockedAt: '101', lastRead: '130', seenAt: at(2) })).toBe(sighting);
  });

  it('takes this scan as the sighting of a gap seen for the first time', () => {
    expect(nextGapSighting(null, { blockedAt: '101', lastRead: '104', seenAt: at(0) })).toEqual({ through: '104', seenAt: at(0) });
    // The earlier gap was filled (a late commit) or passed; a later one stops the scan now.
    expect(nextGapSighting(sighting, { blockedAt: '125', lastRead: '130', seenAt: at(3) })).toEqual({ through: '130', seenAt: at(3) });
    // Compared as numbers, not strings.
    expect(nextGapSighting({ through: '99', seenAt: at(0) }, { blockedAt: '100', lastRead: '100', seenAt: at(1) })).toEqual({ through: '100', seenAt: at(1) });
  });
});
