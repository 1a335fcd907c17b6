/** The lockout rule, as a pure function of an account's state. */
export interface LoginPolicy {
  maxFailures: number;
  lockoutMs: number;
}

export interface LoginState {
  failedLogins: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LoginState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after a failed attempt: the maxFailures-th failure in a row locks the account. */
export function afterFailure(state: LoginState, policy: LoginPolicy, now: Date): LoginState {
  // A lock that has run out starts a fresh count.
  const failures = (state.lockedUntil !== null && !isLocked(state, now) ? 0 : state.failedLogins) + 1;
  return failures >= policy.maxFailures
    ? { failedLogins: failures, lockedUntil: new Date(now.getTime() + policy.lockoutMs) }
    : { failedLogins: failures, lockedUntil: state.lockedUntil };
}
