import { IPv6 } from 'ipaddr.js';

const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/**
 * Strict parse of the text between the brackets of an IPv6 literal (internal helper, not part of
 * the package API). Returns null when it is not an IPv6 address as browsers accept it: hex groups,
 * '::', optionally a trailing dotted-decimal IPv4 part; no zone id, no spaces.
 *
 * ipaddr.js alone is not used as-is because it is more lenient (it takes `::ffff:0x7f.0.0.1` and
 * zone ids) and because it reads the deprecated IPv4-compatible form `::a.b.c.d` as the
 * IPv4-mapped `::ffff:a.b.c.d`. So the IPv4 part is checked here and rewritten as two hex groups.
 */
export function parseIPv6Literal(text: string): IPv6 | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  let hex = text;
  if (text.includes('.')) {
    const colon = text.lastIndexOf(':');
    const v4 = text.slice(colon + 1);
    if (colon < 0 || !DOTTED_QUAD.test(v4)) return null;
    const [a, b, c, d] = v4.split('.').map(Number);
    hex = `${text.slice(0, colon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  try {
    const addr = IPv6.parse(hex);
    return addr.zoneId ? null : addr;
  } catch {
    return null;
  }
}
