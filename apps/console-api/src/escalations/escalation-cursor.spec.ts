import { decodeEscalationCursor, encodeEscalationCursor } from './escalation-cursor';

describe('escalation cursor', () => {
  const cursor = {
    acknowledged: false,
    confirmedOnly: true,
    priority: 70,
    victimIdentifiable: true,
    at: '2026-11-22 21:30:05.123456+00',
    id: '0190a3b4-0000-7000-8000-000000000001',
  };

  it('reads back what it wrote', () => {
    expect(decodeEscalationCursor(encodeEscalationCursor(cursor))).toEqual(cursor);
  });

  it('refuses anything it did not write', () => {
    for (const text of ['', 'x', Buffer.from('[1,2]').toString('base64url'), Buffer.from(JSON.stringify([0, 1, 70, 1, 'yesterday', cursor.id])).toString('base64url')]) {
      expect(decodeEscalationCursor(text)).toBeUndefined();
    }
    expect(decodeEscalationCursor(Buffer.from(JSON.stringify([0, 1, 70, 1, cursor.at, "x' OR 1=1"])).toString('base64url'))).toBeUndefined();
  });
});
