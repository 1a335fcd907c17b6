import { deltaCsv, deltaJson, fullCsv, fullJson, parseSince } from './url-list-format';

const at = new Date('2026-11-22T10:00:00.000Z');
const later = new Date('2026-11-23T08:30:00.000Z');
const a = { url: 'http://a.example/x?q=1,2', sha256: 'a'.repeat(64), at };
const b = { url: 'http://b.example/"quoted"', sha256: 'b'.repeat(64), at: later };

describe('URL list formats', () => {
  it('gives the full list as JSON, with URLs or with hashes only', () => {
    expect(fullJson('urls', 7, later, [a, b])).toEqual({
      version: 7,
      generatedAt: later.toISOString(),
      count: 2,
      entries: [
        { url: a.url, sha256: a.sha256, listedAt: at.toISOString() },
        { url: b.url, sha256: b.sha256, listedAt: later.toISOString() },
      ],
    });
    const hashes = fullJson('hashes', 7, later, [a, b]);
    expect(hashes.entries).toEqual([
      { sha256: a.sha256, listedAt: at.toISOString() },
      { sha256: b.sha256, listedAt: later.toISOString() },
    ]);
    expect(JSON.stringify(hashes)).not.toContain('example');
  });

  it('gives a delta as JSON', () => {
    expect(deltaJson('urls', 9, 7, later, { added: [a], removed: [b] })).toEqual({
      version: 9,
      since: 7,
      generatedAt: later.toISOString(),
      added: [{ url: a.url, sha256: a.sha256, listedAt: at.toISOString() }],
      removed: [{ url: b.url, sha256: b.sha256, removedAt: later.toISOString() }],
    });
    expect(JSON.stringify(deltaJson('hashes', 9, 7, later, { added: [a], removed: [b] }))).not.toContain('example');
  });

  it('writes RFC 4180 CSV with a header row', () => {
    expect(fullCsv('urls', [a, b])).toBe(
      `url,sha256,listed_at\r\n"http://a.example/x?q=1,2",${a.sha256},${at.toISOString()}\r\n"http://b.example/""quoted""",${b.sha256},${later.toISOString()}\r\n`,
    );
    expect(fullCsv('hashes', [a])).toBe(`sha256,listed_at\r\n${a.sha256},${at.toISOString()}\r\n`);
    expect(fullCsv('urls', [])).toBe('url,sha256,listed_at\r\n');
    expect(deltaCsv('hashes', { added: [a], removed: [b] })).toBe(
      `change,sha256,changed_at\r\nadded,${a.sha256},${at.toISOString()}\r\nremoved,${b.sha256},${later.toISOString()}\r\n`,
    );
    expect(deltaCsv('urls', { added: [], removed: [b] })).toBe(
      `change,url,sha256,changed_at\r\nremoved,"http://b.example/""quoted""",${b.sha256},${later.toISOString()}\r\n`,
    );
    // A line break inside a field is quoted; a plain field is not.
    expect(fullCsv('urls', [{ url: 'http://c.example/a\r\nb', sha256: 'plain', at }])).toBe(
      `url,sha256,listed_at\r\n"http://c.example/a\r\nb",plain,${at.toISOString()}\r\n`,
    );
  });

  it('never writes a hashes list from items that carry URLs, and refuses a URL list without them', () => {
    expect(fullCsv('hashes', [a, b])).not.toContain('example');
    expect(() => fullCsv('urls', [{ sha256: a.sha256, at }])).toThrow();
  });

  it('reads since as a plain whole number only', () => {
    expect(parseSince('0')).toBe(0);
    expect(parseSince('42')).toBe(42);
    for (const bad of ['', '-1', '1.5', '1e3', ' 1', '0x10', 'abc', '1234567890123456', ['1', '2'], undefined, 5]) expect(parseSince(bad)).toBeNull();
  });
});
