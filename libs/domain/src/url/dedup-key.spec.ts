import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { InvalidUrlError, canonicalizeUrl } from './canonicalize';
import { DEFAULT_TRACKING_PARAMS, dedupKey, dedupUrl } from './dedup-key';

describe('dedupUrl / dedupKey', () => {
  const base = 'http://example.com/a/b?x=1&y=2';

  // One URL, spelled eight ways (each spelling changes one thing), plus all at once.
  const spellings: Array<[string, string]> = [
    ['case of scheme and host', 'HTTP://EXAMPLE.Com/a/b?x=1&y=2'],
    ['explicit default port', 'http://example.com:80/a/b?x=1&y=2'],
    ['fragment', 'http://example.com/a/b?x=1&y=2#section-2'],
    ['./ segments', 'http://example.com/./a/./b?x=1&y=2'],
    ['percent-encoded unreserved characters', 'http://%65xample.com/%61/%62?%78=%31&y=2'],
    ['tracking parameters', 'http://example.com/a/b?utm_source=news&x=1&fbclid=IwAR0&y=2&UTM_Medium=mail&gclid=1'],
    ['trailing dot on the host', 'http://example.com./a/b?x=1&y=2'],
    ['missing scheme', 'example.com/a/b?x=1&y=2'],
    ['all of them at once', '  EXAMPLE.com.:80/./%61/b?utm_campaign=x&x=1&_ga=2.1&y=2#top '],
  ];

  it.each(spellings)('gives one key despite %s', (_label, spelling) => {
    expect(dedupUrl(spelling)).toBe(base);
    expect(dedupKey(spelling)).toBe(dedupKey(base));
  });

  it('is the lower-case hex SHA-256 of dedupUrl', () => {
    expect(dedupKey(base)).toBe(createHash('sha256').update(base).digest('hex'));
    expect(dedupKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes a CanonicalUrl or a string', () => {
    const url = canonicalizeUrl('https://example.com/p?utm_source=x&id=7');
    expect(dedupUrl(url)).toBe('https://example.com/p?id=7');
    expect(dedupKey(url)).toBe(dedupKey('https://example.com/p?utm_source=x&id=7'));
  });

  it('keeps the order of the other parameters', () => {
    expect(dedupUrl('http://example.com/?b=2&utm_term=x&a=1&c')).toBe('http://example.com/?b=2&a=1&c');
    expect(dedupKey('http://example.com/?a=1&b=2')).not.toBe(dedupKey('http://example.com/?b=2&a=1'));
  });

  it('drops the ? when nothing is left, and empty parameters', () => {
    expect(dedupUrl('http://example.com/p?utm_source=a&fbclid=b')).toBe('http://example.com/p');
    expect(dedupUrl('http://example.com/p?')).toBe('http://example.com/p');
    expect(dedupUrl('http://example.com/p?&&')).toBe('http://example.com/p');
    expect(dedupUrl('http://example.com/p?a=1&&b=2&')).toBe('http://example.com/p?a=1&b=2');
    expect(dedupUrl('http://example.com/p')).toBe('http://example.com/p');
  });

  it('matches names exactly or by prefix, not by value or substring', () => {
    expect(dedupUrl('http://e.com/?utm_=1&utm_anything=2&xutm_source=3&q=utm_source')).toBe('http://e.com/?xutm_source=3&q=utm_source');
    expect(dedupUrl('http://e.com/?fbclid2=1&gclid&si=abc&ref=x')).toBe('http://e.com/?fbclid2=1&si=abc&ref=x');
  });

  it('recognises a tracking name that was percent-encoded', () => {
    expect(dedupUrl('http://e.com/?utm%5Fsource=x&id=1')).toBe('http://e.com/?id=1');
  });

  it('takes a custom tracking list', () => {
    expect(dedupUrl('http://e.com/?sid=1&session_x=2&utm_source=3', ['sid', 'session_*'])).toBe('http://e.com/?utm_source=3');
    expect(dedupUrl('http://e.com/?utm_source=3', [])).toBe('http://e.com/?utm_source=3');
  });

  it('keeps different resources apart', () => {
    const keys = [
      'http://example.com/a',
      'https://example.com/a',
      'http://example.com:8080/a',
      'http://example.com/a/',
      'http://example.com/A',
      'http://example.com/a?x=1',
      'http://example.com/a?x=2',
      'http://www.example.com/a',
      'http://example.com/a%3Fx=1',
    ].map((u) => dedupKey(u));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('throws InvalidUrlError for a string that is not a URL', () => {
    expect(() => dedupKey('javascript:alert(1)')).toThrow(InvalidUrlError);
  });

  it('is stable under canonicalisation (dedupUrl of its own output is itself)', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const once = dedupUrl(url);
        expect(dedupUrl(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('has a frozen default list in which every entry is lower case', () => {
    expect(Object.isFrozen(DEFAULT_TRACKING_PARAMS)).toBe(true);
    for (const name of DEFAULT_TRACKING_PARAMS) expect(name).toBe(name.toLowerCase());
  });
});
