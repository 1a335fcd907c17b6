/**
 * URL canonicalisation after the public Google Safe Browsing / Web Risk rules ("URLs and Hashing"),
 * used to compare and deduplicate reported URLs. The module handles URL strings only: it never
 * resolves or fetches anything.
 *
 * Pipeline (each step is commented below):
 *   1. remove TAB/CR/LF anywhere, drop the fragment, trim leading/trailing whitespace and controls;
 *   2. take the scheme (default `http` when there is none: `host/path` or `//host/path`);
 *   3. split authority / path / query on the *raw* string, as a browser would;
 *   4. percent-unescape each part until nothing changes, normalise it, then percent-escape
 *      bytes <= 0x20, >= 0x7F, '#' and '%' (upper-case hex).
 *
 * Deliberate deviations from Google's reference client (github.com/google/safebrowsing, urls.go):
 *   - a non-default port is kept (`:8080`); the scheme's default port (`:80` for http, `:443` for
 *     https, ...) is dropped;
 *   - the URL is split into authority / path / query BEFORE unescaping (Google unescapes the whole
 *     string first). So `%2F`, `%3F`, `%40`, `%3A` in the authority cannot move the host
 *     (`http://8.8.8.8%2F@10.0.0.1/` has host 10.0.0.1, as in a browser), and `%3F` in the path
 *     stays `%3F` instead of starting a query. For the same reason the host additionally escapes
 *     `/ \ ? @ : [ ]` and the path `?` and `\`: the href must parse back to the same parts;
 *   - a backslash in the raw authority/path acts as `/` (what browsers do for http(s));
 *   - IPv4-mapped (`::ffff:a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`) IPv6 literals become the IPv4
 *     address (this is the newer Safe Browsing v5 rule); other IPv6 literals are kept in brackets in
 *     RFC 5952 form;
 *   - a host whose last label is a number but which is not a valid IPv4 address (`1.2.3.4.5`,
 *     `256.1.1.1`, `foo.123`) is refused ('bad_host'), as the WHATWG URL standard does; Google keeps
 *     it as a name or truncates octets;
 *   - IPv6 zone identifiers are refused; dot segments are resolved as RFC 3986 does
 *     (`/a/b/..` -> `/a/`).
 *
 * The input is a JS (UTF-16) string; it is processed as its UTF-8 bytes (a lone surrogate becomes
 * U+FFFD). Google's byte-level vector `http://\x01\x80.com/` is therefore `%01%C2%80` here when
 * written as a JS string, and `%01%80` when the byte is given percent-escaped.
 */
import { domainToASCII } from 'node:url';
import { TextDecoder } from 'node:util';
import { parseIPv6Literal } from './ipv6-literal';

export type InvalidUrlReason =
  /** nothing left after removing whitespace and the fragment */
  | 'empty'
  /** longer than MAX_CANONICAL_URL_LENGTH (input after trimming, or the canonical href) */
  | 'too_long'
  /** internal safety net: the input could not be processed */
  | 'unparseable'
  /** a scheme without `//authority`, e.g. `javascript:`, `data:`, `mailto:` */
  | 'no_authority'
  /** the authority has no host (`http:///x`, `/path`, `file:///etc/passwd`) */
  | 'no_host'
  /** malformed IP literal, numeric host that is not an IPv4 address, IPv6 zone id */
  | 'bad_host'
  /** port not made of digits or above 65535 */
  | 'bad_port';

export class InvalidUrlError extends Error {
  constructor(readonly reason: InvalidUrlReason) {
    // The URL itself is deliberately not part of the message: messages end up in logs, and reported
    // URLs must not.
    super(`invalid URL: ${reason}`);
    this.name = 'InvalidUrlError';
  }
}

export interface CanonicalUrl {
  /** `scheme://host[:port]path[?query]`, ASCII only */
  href: string;
  /** lower case, e.g. `http` */
  scheme: string;
  /** lower case; punycode for IDN; dotted quad for IPv4; `[…]` for IPv6; may hold %XX escapes */
  host: string;
  hostKind: 'dns' | 'ipv4' | 'ipv6' | 'onion';
  /** only a non-default port; null otherwise */
  port: number | null;
  /** starts with `/` */
  path: string;
  /** without the `?`; null when the URL has no `?`, '' when it ends in a bare `?` */
  query: string | null;
}

/**
 * Hard upper bound, in UTF-16 code units, for the trimmed input and for the canonical href. It keeps
 * the work bounded; it is not the intake policy, which is stricter and belongs to the caller (a
 * reported URL is at most MAX_REPORTED_URL_LENGTH, 2048, as typed; its canonical form can be
 * several times longer once non-ASCII bytes are percent-escaped). Because the href is bounded
 * too, canonicalising an href again can never fail on length.
 */
