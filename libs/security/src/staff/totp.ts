import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app speaks it: SHA-1, 6 digits, 30 s steps. */
const PERIOD_SECONDS = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS });
}

/** The code for a time (tests, and the CLI's enrolment check). */
export function totpCode(secretBase32: string, at: number = Date.now()): string {
  return totp(secretBase32).generate({ timestamp: at });
}

/**
 * The time step a code belongs to, allowing one step of clock drift either way, or null if it
 * matches none. Steps at or before `lastUsedStep` are refused: a code works once.
 */
export function acceptTotp(secretBase32: string, code: string, lastUsedStep: number | null, at: number = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: at, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(at / 1000 / PERIOD_SECONDS) + delta;
  return lastUsedStep !== null && step <= lastUsedStep ? null : step;
}

export function otpauthUri(secretBase32: string, account: string, issuer = 'Hotline'): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), issuer, label: account, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS }).toString();
}
