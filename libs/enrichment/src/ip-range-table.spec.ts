import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpRangeTable } from './ip-range-table';

const TABLE = `# test table: documentation ranges only
start,end,country,asn,organisation
203.0.113.0,203.0.113.255,DE,64501,"Example Hosting, GmbH"
198.51.100.0,198.51.100.127,nl,64500,Example NL
198.51.100.128,198.51.100.255,,,
2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,US,64502,Example US
# IPv4 near the top of the space, where 32-bit signed arithmetic would go wrong
255.255.255.0,255.255.255.255,ZZ,4294967295,Top
`;

describe('IpRangeTable', () => {
  let dir: string;
  let table: IpRangeTable;

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ip-range-table-'));
    table = IpRangeTable.load(write('table.csv', TABLE));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds IPv4 addresses, range edges included', () => {
    const nl = { country: 'NL', asn: 64500, organisation: 'Example NL' };
    expect(table.lookup('198.51.100.0')).toEqual(nl);
    expect(table.lookup('198.51.100.77')).toEqual(nl);
    expect(table.lookup('198.51.100.127')).toEqual(nl);
    expect(table.lookup('198.51.100.128')).toEqual({ country: null, asn: null, organisation: null });
    expect(table.lookup('203.0.113.255')).toEqual({ country: 'DE', asn: 64501, organisation: 'Example Hosting, GmbH' });
    expect(table.lookup('255.255.255.255')).toEqual({ country: 'ZZ', asn: 4294967295, organisation: 'Top' });
  });

  it('finds IPv6 addresses, range edges included', () => {
    const us = { country: 'US', asn: 64502, organisation: 'Example US' };
    expect(table.lookup('2001:db8::')).toEqual(us);
    expect(table.lookup('2001:db8:1::7')).toEqual(us);
    expect(table.lookup('[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]')).toEqual(us);
  });

  it('looks IPv4-mapped IPv6 up as IPv4', () => {
    expect(table.lookup('::ffff:198.51.100.7')?.country).toBe('NL');
    expect(table.lookup('::ffff:cb00:7101')?.country).toBe('DE'); // 203.0.113.1 in hex
  });

  it('returns null for addresses in no range', () => {
    expect(table.lookup('198.51.99.255')).toBeNull();
    expect(table.lookup('203.0.114.0')).toBeNull();
    expect(table.lookup('0.0.0.0')).toBeNull();
    expect(table.lookup('2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBeNull();
    expect(table.lookup('2001:db9::')).toBeNull();
    expect(table.lookup('::')).toBeNull();
  });

  it('refuses text that is not an IP address', () => {
    expect(() => table.lookup('example.com')).toThrow('not an IP address');
  });

  it('loads an empty table', () => {
    expect(IpRangeTable.load(write('empty.csv', 'start,end,country,asn,organisation\r\n')).lookup('1.2.3.4')).toBeNull();
  });

  it('reads CRLF line ends, a byte-order mark and quoted names with quotes in them', () => {
    const crlf = IpRangeTable.load(
      write('crlf.csv', '\uFEFFstart,end,country,asn,organisation\r\n1.2.3.0,1.2.3.255,DE,1,"The ""Best"", Hosting"\r\n2001:db8::,2001:db8::ff,us,2,Plain\r\n'),
    );
    expect(crlf.lookup('1.2.3.4')).toEqual({ country: 'DE', asn: 1, organisation: 'The "Best", Hosting' });
    expect(crlf.lookup('2001:db8::1')).toEqual({ country: 'US', asn: 2, organisation: 'Plain' });
  });

  it.each([
    ['a bad address', '1.2.3.0,1.2.3.256,DE,1,x', 'line 3: end "1.2.3.256" is not an IP address'],
    ['a missing field', '1.2.3.0,1.2.3.255,DE,1', 'line 3: expected 5 fields'],
    ['mixed IP versions', '1.2.3.0,2001:db8::1,DE,1,x', 'line 3: start and end are not of the same IP version'],
    ['start after end', '1.2.3.9,1.2.3.0,DE,1,x', 'line 3: start is after end'],
    ['a bad country', '1.2.3.0,1.2.3.255,DEU,1,x', 'line 3: country "DEU" is not an ISO 3166-1 alpha-2 code'],
    ['a bad asn', '1.2.3.0,1.2.3.255,DE,AS1,x', 'line 3: asn "AS1" is not an AS number'],
    ['an open quote', '1.2.3.0,1.2.3.255,DE,1,"x', 'line 3: unterminated quote'],
    ['overlapping ranges', '1.2.3.0,1.2.3.255,DE,1,x\n1.2.3.255,1.2.4.0,DE,1,x', 'line 4: range overlaps the one on line 3'],
  ])('names the file and line of %s', (_, row, message) => {
    const path = write('bad.csv', `start,end,country,asn,organisation\n# comment\n${row}\n`);
    expect(() => IpRangeTable.load(path)).toThrow(`IP range table ${path}, ${message}`);
  });

  it('requires the header', () => {
    const path = write('headless.csv', '1.2.3.0,1.2.3.255,DE,1,x\n');
    expect(() => IpRangeTable.load(path)).toThrow(`IP range table ${path}, line 1: expected the header`);
  });

  it('loads and searches a large table written out of order', () => {
    // 200,000 /24 ranges of IPv4 and 60,000 IPv6 ranges, written out of order.
    const lines = ['start,end,country,asn,organisation'];
    for (let i = 199_999; i >= 0; i--)
      lines.push(`${(i >> 16) + 1}.${(i >> 8) & 255}.${i & 255}.0,${(i >> 16) + 1}.${(i >> 8) & 255}.${i & 255}.255,NL,${i},Org ${i % 100}`);
    for (let i = 0; i < 60_000; i++) lines.push(`2001:db8:${i.toString(16)}::,2001:db8:${i.toString(16)}:ffff:ffff:ffff:ffff:ffff,US,${i},`);
    const path = write('big.csv', lines.join('\n'));
    const big = IpRangeTable.load(path);
    // Every range is found whatever the order it was written in (speed is not a unit test's to judge).
    for (let i = 0; i < 1_000; i++) expect(big.lookup(`2.${i & 255}.${(i * 7) & 255}.9`)?.asn).toBe((1 << 16) + ((i & 255) << 8) + ((i * 7) & 255));
    expect(big.lookup('1.0.0.1')?.asn).toBe(0);
    expect(big.lookup('4.13.63.200')?.asn).toBe((3 << 16) + (13 << 8) + 63);
    expect(big.lookup('2001:db8:beef::1')?.asn).toBe(0xbeef);
  });
});