export const MAX_CANONICAL_URL_LENGTH = 8192;

/** Default ports dropped from the canonical form (the WHATWG "special" schemes). */
const DEFAULT_PORTS: ReadonlyMap<string, number> = new Map([
  ['http', 80],
  ['https', 443],
  ['ws', 80],
  ['wss', 443],
  ['ftp', 21],
]);

export function canonicalizeUrl(input: string): CanonicalUrl {
  try {
    return canonicalize(input);
  } catch (err) {
    if (err instanceof InvalidUrlError) throw err;
    // Contract: nothing but InvalidUrlError ever leaves this function.
    throw new InvalidUrlError('unparseable');
  }
}

function canonicalize(input: string): CanonicalUrl {
  if (typeof input !== 'string') throw new InvalidUrlError('unparseable');
  // Cheap guard before any O(n) work on absurd inputs.
  if (input.length > MAX_CANONICAL_URL_LENGTH * 4) throw new InvalidUrlError('too_long');

  let s = input.replace(/[\t\r\n]/g, '');
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(0, hash);
  s = trim(s);
  if (s === '') throw new InvalidUrlError('empty');
  if (s.length > MAX_CANONICAL_URL_LENGTH) throw new InvalidUrlError('too_long');

  // From here on `bin` is a "binary string": one char per UTF-8 byte (0..255).
  const bin = toBinary(s);

  let scheme: string;
  let rest: string;
  const schemeEnd = findSchemeEnd(bin);
  if (schemeEnd > 0) {
    scheme = bin.slice(0, schemeEnd).toLowerCase(); // scheme chars are ASCII
    rest = bin.slice(schemeEnd + 1);
    if (!startsWithTwoSlashes(rest)) throw new InvalidUrlError('no_authority');
    rest = rest.slice(2);
  } else {
    scheme = 'http';
    rest = startsWithTwoSlashes(bin) ? bin.slice(2) : bin;
  }

  // Split on the raw string: the authority ends at the first '/', '\' or '?'.
  let authorityEnd = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === SLASH || c === BACKSLASH || c === QUESTION) {
      authorityEnd = i;
      break;
    }
  }
  const authority = rest.slice(0, authorityEnd);
  const afterAuthority = rest.slice(authorityEnd);
  const q = afterAuthority.indexOf('?');
  const rawPath = q < 0 ? afterAuthority : afterAuthority.slice(0, q);
  const rawQuery = q < 0 ? null : afterAuthority.slice(q + 1);

  const { rawHost, port: rawPort } = splitAuthority(authority);
  const port = rawPort === null || rawPort === DEFAULT_PORTS.get(scheme) ? null : rawPort;
  const { host, hostKind } = canonicalHost(rawHost);
  const path = canonicalPath(rawPath);
  const query = rawQuery === null ? null : escapeBytes(unescapeFully(rawQuery), QUERY_ESCAPES);

  const href = `${scheme}://${host}${port === null ? '' : `:${port}`}${path}${query === null ? '' : `?${query}`}`;
  if (href.length > MAX_CANONICAL_URL_LENGTH) throw new InvalidUrlError('too_long');
  return { href, scheme, host, hostKind, port, path, query };
}

// ---------------------------------------------------------------------------------------------
// Character helpers

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const QUESTION = 0x3f;
const PERCENT = 0x25;

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

const WHITESPACE = /\s/;

/** Leading/trailing C0 controls, space, and Unicode whitespace (NBSP, BOM, …) from copy-paste. */
function isTrimmable(ch: string): boolean {
  return ch.charCodeAt(0) <= 0x20 || WHITESPACE.test(ch);
}

