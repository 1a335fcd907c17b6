import { exposureSeconds, heldMsOn, utcDay } from './exposure';

const at = (iso: string) => new Date(iso);
const MIN = 60_000;

describe('utcDay', () => {
  it('is the UTC calendar day, whatever the time', () => {
    expect(utcDay(at('2026-03-04T23:59:59.999Z'))).toEqual({ date: '2026-03-04', start: at('2026-03-04T00:00:00Z'), end: at('2026-03-05T00:00:00Z') });
    expect(utcDay(at('2026-03-05T00:00:00Z')).date).toBe('2026-03-05');
  });
});

describe('heldMsOn', () => {
  const now = at('2026-03-04T12:00:00Z');

  it('is zero without leases', () => {
    expect(heldMsOn([], now)).toBe(0);
  });

  it('counts an ended lease from claim to end', () => {
    expect(heldMsOn([{ claimedAt: at('2026-03-04T10:00:00Z'), expiresAt: at('2026-03-04T10:10:00Z'), endedAt: at('2026-03-04T10:07:00Z') }], now)).toBe(7 * MIN);
  });

  it('counts an open lease up to now', () => {
    expect(heldMsOn([{ claimedAt: at('2026-03-04T11:55:00Z'), expiresAt: at('2026-03-04T12:05:00Z'), endedAt: null }], now)).toBe(5 * MIN);
  });

  it('stops counting an open lease at its expiry (lapsed, not yet swept)', () => {
    expect(heldMsOn([{ claimedAt: at('2026-03-04T11:00:00Z'), expiresAt: at('2026-03-04T11:10:00Z'), endedAt: null }], now)).toBe(10 * MIN);
  });

  it('counts only the part of a lease held over midnight that falls today', () => {
    expect(heldMsOn([{ claimedAt: at('2026-03-03T23:50:00Z'), expiresAt: at('2026-03-04T00:20:00Z'), endedAt: at('2026-03-04T00:15:00Z') }], now)).toBe(15 * MIN);
  });

  it('ignores leases of other days', () => {
    const leases = [
      { claimedAt: at('2026-03-03T10:00:00Z'), expiresAt: at('2026-03-03T10:10:00Z'), endedAt: at('2026-03-03T10:05:00Z') },
      { claimedAt: at('2026-03-03T23:00:00Z'), expiresAt: at('2026-03-03T23:10:00Z'), endedAt: null },
    ];
    expect(heldMsOn(leases, now)).toBe(0);
  });

  it('adds up several leases, counting time when leases overlap once (wall-clock time)', () => {
    const leases = [
      { claimedAt: at('2026-03-04T09:00:00Z'), expiresAt: at('2026-03-04T09:10:00Z'), endedAt: at('2026-03-04T09:10:00Z') },
      // Inside the first: adds nothing.
      { claimedAt: at('2026-03-04T09:05:00Z'), expiresAt: at('2026-03-04T09:15:00Z'), endedAt: at('2026-03-04T09:08:00Z') },
      // Starts inside the first, ends after it: adds 09:10-09:12.
      { claimedAt: at('2026-03-04T09:06:00Z'), expiresAt: at('2026-03-04T09:16:00Z'), endedAt: at('2026-03-04T09:12:00Z') },
      { claimedAt: at('2026-03-04T11:58:00Z'), expiresAt: at('2026-03-04T12:08:00Z'), endedAt: null },
    ];
    expect(heldMsOn(leases, now)).toBe(10 * MIN + 2 * MIN + 2 * MIN);
  });
});

describe('exposureSeconds', () => {
  it('rounds held time down and what remains up, never below zero', () => {
    expect(exposureSeconds(1_500, 5_000)).toEqual({ heldSeconds: 1, limitSeconds: 5, remainingSeconds: 4 });
    expect(exposureSeconds(6_000, 5_000)).toEqual({ heldSeconds: 6, limitSeconds: 5, remainingSeconds: 0 });
  });
});
