import { auditHash, ChainedAuditRecord, ChainVerifier, GENESIS_HASH } from './audit-chain';
import { canonicalJson } from './canonical-json';

function chain(n: number): ChainedAuditRecord[] {
  const events: ChainedAuditRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const record = {
      seq,
      at: new Date(Date.UTC(2026, 10, 22, 12, 0, seq)).toISOString(),
      actorId: null,
      actorRole: 'analyst',
      action: 'case.view',
      targetType: 'case',
      targetId: `c${seq}`,
      detail: { n: seq },
    };
    const event = { ...record, prevHash, hash: auditHash(prevHash, record) };
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

function verify(events: ChainedAuditRecord[]) {
  const verifier = new ChainVerifier();
  for (const event of events) verifier.push(event);
  return verifier.verdict();
}

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
  });
});

describe('ChainVerifier', () => {
  it('accepts an intact chain and counts it', () => {
    expect(verify(chain(5))).toEqual({ ok: true, events: 5 });
    expect(verify([])).toEqual({ ok: true, events: 0 });
  });

  it('names a changed event', () => {
    const events = chain(5);
    events[2] = { ...events[2], detail: { n: 99 } };
    expect(verify(events)).toEqual({ ok: false, events: 5, firstBrokenSeq: 3 });
  });

  it('names the event after a removed one', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verify(events)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('names an event rehashed without relinking the next', () => {
    const events = chain(4);
    const forged = { ...events[1], action: 'case.nothing' };
    events[1] = { ...forged, hash: auditHash(forged.prevHash, forged) };
    expect(verify(events)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('names a renumbered event', () => {
    const events = chain(3);
    events[2] = { ...events[2], seq: 7 };
    expect(verify(events)).toMatchObject({ ok: false, firstBrokenSeq: 7 });
  });
});