// Index loops rather than /^\s+|\s+$/: the trailing-anchor form backtracks quadratically on long
// inner runs of whitespace.
function trim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isTrimmable(s[start])) start++;
  while (end > start && isTrimmable(s[end - 1])) end--;
  return s.slice(start, end);
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** UTF-16 string -> one char per UTF-8 byte. Lone surrogates become U+FFFD (EF BF BD). */
function toBinary(s: string): string {
  return ASCII_ONLY.test(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

function startsWithTwoSlashes(s: string): boolean {
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(1);
  return (a === SLASH || a === BACKSLASH) && (b === SLASH || b === BACKSLASH);
}

/**
 * Index of the ':' ending a scheme, or -1. As in Google's client, `host:port` (a ':' followed by
 * digits and then the end, '/', '\' or '?') is not a scheme, so `www.example.com:8080/x` has none.
 */
function findSchemeEnd(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isAlpha(c)) continue;
    if (isDigit(c) || c === 0x2b /* + */ || c === 0x2d /* - */ || c === 0x2e /* . */) {
      if (i === 0) return -1;
      continue;
    }
    if (c !== 0x3a /* : */ || i === 0) return -1;
    let j = i + 1;
    while (j < s.length && isDigit(s.charCodeAt(j))) j++;
    if (j > i + 1) {
      const t = j === s.length ? -1 : s.charCodeAt(j);
      if (t === -1 || t === SLASH || t === BACKSLASH || t === QUESTION) return -1;
    }
    return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Percent-escaping

/**
 * Repeatedly percent-unescape until no `%XX` is left, in a single linear pass. A byte produced by
 * decoding is examined again together with what precedes it, so `%2541` -> `%41` -> `A`. `%XX`
 * sequences cannot overlap ('%' is not a hex digit), so this gives exactly the result of repeating
 * whole-string passes until nothing changes, without the quadratic cost on `%252525…`.
 */
function unescapeFully(s: string): string {
  if (s.indexOf('%') < 0) return s;
  const out = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    out[n++] = s.charCodeAt(i);
    while (n >= 3 && out[n - 3] === PERCENT) {
      const hi = hexValue(out[n - 2]);
      const lo = hexValue(out[n - 1]);
      if (hi < 0 || lo < 0) break;
      n -= 3;
      out[n++] = hi * 16 + lo;
    }
  }
  return Buffer.from(out.buffer, out.byteOffset, n).toString('latin1');
}

const HEX = '0123456789ABCDEF';

/** Table of bytes to escape: Google's set (<= 0x20, >= 0x7F, '#', '%') plus `extra`. */
function escapeTable(extra: string): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = c <= 0x20 || c >= 0x7f || c === 0x23 || c === PERCENT ? 1 : 0;
  for (const ch of extra) t[ch.charCodeAt(0)] = 1;
  return t;
}

const QUERY_ESCAPES = escapeTable('');
// '?' and '\' would change how the path is split/read when the href is parsed again.
const PATH_ESCAPES = escapeTable('?\\');
// These would end the host or be read as userinfo/port/IPv6 brackets when the href is parsed again.
const HOST_ESCAPES = escapeTable('/\\?@:[]');

