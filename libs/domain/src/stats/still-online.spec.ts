import { stillOnlineOf } from './still-online';

const H = 3_600_000;
const now = Date.parse('2026-03-10T12:30:00Z');
const hour = (iso: string) => Date.parse(iso);

describe('stillOnlineOf', () => {
  it('gives nothing but a zero count when no confirmed case is online', () => {
    expect(stillOnlineOf([], now)).toEqual({ count: 0, medianSeconds: null, p90Seconds: null, oldestSeconds: null });
  });

  it('counts ages from the start of each hour of confirmation, percentiles as percentile_disc', () => {
    // Ten cases: 4 confirmed in the hour of 12:00 today (0.5 h old), 5 at 10:00 (2.5 h), 1 at 09:00 two days before (51.5 h).
    const hours = [
      { since: hour('2026-03-10T12:00:00Z'), n: 4 },
      { since: hour('2026-03-10T10:00:00Z'), n: 5 },
      { since: hour('2026-03-08T09:00:00Z'), n: 1 },
    ];
    // Ascending ages: 4 x 0.5 h, 5 x 2.5 h, 1 x 51.5 h. The median is the 5th (cumulative 0.9 >= 0.5
    // first at 2.5 h); the 90th percentile the 9th (cumulative 9/10 = 0.9 at 2.5 h); the oldest 51.5 h.
    expect(stillOnlineOf(hours, now)).toEqual({ count: 10, medianSeconds: 2.5 * 3600, p90Seconds: 2.5 * 3600, oldestSeconds: 51.5 * 3600 });
  });

  it('takes the first age whose cumulative share reaches p, as PostgreSQL does', () => {
    // Two cases: percentile_disc(0.5) of [1 h, 3 h] is 1 h.
    const hours = [
      { since: now - H, n: 1 },
      { since: now - 3 * H, n: 1 },
    ];
    expect(stillOnlineOf(hours, now)).toMatchObject({ count: 2, medianSeconds: 3600, p90Seconds: 3 * 3600, oldestSeconds: 3 * 3600 });
  });

  it('never gives a negative age (a confirmation in the current hour)', () => {
    expect(stillOnlineOf([{ since: now + 60_000, n: 3 }], now)).toMatchObject({ medianSeconds: 0, oldestSeconds: 0 });
  });
});
