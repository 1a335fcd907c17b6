import { decodeEscalationCursor, encodeEscalationCursor, isPgTimestamp } from './escalation-cursor';

describe('escalation cursor', () => {
  const cursor = {
    acknowledged: false,
    confirmedOnly: true,
    priority: 70,
    victimIdentifiable: true,
    at: '2026-11-22 21:30:05.123456+00',
    id: '0190a3b4-0000-7000-8000-000000000001',
  };
  const withAt = (at: unknown) => Buffer.from(JSON.stringify([0, 1, 70, 1, at, cursor.id])).toString('base64url');

  it('reads back what it wrote', () => {
    expect(decodeEscalationCursor(encodeEscalationCursor(cursor))).toEqual(cursor);
    for (const at of ['2024-02-29 00:00:00+00', '2026-12-31 23:59:59.5-03:30', '0001-01-01 00:00:00+15:59', '2026-06-01 12:00:00+05:45']) {
      expect(decodeEscalationCursor(withAt(at))?.at).toBe(at);
    }
  });

  it('refuses anything it did not write', () => {
    for (const text of ['', 'x', Buffer.from('[1,2]').toString('base64url'), withAt('yesterday'), withAt(1_700_000_000)]) {
      expect(decodeEscalationCursor(text)).toBeUndefined();
    }
    expect(decodeEscalationCursor(Buffer.from(JSON.stringify([0, 1, 70, 1, cursor.at, "x' OR 1=1"])).toString('base64url'))).toBeUndefined();
  });

  it('refuses a time of the right shape that PostgreSQL would not read (it would fail the query, not the request)', () => {
    for (const at of [
      '2026-13-45 25:99:99+00',
      '2026-00-10 10:00:00+00',
      '2026-04-31 10:00:00+00',
      '2025-02-29 10:00:00+00',
      '2026-01-01 24:00:00+00',
      '2026-01-01 10:60:00+00',
      '2026-01-01 10:00:60+00',
      '2026-01-01 10:00:00+16',
      '2026-01-01 10:00:00+01:60',
      '0000-01-01 10:00:00+00',
      '2026-01-01 10:00:00.1234567+00',
    ]) {
      expect({ at, read: isPgTimestamp(at) }).toEqual({ at, read: false });
      expect(decodeEscalationCursor(withAt(at))).toBeUndefined();
    }
  });
});