function escapeBytes(s: string, table: Uint8Array): string {
  let i = 0;
  while (i < s.length && table[s.charCodeAt(i)] === 0) i++;
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += table[c] === 1 ? `%${HEX[c >> 4]}${HEX[c & 15]}` : s[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Authority and host

function splitAuthority(authority: string): { rawHost: string; port: number | null } {
  // Userinfo is dropped; the last '@' separates it, as in browsers.
  const at = authority.lastIndexOf('@');
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  let rawHost: string;
  let rawPort: string | null = null;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw new InvalidUrlError('bad_host');
    rawHost = hostPort.slice(0, close + 1);
    const tail = hostPort.slice(close + 1);
    if (tail !== '') {
      if (tail[0] !== ':') throw new InvalidUrlError('bad_host');
      rawPort = tail.slice(1);
    }
  } else {
    const colon = hostPort.indexOf(':');
    rawHost = colon < 0 ? hostPort : hostPort.slice(0, colon);
    rawPort = colon < 0 ? null : hostPort.slice(colon + 1);
  }
  return { rawHost, port: rawPort === null ? null : parsePort(rawPort) };
}

function parsePort(raw: string): number | null {
  if (raw === '') return null; // `http://host:/` is allowed and means the default port
  if (!/^[0-9]+$/.test(raw)) throw new InvalidUrlError('bad_port');
  const digits = raw.replace(/^0+(?=.)/, '');
  if (digits.length > 5) throw new InvalidUrlError('bad_port');
  const port = Number(digits);
  if (port > 65535) throw new InvalidUrlError('bad_port');
  return port;
}

function canonicalHost(raw: string): { host: string; hostKind: CanonicalUrl['hostKind'] } {
  if (raw.startsWith('[')) return canonicalIPv6(raw.slice(1, -1));

  // Unescape first: `%2E` is a dot, `%31%32%37…` can spell an IP address (Google's vectors).
  // Dots and case are normalised before the IDN step too, so that canonicalising the output again
  // hands domainToASCII exactly the same string (idempotence).
  let h = lowerAscii(collapseDots(unescapeFully(raw)));
  if (/[\x80-\xff]/.test(h)) {
    const ascii = idnToAscii(h);
    if (ascii !== null) h = collapseDots(ascii);
  }
  if (h === '') throw new InvalidUrlError('no_host');

  const ipv4 = parseIPv4(h);
  if (ipv4 !== null) return { host: ipv4, hostKind: 'ipv4' };

  const host = escapeBytes(h, HOST_ESCAPES);
  const lastDot = host.lastIndexOf('.');
  const hostKind = lastDot > 0 && host.slice(lastDot + 1) === 'onion' ? 'onion' : 'dns';
  return { host, hostKind };
}

function collapseDots(h: string): string {
  if (!h.includes('..') && !h.startsWith('.') && !h.endsWith('.')) return h;
  return h
    .split('.')
    .filter((label) => label !== '')
    .join('.');
}

/** Lower-case A-Z only: the string holds raw bytes, which toLowerCase() would alter (0xC0-0xDE). */
function lowerAscii(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * IDN -> punycode with Node's UTS #46 implementation. Returns null (the caller then keeps and
 * escapes the bytes, as Google does for `\x80`) when the bytes are not UTF-8 or not a valid domain.
 */
function idnToAscii(h: string): string | null {
  // domainToASCII parses its argument as a URL host: with '/', '?', '@', ':' … inside it would cut
  // the string instead of refusing it. Only hand it letters, digits, '.', '-', '_' and non-ASCII.
  if (/[^a-z0-9._\x80-\xff-]/.test(h)) return null;
  let unicode: string;
  try {
    unicode = utf8.decode(Buffer.from(h, 'latin1'));
  } catch {
    return null;
  }
  const ascii = domainToASCII(unicode);
  return ascii !== '' && /^[a-z0-9._-]+$/.test(ascii) ? ascii : null;
}

/**
 * IPv4 in any legal spelling (decimal, octal with a leading 0, hex with 0x, 1 to 4 parts) -> dotted
 * quad. Returns null when the host does not end in a number (a DNS name). Throws 'bad_host' when it
 * does but is not a valid address: browsers refuse such hosts (WHATWG "ends in a number").
 */
function parseIPv4(h: string): string | null {
  const labels = h.split('.');
  if (!/^(?:[0-9]+|0x[0-9a-f]*)$/.test(labels[labels.length - 1])) return null;
  if (labels.length > 4) throw new InvalidUrlError('bad_host');
  let value = 0;
  for (let i = 0; i < labels.length; i++) {
    const n = parseIPv4Number(labels[i]);
    const last = i === labels.length - 1;
    const limit = last ? 256 ** (5 - labels.length) : 256;
    if (n === null || n >= limit) throw new InvalidUrlError('bad_host');
    value += last ? n : n * 256 ** (3 - i);
  }
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function parseIPv4Number(label: string): number | null {
  if (/^0x[0-9a-f]*$/.test(label)) return label.length === 2 ? 0 : parseInt(label.slice(2), 16);
  if (/^0[0-7]+$/.test(label)) return parseInt(label.slice(1), 8);
  if (/^(?:0|[1-9][0-9]*)$/.test(label)) return parseInt(label, 10);
  return null; // e.g. '08', '1a'
}

function canonicalIPv6(text: string): { host: string; hostKind: CanonicalUrl['hostKind'] } {
  const addr = parseIPv6Literal(text);
  if (addr === null) throw new InvalidUrlError('bad_host');
  const p = addr.parts;
  // Safe Browsing v5: IPv4-mapped and well-known-prefix NAT64 addresses name an IPv4 host.
  const mapped = p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0xffff;
  const nat64 = p[0] === 0x64 && p[1] === 0xff9b && p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0;
  if (mapped || nat64) {
    return { host: `${p[6] >> 8}.${p[6] & 255}.${p[7] >> 8}.${p[7] & 255}`, hostKind: 'ipv4' };
  }
  return { host: `[${addr.toRFC5952String()}]`, hostKind: 'ipv6' };
}

// ---------------------------------------------------------------------------------------------
// Path

/**
 * Unescape, resolve `.` and `..` segments (RFC 3986: `/a/b/..` -> `/a/`), collapse `//`, escape.
 * A backslash in the raw path is a '/' (browsers do this for http(s)); an escaped one (`%5C`) is not.
 */
function canonicalPath(raw: string): string {
  if (raw === '') return '/';
  const decoded = unescapeFully(raw.includes('\\') ? raw.replace(/\\/g, '/') : raw);
  const segments = decoded.split('/');
  const out: string[] = [];
  let trailingSlash = false;
  for (const segment of segments) {
    trailingSlash = segment === '' || segment === '.' || segment === '..';
    if (segment === '..') out.pop();
    else if (!trailingSlash) out.push(segment);
  }
  const path = out.length === 0 ? '/' : `/${out.join('/')}${trailingSlash ? '/' : ''}`;
  return escapeBytes(path, PATH_ESCAPES);
}
