/**
 * The intake acceptance rule: which canonical URLs the hotline takes as reports. Only http(s) URLs
 * that could point at content on the public Internet (or a Tor v3 onion service) are accepted.
 * Anything else (loopback, private networks, cloud metadata, intranet names, `javascript:`) is
 * refused: the hotline cannot act on it, and keeping it out means no later tool can be pointed at
 * our own network through a report.
 */
import { createHash } from 'node:crypto';
import { IPv4 } from 'ipaddr.js';
import { CanonicalUrl, InvalidUrlError, InvalidUrlReason, canonicalizeUrl } from './canonicalize';
import { parseIPv6Literal } from './ipv6-literal';

export type UrlRejection =
  /** the scheme is not http or https (ftp:, ws:, file:, …) */
  | 'scheme_not_allowed'
  /** an IP address outside public unicast space (loopback, RFC 1918, link-local, CGNAT, …) */
  | 'host_not_public'
  /** a special-use or never-delegated name: localhost, *.local, *.test, *.internal, … */
  | 'special_use_host'
  /** a DNS name with a single label (`intranet`) */
  | 'single_label_host'
  /** not a syntactically valid DNS name (escaped bytes, label too long, bad top-level label) */
  | 'invalid_hostname'
  /** a .onion name that is not a valid v3 onion address */
  | 'invalid_onion';

export const ALLOWED_SCHEMES: readonly string[] = Object.freeze(['http', 'https']);

/**
 * Names that never resolve on the public Internet; a host equal to one of them or ending in
 * `.<name>` is refused. RFC 2606's `example.com/.net/.org` are deliberately NOT listed: they are
 * real, resolvable names (and are used as harmless test fixtures).
 */
export const SPECIAL_USE_DOMAINS: readonly string[] = Object.freeze([
  // RFC 6761 special-use names
  'localhost',
  'test',
  'example',
  'invalid',
  // mDNS (RFC 6762), home networks (RFC 8375, under .arpa), non-DNS namespaces (RFC 9476)
  'local',
  'arpa', // infrastructure only (in-addr.arpa, ip6.arpa, home.arpa): no web content
  'alt',
  // ICANN: reserved for private use (2024) and never to be delegated (corp, home, mail; 2018)
  'internal',
  'corp',
  'home',
  'mail',
  // De facto private names from home routers and intranets
  'lan',
  'localdomain',
  'intranet',
]);

export type ParseReportableResult = { ok: true; url: CanonicalUrl } | { ok: false; reason: InvalidUrlReason | UrlRejection };

/** null when the URL is acceptable as a report, otherwise why not. */
export function checkReportable(url: CanonicalUrl): UrlRejection | null {
  if (!ALLOWED_SCHEMES.includes(url.scheme)) return 'scheme_not_allowed';
  switch (url.hostKind) {
    case 'ipv4':
      return isPublicIPv4(url.host) ? null : 'host_not_public';
    case 'ipv6':
      return isPublicIPv6(url.host.replace(/^\[|\]$/g, '')) ? null : 'host_not_public';
    case 'onion':
      return checkOnion(url.host);
    default:
      return checkDnsName(url.host);
  }
}

/** canonicalizeUrl + checkReportable. Never throws. */
export function parseReportableUrl(input: string): ParseReportableResult {
  let url: CanonicalUrl;
  try {
    url = canonicalizeUrl(input);
  } catch (err) {
    return { ok: false, reason: err instanceof InvalidUrlError ? err.reason : 'unparseable' };
  }
  let rejection: UrlRejection | null;
  try {
    rejection = checkReportable(url);
  } catch {
    rejection = 'invalid_hostname'; // defensive only; checkReportable is not expected to throw
  }
  return rejection === null ? { ok: true, url } : { ok: false, reason: rejection };
}

// ---------------------------------------------------------------------------------------------
// DNS names

const LABEL = /^[a-z0-9_-]{1,63}$/; // '_' and edge hyphens occur in real hostnames browsers open
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function isSpecialUse(host: string): boolean {
  return SPECIAL_USE_DOMAINS.some((name) => host === name || host.endsWith(`.${name}`));
}

