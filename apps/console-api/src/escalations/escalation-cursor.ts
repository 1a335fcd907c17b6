import type { EscalationCursor } from '@hotline/persistence';

// timestamptz as PostgreSQL writes it as text, e.g. `2026-11-22 21:30:05.123456+00`.
const PG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The inbox's keyset cursor: the urgency position of the last escalation shown. */
export function encodeEscalationCursor(c: EscalationCursor): string {
  return Buffer.from(JSON.stringify([c.acknowledged ? 1 : 0, c.confirmedOnly ? 1 : 0, c.priority, c.victimIdentifiable ? 1 : 0, c.at, c.id])).toString('base64url');
}

/** undefined when the text is not a cursor this API wrote. */
export function decodeEscalationCursor(text: string): EscalationCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 6) return undefined;
    const [acknowledged, confirmedOnly, priority, victim, at, id] = value;
    const flag = (v: unknown) => v === 0 || v === 1;
    if (!flag(acknowledged) || !flag(confirmedOnly) || !flag(victim) || !Number.isInteger(priority) || Math.abs(priority) > 1000) return undefined;
    if (typeof at !== 'string' || !isPgTimestamp(at) || typeof id !== 'string' || !UUID.test(id)) return undefined;
    return { acknowledged: acknowledged === 1, confirmedOnly: confirmedOnly === 1, priority, victimIdentifiable: victim === 1, at, id };
  } catch {
    return undefined;
  }
}

/**
 * Whether `text` is a time PostgreSQL could have written: the right shape and every field in its
 * range (a real calendar day, an offset PostgreSQL accepts). The cursor goes back to SQL as a
 * timestamptz, where `2026-13-45 25:99:99+00` would fail the query instead of being a bad request.
 */
export function isPgTimestamp(text: string): boolean {
  const match = PG_TIMESTAMP.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours] = match.slice(1, 8).map(Number);
  const offsetMinutes = match[8] === undefined ? 0 : Number(match[8]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || offsetHours > 15 || offsetMinutes > 59) return false;
  // A Date rolls 31 April over into 1 May: a day that does not exist does not read back.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
