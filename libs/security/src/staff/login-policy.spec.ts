import { afterFailure, isLocked, LoginPolicy } from './login-policy';

const policy: LoginPolicy = { maxFailures: 3, lockoutMs: 60_000 };
const now = new Date('2026-01-01T12:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('login lockout', () => {
  it('locks on the maxFailures-th failure in a row, for lockoutMs', () => {
    let state = { failedLogins: 0, lockedUntil: null as Date | null };
    state = afterFailure(state, policy, now);
    state = afterFailure(state, policy, now);
    expect(state).toEqual({ failedLogins: 2, lockedUntil: null });
    expect(isLocked(state, now)).toBe(false);
    state = afterFailure(state, policy, now);
    expect(state).toEqual({ failedLogins: 3, lockedUntil: later(60_000) });
    expect(isLocked(state, later(59_999))).toBe(true);
    expect(isLocked(state, later(60_000))).toBe(false);
  });

  it('starts a fresh count once a lock has run out', () => {
    const expired = { failedLogins: 3, lockedUntil: later(-1) };
    expect(afterFailure(expired, policy, now)).toEqual({ failedLogins: 1, lockedUntil: expired.lockedUntil });
    expect(isLocked(afterFailure(expired, policy, now), now)).toBe(false);
  });
});
