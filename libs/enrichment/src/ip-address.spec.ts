import fc from 'fast-check';
import { IPv6 } from 'ipaddr.js';
import { parseIp } from './ip-address';

describe('parseIp', () => {
  it.each([
    ['0.0.0.0', { family: 4, value: 0 }],
    ['198.51.100.7', { family: 4, value: 0xc6336407 }],
    ['255.255.255.255', { family: 4, value: 0xffffffff }],
    ['::ffff:198.51.100.7', { family: 4, value: 0xc6336407 }],
    ['[::ffff:c633:6407]', { family: 4, value: 0xc6336407 }],
    ['::', { family: 6, value: 0n }],
    ['::1', { family: 6, value: 1n }],
    ['2001:db8::', { family: 6, value: 0x20010db8n << 96n }],
    ['[2001:db8::1]', { family: 6, value: (0x20010db8n << 96n) | 1n }],
    ['fe80::1%eth0', { family: 6, value: (0xfe80n << 112n) | 1n }],
    ['::1.2.3.4', { family: 6, value: 0x01020304n }], // IPv4-compatible, not mapped: stays IPv6
    ['1:2:3:4:5:6:1.2.3.4', { family: 6, value: 0x00010002000300040005000601020304n }],
  ])('%s', (text, expected) => {
    expect(parseIp(text)).toEqual(expected);
  });

  it.each([['example.com'], ['1.2.3'], ['127.1'], ['0x7f.0.0.1'], ['01.2.3.4'], ['1::2::3'], ['[1.2.3.4'], ['']])('refuses %s', (text) => {
    expect(parseIp(text)).toBeNull();
  });

  // Dotted IPv4 tails are left to the cases above: ipaddr.js reads the IPv4-compatible `::1.2.3.4`
  // as if it were the mapped `::ffff:1.2.3.4`.
  it('reads every hex IPv6 spelling as ipaddr.js does', () => {
    fc.assert(
      fc.property(
        fc.ipV6().filter((text) => !text.includes('.')),
        (text) => {
          const parts = IPv6.parse(text).parts.map((part) => BigInt(part));
          const expected = parts.reduce((value, part) => (value << 16n) | part, 0n);
          const parsed = parseIp(text);
          if (expected >> 32n === 0xffffn) return parsed?.family === 4 && BigInt(parsed.value) === (expected & 0xffffffffn);
          return parsed?.family === 6 && parsed.value === expected;
        },
      ),
      { numRuns: 2000 },
    );
  });
});
