import { isIPv4, isIPv6 } from 'node:net';

/**
 * An IP address as an unsigned integer, so that ranges compare with `<` and `>`: a number for
 * IPv4 (32 bits fit exactly in a double), a bigint for IPv6 (128 bits).
 */
export type IpNumber = { family: 4; value: number } | { family: 6; value: bigint };

const MAPPED_PREFIX = 0xffffn; // ::ffff:0:0/96, IPv4-mapped IPv6

/**
 * Parses an IP address, optionally in URL brackets (`[2001:db8::1]`). IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`) becomes IPv4: it is the same host, and range tables list it as IPv4.
 * IPv4 must be dotted-quad decimal, as DNS answers and table files write it. Null when the text
 * is not an IP address.
 *
 * Node's own validators and a little arithmetic rather than ipaddr.js: tables have millions of
 * rows, and ipaddr.js takes about 15 µs per IPv6 address.
 */
export function parseIp(text: string): IpNumber | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(bare)) return { family: 4, value: ipv4Value(bare) };
  if (!isIPv6(bare)) return null;
  const value = ipv6Value(bare);
  if (value >> 32n === MAPPED_PREFIX) return { family: 4, value: Number(value & 0xffffffffn) };
  return { family: 6, value };
}

function ipv4Value(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number);
  // Multiplication, not `<<`, which would turn addresses from 128.0.0.0 up negative.
  return a * 0x1000000 + b * 0x10000 + c * 0x100 + d;
}

/** The 128-bit value of a valid IPv6 address (checked by isIPv6 before). */
function ipv6Value(text: string): bigint {
  let hex = text.split('%')[0]; // a zone id (`fe80::1%eth0`) is not part of the address
  if (hex.includes('.')) {
    // A dotted IPv4 tail (`::ffff:1.2.3.4`) is the last two groups.
    const colon = hex.lastIndexOf(':');
    const v4 = ipv4Value(hex.slice(colon + 1));
    hex = `${hex.slice(0, colon + 1)}${Math.floor(v4 / 0x10000).toString(16)}:${(v4 % 0x10000).toString(16)}`;
  }
  const [left, right] = hex.split('::');
  const head = left === '' ? [] : left.split(':');
  const tail = right === undefined || right === '' ? [] : right.split(':');
  const zeros: string[] = right === undefined ? [] : Array(8 - head.length - tail.length).fill('0');
  const groups = [...head, ...zeros, ...tail];
  return BigInt(`0x${groups.map((group) => group.padStart(4, '0')).join('')}`);
}
