import fc from 'fast-check';
import { CanonicalUrl, InvalidUrlReason, canonicalizeUrl } from './canonicalize';
import { UrlRejection, checkReportable, parseReportableUrl } from './reportable';

const ONION = 'duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion';

function reasonOf(input: string): InvalidUrlReason | UrlRejection | 'accepted' {
  const result = parseReportableUrl(input);
  return result.ok ? 'accepted' : result.reason;
}

describe('parseReportableUrl / checkReportable', () => {
  const rejected: Array<[string, InvalidUrlReason | UrlRejection]> = [
    // Loopback in all its spellings
    ['http://127.0.0.1/', 'host_not_public'],
    ['http://0x7f.1/', 'host_not_public'],
    ['http://2130706433/', 'host_not_public'],
    ['http://017700000001/', 'host_not_public'],
    ['http://127.1/', 'host_not_public'],
    ['http://%31%32%37.0.0.1/', 'host_not_public'],
    ['http://[::1]/', 'host_not_public'],
    ['http://[::ffff:127.0.0.1]/', 'host_not_public'],
    ['http://[0:0:0:0:0:ffff:7f00:1]/', 'host_not_public'],
    // Private, link-local (cloud metadata), CGNAT, unspecified, …
    ['http://10.1.2.3/', 'host_not_public'],
    ['http://192.168.0.1/', 'host_not_public'],
    ['http://172.16.0.1/', 'host_not_public'],
    ['http://172.31.255.255/', 'host_not_public'],
    ['http://169.254.169.254/latest/meta-data', 'host_not_public'],
    ['http://100.64.0.1/', 'host_not_public'],
    ['http://0.0.0.0/', 'host_not_public'],
    ['http://0/', 'host_not_public'],
    ['http://255.255.255.255/', 'host_not_public'],
    ['http://224.0.0.1/', 'host_not_public'],
    ['http://240.0.0.1/', 'host_not_public'],
    ['http://192.0.0.1/', 'host_not_public'],
    ['http://192.0.2.1/', 'host_not_public'], // documentation
    ['http://198.51.100.7/', 'host_not_public'],
    ['http://203.0.113.9/', 'host_not_public'],
    ['http://198.18.0.1/', 'host_not_public'], // benchmarking
    // IPv6 special ranges and IPv4 embeddings
    ['http://[::]/', 'host_not_public'],
    ['http://[fc00::1]/', 'host_not_public'],
    ['http://[fd12:3456::1]/', 'host_not_public'],
    ['http://[fe80::1]/', 'host_not_public'],
    ['http://[fec0::1]/', 'host_not_public'],
    ['http://[ff02::1]/', 'host_not_public'],
    ['http://[2001:db8::1]/', 'host_not_public'],
    ['http://[3fff::1]/', 'host_not_public'],
    ['http://[::10.0.0.1]/', 'host_not_public'], // IPv4-compatible (deprecated)
    ['http://[::8.8.8.8]/', 'host_not_public'],
    ['http://[::ffff:10.0.0.1]/', 'host_not_public'],
    ['http://[64:ff9b::10.0.0.1]/', 'host_not_public'], // NAT64 of a private address
    ['http://[64:ff9b:1::8.8.8.8]/', 'host_not_public'], // local-use NAT64 prefix
    ['http://[2002:7f00:1::1]/', 'host_not_public'], // 6to4 of 127.0.0.1
    ['http://[2002:c0a8:101::1]/', 'host_not_public'], // 6to4 of 192.168.1.1
    ['http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/', 'host_not_public'], // Teredo, client 10.0.0.1
    ['http://[4000::1]/', 'host_not_public'], // outside 2000::/3
    // Names
    ['http://localhost/', 'special_use_host'],
    ['http://LOCALHOST./', 'special_use_host'],
    ['http://foo.localhost/', 'special_use_host'],
    ['http://printer.local/', 'special_use_host'],
    ['http://db.internal/', 'special_use_host'],
    ['http://router.home.arpa/', 'special_use_host'],
    ['http://1.0.0.127.in-addr.arpa/', 'special_use_host'],
    ['http://a.test/', 'special_use_host'],
    ['http://bücher.example/', 'special_use_host'],
    ['http://x.invalid/', 'special_use_host'],
    ['http://nas.lan/', 'special_use_host'],
    ['http://host.localdomain/', 'special_use_host'],
    ['http://intranet/', 'special_use_host'],
    ['http://fileserver/', 'single_label_host'],
    ['http://com/', 'single_label_host'],
    ['http://%20leadingspace.com/', 'invalid_hostname'],
    ['http://a%2Fb.com/', 'invalid_hostname'],
    ['http://w!eird.com/', 'invalid_hostname'],
    [`http://${'a'.repeat(64)}.com/`, 'invalid_hostname'],
    [`http://${'a.'.repeat(127)}com/`, 'invalid_hostname'],
    ['http://example.c0m/', 'invalid_hostname'],
    ['http://example.x/', 'invalid_hostname'],
    ['http://example.xn--/', 'invalid_hostname'],
    // Onion
    ['http://duckduckgo.onion/', 'invalid_onion'],
    ['http://expyuzz4wqqyqhjn.onion/', 'invalid_onion'], // v2, retired in 2021
    [`http://${ONION.replace('duck', 'duca')}/`, 'invalid_onion'], // checksum mismatch
    [`http://${ONION.replace('zad.', 'zaa.')}/`, 'invalid_onion'], // version byte
    [`http://a%20b.${ONION}/`, 'invalid_hostname'],
    // Schemes
    ['javascript:alert(1)', 'no_authority'],
    ['javascript://%0Aalert(1)', 'scheme_not_allowed'],
    ['data:text/html,x', 'no_authority'],
    ['file:///etc/passwd', 'no_host'],
    ['file://server/share', 'scheme_not_allowed'],
    ['ftp://example.com/', 'scheme_not_allowed'],
    ['ws://example.com/', 'scheme_not_allowed'],
    ['mailto:someone@example.com', 'no_authority'],
    // Not URLs at all
    ['', 'empty'],
    ['http://[::1', 'bad_host'],
    ['http://example.com:70000/', 'bad_port'],
  ];

  it.each(rejected)('rejects %j (%s)', (input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  const accepted: string[] = [
    'example.com/a',
    'https://8.8.8.8/',
    'http://1.1.1.1:8080/x',
    'http://[2001:4860:4860::8888]/',
    'http://[::ffff:8.8.8.8]/',
    'http://[64:ff9b::8.8.8.8]/',
    'http://[2002:808:808::1]/', // 6to4 of 8.8.8.8
    `http://${ONION}/`,
    `https://www.${ONION}/path?q=1`,
    'http://xn--bcher-kva.example.org/',
    'http://bücher.example.org/',
    'https://www.example.co.uk/',
    'http://my_site.blogspot.com/',
    'http://xn--80ak6aa92e.xn--p1ai/',
    'https://user:pw@example.com:8443/a?b#c',
    `http://${'a'.repeat(63)}.com/`,
  ];

  it.each(accepted)('accepts %j', (input) => {
    expect(reasonOf(input)).toBe('accepted');
  });

  it('returns the canonical URL on success', () => {
    expect(parseReportableUrl('HTTP://Example.com:80/a/../b#x')).toEqual({
      ok: true,
      url: canonicalizeUrl('http://example.com/b'),
    });
  });

  it('checkReportable works on a CanonicalUrl', () => {
    expect(checkReportable(canonicalizeUrl('https://example.com/'))).toBeNull();
    expect(checkReportable(canonicalizeUrl('http://10.0.0.1/'))).toBe('host_not_public');
  });

  it('does not trust hostKind of a hand-made CanonicalUrl', () => {
    const forged = (host: string, hostKind: CanonicalUrl['hostKind']): CanonicalUrl => ({
      href: `http://${host}/`,
      scheme: 'http',
      host,
      hostKind,
      port: null,
      path: '/',
      query: null,
    });
    expect(checkReportable(forged('127.0.0.1', 'dns'))).toBe('invalid_hostname');
    expect(checkReportable(forged('localhost', 'ipv4'))).toBe('host_not_public');
    expect(checkReportable(forged('[::1.2.3.4]', 'ipv6'))).toBe('host_not_public');
    expect(checkReportable(forged('example.com', 'onion'))).toBe('invalid_onion');
  });

  it('never throws, and accepts only http(s) URLs that canonicalise', () => {
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.webUrl({ validSchemes: ['http', 'https', 'ftp', 'file', 'javascript'], withQueryParameters: true }),
      fc.webUrl({ authoritySettings: { withIPv4: true, withIPv6: true, withIPv4Extended: true, withPort: true } }),
    );
    fc.assert(
      fc.property(input, (s) => {
        const result = parseReportableUrl(s);
        if (result.ok) {
          expect(['http', 'https']).toContain(result.url.scheme);
          expect(canonicalizeUrl(s)).toEqual(result.url);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
