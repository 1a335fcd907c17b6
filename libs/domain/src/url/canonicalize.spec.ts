import fc from 'fast-check';
import { CanonicalUrl, InvalidUrlError, InvalidUrlReason, MAX_CANONICAL_URL_LENGTH, canonicalizeUrl } from './canonicalize';

const href = (input: string): string => canonicalizeUrl(input).href;

function reasonOf(input: string): InvalidUrlReason | 'no error' {
  try {
    canonicalizeUrl(input);
    return 'no error';
  } catch (err) {
    if (err instanceof InvalidUrlError) return err.reason;
    throw err;
  }
}

describe('canonicalizeUrl', () => {
  // Every example published in "Safe Browsing v4 / Web Risk: URLs and Hashing — Canonicalization",
  // in the published order. The only change: the port is kept (`gotaport`), our one deliberate
  // deviation. `\x01\x80` is discussed in the next table.
  const published: Array<[string, string]> = [
    ['http://host/%25%32%35', 'http://host/%25'],
    ['http://host/%25%32%35%25%32%35', 'http://host/%25%25'],
    ['http://host/%2525252525252525', 'http://host/%25'],
    ['http://host/asdf%25%32%35asd', 'http://host/asdf%25asd'],
    ['http://host/%%%25%32%35asd%%', 'http://host/%25%25%25asd%25%25'],
    ['http://www.google.com/', 'http://www.google.com/'],
    ['http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/', 'http://168.188.99.26/.secure/www.ebay.com/'],
    [
      'http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/',
      'http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/',
    ],
    ['http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B', 'http://host%23.com/~a!b@c%23d$e%25f^00&11*22(33)44_55+'],
    ['http://3279880203/blah', 'http://195.127.0.11/blah'],
    ['http://www.google.com/blah/..', 'http://www.google.com/'],
    ['www.google.com/', 'http://www.google.com/'],
    ['www.google.com', 'http://www.google.com/'],
    ['http://www.evil.com/blah#frag', 'http://www.evil.com/blah'],
    ['http://www.GOOgle.com/', 'http://www.google.com/'],
    ['http://www.google.com.../', 'http://www.google.com/'],
    ['http://www.google.com/foo\tbar\rbaz\n2', 'http://www.google.com/foobarbaz2'],
    ['http://www.google.com/q?', 'http://www.google.com/q?'],
    ['http://www.google.com/q?r?', 'http://www.google.com/q?r?'],
    ['http://www.google.com/q?r?s', 'http://www.google.com/q?r?s'],
    ['http://evil.com/foo#bar#baz', 'http://evil.com/foo'],
    ['http://evil.com/foo;', 'http://evil.com/foo;'],
    ['http://evil.com/foo?bar;', 'http://evil.com/foo?bar;'],
    ['http://notrailingslash.com', 'http://notrailingslash.com/'],
    ['http://www.gotaport.com:1234/', 'http://www.gotaport.com:1234/'], // Google: port dropped
    ['  http://www.google.com/  ', 'http://www.google.com/'],
    ['http:// leadingspace.com/', 'http://%20leadingspace.com/'],
    ['http://%20leadingspace.com/', 'http://%20leadingspace.com/'],
    ['%20leadingspace.com/', 'http://%20leadingspace.com/'],
    ['https://www.securesite.com/', 'https://www.securesite.com/'],
    ['http://host.com/ab%23cd', 'http://host.com/ab%23cd'],
    ['http://host.com//twoslashes?more//slashes', 'http://host.com/twoslashes?more//slashes'],
  ];

  it.each(published)('published example %j -> %j', (input, expected) => {
    expect(href(input)).toBe(expected);
  });

  it('published example http://\\x01\\x80.com/ (bytes) -> http://%01%80.com/', () => {
    // The published vector is about raw bytes 0x01 0x80. Given percent-escaped, the byte survives;
    // in a JS string '\x80' is the code point U+0080, whose UTF-8 form is C2 80.
    expect(href('http://%01%80.com/')).toBe('http://%01%80.com/');
    expect(href('http://\x01\x80.com/')).toBe('http://%01%C2%80.com/');
  });

  // Further vectors from Google's reference client tests (github.com/google/safebrowsing,
  // urls_test.go), adjusted for the kept port, upper-case hex and our structural parsing.
  const referenceClient: Array<[string, string]> = [
    ['ftp://ftp.myfiles.com/', 'ftp://ftp.myfiles.com/'],
    ['http://some%1bhost.com/%1b', 'http://some%1Bhost.com/%1B'],
    ['http://www.google.com/q?r?s%3F', 'http://www.google.com/q?r?s?'],
    ['http://www.\u00fcmlat.com/', 'http://www.xn--mlat-zra.com/'],
    ['http://www.%C3%BCmlat.com/', 'http://www.xn--mlat-zra.com/'],
    ['http://[2001:470:1:18::114]/', 'http://[2001:470:1:18::114]/'],
    ['http://W!eird<>Ho$^.com/', 'http://w!eird<>ho$^.com/'],
    ['http://i.have.way.too.many.dots.com/', 'http://i.have.way.too.many.dots.com/'],
    ['http://google.com./foo.html', 'http://google.com/foo.html'],
    ['http://google.com.:8080/foo.html', 'http://google.com:8080/foo.html'],
    ['http://google...com/foo.html', 'http://google.com/foo.html'],
    ['http://..google.com/foo.html', 'http://google.com/foo.html'],
    ['http://[FEDC:BA98:7654:3210:FEDC:BA98:7654:3210]:80/index.html', 'http://[fedc:ba98:7654:3210:fedc:ba98:7654:3210]/index.html'],
    ['http://[::192.9.5.5]/ipng', 'http://[::c009:505]/ipng'], // RFC 5952 form, as browsers write it
    ['http://0x12.0x43.0x44.0x01', 'http://18.67.68.1/'],
    ['http://192.168.0.1:80/index.html', 'http://192.168.0.1/index.html'],
    ['http://12.0x12.01234/', 'http://12.18.2.156/'],
    ['http://012.034.01.055/', 'http://10.28.1.45/'],
    ['http://167838211/', 'http://10.1.2.3/'],
    ['http://4294967295/', 'http://255.255.255.255/'],
    ['http://1.2.3.00x0/', 'http://1.2.3.00x0/'], // not a number: a (strange) name
    ['http://a.com/foo/.././bar/./../foo.html', 'http://a.com/foo.html'],
    ['http://a.com//a//b///c////', 'http://a.com/a/b/c/'],
    ['www.google.com:8080/foo.html', 'http://www.google.com:8080/foo.html'],
    ['www.google.com:80/', 'http://www.google.com/'],
    ['www.google.com:80', 'http://www.google.com/'],
    ['[2001:470:1:18::114]/a/b', 'http://[2001:470:1:18::114]/a/b'],
  ];

  it.each(referenceClient)('reference client vector %j -> %j', (input, expected) => {
    expect(href(input)).toBe(expected);
  });

  const ours: Array<[string, string]> = [
    // IDN
    ['http://bücher.example/', 'http://xn--bcher-kva.example/'],
    ['http://BÜCHER.example/', 'http://xn--bcher-kva.example/'],
    ['http://ＥＸＡＭＰＬＥ．com/', 'http://example.com/'], // full-width letters and dot (UTS #46)
    ['http://xn--bcher-kva.example.org/', 'http://xn--bcher-kva.example.org/'],
    ['http://bü cher.de/', 'http://b%C3%BC%20cher.de/'], // not a valid IDN: bytes kept, escaped
    // Non-ASCII in path and query is UTF-8 percent-encoded
    ['http://example.com/ü?q=ü', 'http://example.com/%C3%BC?q=%C3%BC'],
    // IPv4 spellings
    ['http://0x7f.1/', 'http://127.0.0.1/'],
    ['http://2130706433/', 'http://127.0.0.1/'],
    ['http://017700000001/', 'http://127.0.0.1/'],
    ['http://0X7F.0.0.1/', 'http://127.0.0.1/'],
    ['http://127.1/', 'http://127.0.0.1/'],
    ['http://127.0.1/', 'http://127.0.0.1/'],
    ['http://0x/', 'http://0.0.0.0/'],
    ['http://1.2.3.4./', 'http://1.2.3.4/'],
    ['http://%31%32%37%2E0.0.1/', 'http://127.0.0.1/'],
    ['http://１２７.０.０.１/', 'http://127.0.0.1/'], // full-width digits
    // IPv6
    ['http://[2001:0DB8:0000::1]/', 'http://[2001:db8::1]/'],
    ['http://[2001:db8:0:0:1:0:0:1]:8080/', 'http://[2001:db8::1:0:0:1]:8080/'],
    ['http://[::1]/', 'http://[::1]/'],
    ['http://[::ffff:1.2.3.4]/', 'http://1.2.3.4/'], // IPv4-mapped -> IPv4 (Safe Browsing v5)
    ['http://[::FFFF:7f00:1]/', 'http://127.0.0.1/'],
    ['http://[64:ff9b::1.2.3.4]/', 'http://1.2.3.4/'], // NAT64 -> IPv4 (Safe Browsing v5)
    // Ports
    ['http://example.com:80/', 'http://example.com/'],
    ['https://example.com:443/', 'https://example.com/'],
    ['http://example.com:443/', 'http://example.com:443/'],
    ['https://example.com:80/', 'https://example.com:80/'],
    ['http://example.com:0080/', 'http://example.com/'],
    ['http://example.com:8080', 'http://example.com:8080/'],
    ['http://example.com:/', 'http://example.com/'],
    ['example.com:8080?x', 'http://example.com:8080/?x'],
    // Userinfo dropped; the last '@' ends it
    ['http://user:pass@example.com/', 'http://example.com/'],
    ['http://a@b@example.com/', 'http://example.com/'],
    ['http://user@example.com:8080/x', 'http://example.com:8080/x'],
    // Percent-escapes: case, unreserved characters, double escaping
    ['http://example.com/%7e%7E', 'http://example.com/~~'],
    ['http://example.com/%e2%82%ac', 'http://example.com/%E2%82%AC'],
    ['http://example.com/%61%62%63', 'http://example.com/abc'],
    ['http://example.com/a%2fb', 'http://example.com/a/b'],
    ['http://example.com/a%2F..%2Fb', 'http://example.com/b'],
    ['http://example.com/%00', 'http://example.com/%00'],
    ['http://example.com/a b', 'http://example.com/a%20b'],
    ['http://example.com/?a=%26&b=%3D', 'http://example.com/?a=&&b=='],
    // Structure comes from the raw string (deviation from Google, like browsers)
    ['http://example.com/a%3Fb', 'http://example.com/a%3Fb'],
    ['http://example.com/a%5Cb', 'http://example.com/a%5Cb'],
    ['http://8.8.8.8%2F@10.0.0.1/', 'http://10.0.0.1/'],
    ['http://a%2Fb.com/', 'http://a%2Fb.com/'],
    ['http://a%40b.com/', 'http://a%40b.com/'],
    ['http://a%3Ab.com/', 'http://a%3Ab.com/'],
    ['http://a%252Fb.com/', 'http://a%2Fb.com/'],
    // Backslashes act as '/' in the raw authority and path
    ['http://example.com\\a\\b', 'http://example.com/a/b'],
    ['http://evil.com\\@good.com/', 'http://evil.com/@good.com/'],
    ['http:\\\\example.com\\', 'http://example.com/'],
    // Paths
    ['http://example.com', 'http://example.com/'],
    ['http://example.com?x=1', 'http://example.com/?x=1'],
    ['http://example.com/a/b/..', 'http://example.com/a/'],
    ['http://example.com/a/./b/../c/', 'http://example.com/a/c/'],
    ['http://example.com/../../a', 'http://example.com/a'],
    ['http://example.com/a/.', 'http://example.com/a/'],
    ['http://example.com/.../a', 'http://example.com/.../a'],
    ['http://example.com/%2e%2E/a', 'http://example.com/a'],
    // Scheme handling
    ['HTTPS://EXAMPLE.COM/A', 'https://example.com/A'],
    ['//example.com/path', 'http://example.com/path'],
    ['hxxp://example.com/', 'hxxp://example.com/'],
    ['javascript://comment%0Aalert(1)', 'javascript://comment%0Aalert(1)/'],
    // Whitespace and controls
    ['\u00a0\ufeff http://example.com/ \u3000', 'http://example.com/'],
    ['http://example.com/a #frag', 'http://example.com/a'],
    ['http://exa\tmple.com/', 'http://example.com/'],
    // Lone surrogate: U+FFFD
    ['http://example.com/\ud800', 'http://example.com/%EF%BF%BD'],
    // .onion
    ['http://DuckDuckGoGG42XJOC72X3SJASOWOARFBGCMVFIMAFTT6TWAGSWZCZAD.onion/', 'http://duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion/'],
  ];

  it.each(ours)('%j -> %j', (input, expected) => {
    expect(href(input)).toBe(expected);
  });

  it('returns the parts of the URL', () => {
    expect(canonicalizeUrl('HTTP://User@Bücher.Example:8080/a/../b?x=1#f')).toEqual<CanonicalUrl>({
      href: 'http://xn--bcher-kva.example:8080/b?x=1',
      scheme: 'http',
      host: 'xn--bcher-kva.example',
      hostKind: 'dns',
      port: 8080,
      path: '/b',
      query: 'x=1',
    });
    expect(canonicalizeUrl('https://[2001:db8::1]/').hostKind).toBe('ipv6');
    expect(canonicalizeUrl('https://0x7f.1/').hostKind).toBe('ipv4');
    expect(canonicalizeUrl('http://www.abc.onion/').hostKind).toBe('onion');
    expect(canonicalizeUrl('http://onion/').hostKind).toBe('dns');
    expect(canonicalizeUrl('http://example.com/q').query).toBeNull();
    expect(canonicalizeUrl('http://example.com/q?').query).toBe('');
  });

  const invalid: Array<[string, InvalidUrlReason]> = [
    ['', 'empty'],
    ['   \t\n ', 'empty'],
    ['#ref', 'empty'],
    [':', 'no_host'],
    ['/blah', 'no_host'],
    ['/blah#ref', 'no_host'],
    ['?query#ref', 'no_host'],
    ['/blah?query#ref', 'no_host'],
    ['/blah;param', 'no_host'],
    ['http://#ref', 'no_host'],
    ['http:///blah#ref', 'no_host'],
    ['http://?query#ref', 'no_host'],
    ['http:///blah?query#ref', 'no_host'],
    ['http:///blah;param', 'no_host'],
    ['http:///blah;param?query#ref', 'no_host'],
    ['http://.../', 'no_host'],
    ['http://user@/', 'no_host'],
    ['file:///etc/passwd', 'no_host'],
    [':8080/foo.html', 'no_host'],
    ['mailto:bryner@google.com', 'no_authority'],
    ['javascript:alert(1)', 'no_authority'],
    ['JavaScript:alert(1)//', 'no_authority'],
    ['data:text/html,x', 'no_authority'],
    ['http:www.google.com:8080/foo.html', 'no_authority'],
    ['www.google.com:xxyy/foo.html:80', 'no_authority'],
    ['http://example.com:99999/', 'bad_port'],
    ['http://example.com:8o/', 'bad_port'],
    ['http://example.com:-1/', 'bad_port'],
    ['http://::1/', 'bad_port'],
    ['http://[::1/', 'bad_host'],
    ['http://[::1]x/', 'bad_host'],
    ['http://[fe80::1%25eth0]/', 'bad_host'],
    ['http://[::ffff:0x7f.0.0.1]/', 'bad_host'],
    ['http://[1:2:3:4:5:6:7:8:9]/', 'bad_host'],
    ['http://[example.com]/', 'bad_host'],
    ['http://1.2.3.4.5/', 'bad_host'],
    ['http://256.1.1.1/', 'bad_host'],
    ['http://1.2.65536/', 'bad_host'],
    ['http://4294967296/', 'bad_host'],
    ['http://08.1.1.1/', 'bad_host'],
    ['http://foo.123/', 'bad_host'],
    ['http://foo.0x1f/', 'bad_host'],
    ['http://ü.1.2.3/', 'bad_host'],
  ];

  it.each(invalid)('refuses %j with %j', (input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  it('refuses inputs and hrefs longer than MAX_CANONICAL_URL_LENGTH with too_long', () => {
    expect(reasonOf(`http://example.com/${'a'.repeat(MAX_CANONICAL_URL_LENGTH)}`)).toBe('too_long');
    expect(reasonOf(`http://example.com/${'ü'.repeat(MAX_CANONICAL_URL_LENGTH / 4)}`)).toBe('too_long'); // once escaped
    expect(reasonOf(' '.repeat(MAX_CANONICAL_URL_LENGTH * 5))).toBe('too_long');
    // Whitespace around the URL does not count.
    const fits = `http://example.com/${'a'.repeat(MAX_CANONICAL_URL_LENGTH - 'http://example.com/'.length)}`;
    expect(href(`  ${fits}\t\n  `)).toBe(fits);
  });

  it('does not put the URL into the error message', () => {
    try {
      canonicalizeUrl('javascript:secret-token');
      throw new Error('expected InvalidUrlError');
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidUrlError);
      expect((err as Error).name).toBe('InvalidUrlError');
      expect((err as Error).message).not.toContain('secret');
    }
  });

  it('refuses non-string input with InvalidUrlError', () => {
    expect(() => canonicalizeUrl(undefined as unknown as string)).toThrow(InvalidUrlError);
    expect(() => canonicalizeUrl({} as unknown as string)).toThrow(InvalidUrlError);
  });

  it('stays linear on adversarial inputs', () => {
    const nasty = [
      `http://h/${'%25'.repeat(2700)}32%35`,
      `http://h/${'%2525'.repeat(1600)}`,
      `http://${'.'.repeat(8000)}a/`,
      `http://h/${'/..'.repeat(2700)}`,
      `http://h/${'a/'.repeat(4000)}`,
      `http://h/?${'&'.repeat(8000)}`,
      `http://${'0'.repeat(8000)}/`,
      `http://${'0x'.padEnd(8000, 'f')}/`,
      `a${' '.repeat(8000)}b`,
      `${'a'.repeat(8000)}:`,
      `http://[${':'.repeat(8000)}]/`,
      `http://${'ü'.repeat(2700)}/`,
    ];
    const start = process.hrtime.bigint();
    for (const input of nasty) {
      try {
        canonicalizeUrl(input);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidUrlError);
      }
    }
    // Generous bound: each takes well under a millisecond; a quadratic regression takes seconds.
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(500);
  });

  describe('properties', () => {
    // UTF-16 code units, lone surrogates included, biased towards characters that matter to URLs.
    const codeUnit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom(..."%#?/\\@:[].-_ \t\r\n\x00\x7f0123456789abcdefABCDEFxX~!$&'()*+,;=ü\u00a0\ufeff\ud800\udc00"),
    );
    const anyString = fc.oneof(fc.string({ unit: codeUnit, maxLength: 80 }), fc.string({ unit: 'binary' }));

    // URL-ish pieces; joined at random they hit scheme/authority/port/path/query edge cases.
    const token = fc.constantFrom(
      'http://',
      'https://',
      'HTTP://',
      '//',
      'ftp://',
      'javascript:',
      'mailto:',
      'x:',
      'example.com',
      'EXAMPLE.COM',
      'bücher.example',
      'xn--bcher-kva.de',
      '127.0.0.1',
      '0x7f.1',
      '2130706433',
      '017700000001',
      '1.2.3',
      '999',
      '[::1]',
      '[2001:DB8::1]',
      '[::ffff:1.2.3.4]',
      '[fe80::1%25eth0]',
      'user:pw@',
      '@',
      ':',
      ':80',
      ':443',
      ':8080',
      ':99999',
      ':x',
      '/',
      '\\',
      '//',
      '/./',
      '/../',
      '/.',
      '/..',
      '..',
      '.',
      '?',
      '&',
      '=',
      '#',
      '#frag',
      'utm_source=x',
      '%',
      '%2',
      '%25',
      '%2525',
      '%2e',
      '%2E',
      '%2f',
      '%2F',
      '%3f',
      '%3F',
      '%40',
      '%3A',
      '%5C',
      '%5B',
      '%5D',
      '%23',
      '%20',
      '%00',
      '%80',
      '%C3%BC',
      '%ff',
      ' ',
      '\t',
      '\n',
      '\u00a0',
      'ü',
      '\ud800',
      'a',
      'Z',
      '0',
      '9',
      '-',
      '_',
      '~',
      '.onion',
    );
    const urlish = fc.oneof(
      fc.array(token, { maxLength: 12 }).map((parts) => parts.join('')),
      fc
        .tuple(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.array(fc.tuple(fc.nat(), token), { maxLength: 4 }))
        .map(([url, inserts]) => inserts.reduce((s, [at, piece]) => s.slice(0, at % (s.length + 1)) + piece + s.slice(at % (s.length + 1)), url)),
      fc.webUrl({ withQueryParameters: true, withFragments: true }).map((url) => url.toUpperCase()),
    );

    function checkCanonical(input: string): void {
      let url: CanonicalUrl;
      try {
        url = canonicalizeUrl(input);
      } catch (err) {
        // Nothing but InvalidUrlError may escape.
        if (!(err instanceof InvalidUrlError)) throw err;
        return;
      }
      // The parts make up the href, which is printable ASCII.
      const { href: h, scheme, host, port, path, query } = url;
      expect(h).toBe(`${scheme}://${host}${port === null ? '' : `:${port}`}${path}${query === null ? '' : `?${query}`}`);
      expect(h).toMatch(/^[\x21-\x7e]+$/);
      expect(path.startsWith('/')).toBe(true);
      expect(h.length).toBeLessThanOrEqual(MAX_CANONICAL_URL_LENGTH);
      // Idempotence: the canonical href canonicalises to itself, with the same parts.
      expect(canonicalizeUrl(h)).toEqual(url);
    }

    it('any string either canonicalises (idempotently) or throws InvalidUrlError', () => {
      fc.assert(fc.property(anyString, checkCanonical), { numRuns: 3000 });
    });

    it('URL-ish strings either canonicalise (idempotently) or throw InvalidUrlError', () => {
      fc.assert(fc.property(urlish, checkCanonical), { numRuns: 5000 });
    });

    it('web URLs always canonicalise', () => {
      fc.assert(
        fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
          expect(() => canonicalizeUrl(url)).not.toThrow();
        }),
        { numRuns: 1000 },
      );
    });
  });
});
