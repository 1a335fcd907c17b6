import { uuidv7 } from './random-pool';
import { ClientKeyer, hashStatusToken, newReportReference, newStatusToken, normaliseReportReference, statusTokenMatches } from './report-secrets';

describe('report references and status tokens', () => {
  it('makes readable, distinct references that survive retyping', () => {
    const refs = new Set(Array.from({ length: 2000 }, newReportReference));
    expect(refs.size).toBe(2000);
    for (const ref of [...refs].slice(0, 50)) {
      expect(ref).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(normaliseReportReference(ref.toLowerCase().replace(/-/g, ' '))).toBe(ref);
    }
    expect(normaliseReportReference('not a reference')).toBeNull();
  });

  it('makes tokens of at least 128 bits and matches them only by hash', () => {
    const token = newStatusToken();
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const hash = hashStatusToken(token);
    expect(hash.toString('hex')).not.toContain(token);
    expect(statusTokenMatches(token, hash)).toBe(true);
    expect(statusTokenMatches(newStatusToken(), hash)).toBe(false);
  });
});

describe('ClientKeyer', () => {
  it('keys a client the same way within a day, differently the next day, and never shows the address', () => {
    let now = new Date('2026-11-22T10:00:00Z');
    const keyer = new ClientKeyer(Buffer.alloc(32, 7), () => now);
    const morning = keyer.keyFor('203.0.113.9');
    now = new Date('2026-11-22T23:59:59Z');
    expect(keyer.keyFor('203.0.113.9')).toBe(morning);
    expect(keyer.keyFor('203.0.113.10')).not.toBe(morning);
    expect(morning).not.toContain('203.0.113.9');
    now = new Date('2026-11-23T00:00:00Z');
    expect(keyer.keyFor('203.0.113.9')).not.toBe(morning);
  });
});

describe('uuidv7', () => {
  it('is a version 7 RFC 9562 UUID that sorts by creation time', () => {
    const earlier = uuidv7(1_700_000_000_000);
    const later = uuidv7(1_700_000_000_001);
    expect(earlier).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(earlier < later).toBe(true);
    expect(earlier.replace(/-/g, '').slice(0, 12)).toBe((1_700_000_000_000).toString(16).padStart(12, '0'));
    expect(new Set(Array.from({ length: 1000 }, () => uuidv7(5))).size).toBe(1000);
  });
});