function checkDnsName(host: string): UrlRejection | null {
  if (isSpecialUse(host)) return 'special_use_host';
  if (host.length > 253) return 'invalid_hostname';
  const labels = host.split('.');
  if (!labels.every((label) => LABEL.test(label))) return 'invalid_hostname';
  if (labels.length < 2) return 'single_label_host';
  if (!TOP_LABEL.test(labels[labels.length - 1])) return 'invalid_hostname';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Onion services

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const ONION_V3 = /^[a-z2-7]{55}d$/; // 56 chars; the last one holds the low bits of version 3

/**
 * `<56 base32 chars>.onion`, optionally below subdomains. The v3 address embeds
 * pubkey(32) | checksum(2) | version(1), checksum = SHA3-256(".onion checksum" | pubkey | version)[:2]
 * (Tor rend-spec-v3), so a mistyped address is caught here.
 */
function checkOnion(host: string): UrlRejection | null {
  if (host.length > 253) return 'invalid_hostname';
  const labels = host.split('.');
  if (labels.length < 2 || labels[labels.length - 1] !== 'onion') return 'invalid_onion';
  const address = labels[labels.length - 2];
  if (!ONION_V3.test(address) || !onionChecksumOk(address)) return 'invalid_onion';
  if (!labels.slice(0, -2).every((label) => LABEL.test(label))) return 'invalid_hostname';
  return null;
}

function onionChecksumOk(address: string): boolean {
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of address) {
    acc = ((acc << 5) | BASE32.indexOf(ch)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  const pubkey = Buffer.from(bytes.slice(0, 32));
  const version = bytes[34];
  if (version !== 3) return false;
  let digest: Buffer;
  try {
    digest = createHash('sha3-256')
      .update('.onion checksum')
      .update(pubkey)
      .update(Buffer.from([version]))
      .digest();
  } catch {
    return true; // an OpenSSL build without SHA-3: fall back to the format check alone
  }
  return digest[0] === bytes[32] && digest[1] === bytes[33];
}

// ---------------------------------------------------------------------------------------------
// IP addresses

/**
 * Public means ipaddr.js's 'unicast': not unspecified (0/8), broadcast, multicast, link-local
 * (169.254/16, cloud metadata), loopback, CGNAT (100.64/10), RFC 1918, reserved (192.0.0/24,
 * documentation, 6to4 relay, benchmarking 198.18/15, 240/4), AS112 or AMT.
 */
function isPublicIPv4(text: string): boolean {
  if (!IPv4.isValidFourPartDecimal(text)) return false;
  return IPv4.parse(text).range() === 'unicast';
}

function v4FromParts(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function isPublicIPv6(text: string): boolean {
  const addr = parseIPv6Literal(text);
  if (addr === null) return false;
  const p = addr.parts;
  // Addresses that embed an IPv4 address are judged by it. The range names are ipaddr.js's; its
  // typings list only some of them, hence the widening to string.
  switch (addr.range() as string) {
    case 'ipv4Mapped':
      return isPublicIPv4(v4FromParts(p[6], p[7]));
    case 'rfc6052': // NAT64: 64:ff9b::/96 embeds the target; 64:ff9b:1::/48 is local-use only
      return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 && isPublicIPv4(v4FromParts(p[6], p[7]));
    case '6to4': // 2002:AABB:CCDD::/48 is the site behind the IPv4 address AA.BB.CC.DD
      return isPublicIPv4(v4FromParts(p[1], p[2]));
    case 'teredo': // 2001:0:SERVER:…:~CLIENT; both must be public for the address to be reachable
      return isPublicIPv4(v4FromParts(p[2], p[3])) && isPublicIPv4(v4FromParts(p[6] ^ 0xffff, p[7] ^ 0xffff));
    case 'unicast':
      // ipaddr.js calls everything it has no name for 'unicast'; only 2000::/3 is allocated global
      // unicast. This also refuses the deprecated IPv4-compatible form ::a.b.c.d (::/96).
      return (p[0] & 0xe000) === 0x2000;
    default:
      // loopback, unspecified, link-local, unique-local fc00::/7, multicast, site-local, discard,
      // documentation 2001:db8::/32 and 3fff::/20, benchmarking, ORCHID, segment routing, …
      return false;
  }
}
