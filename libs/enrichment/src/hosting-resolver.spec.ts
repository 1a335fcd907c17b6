import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoopbackDnsServer, Zone } from '../../../test/support/dns-server';
import { HostingLookupError } from './hosting-lookup-error';
import { HostingResolver, HostingTrace } from './hosting-resolver';
import { IpRangeTable } from './ip-range-table';

const ONION = 'duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion';

const ZONE: Zone = {
  'domestic.example.test': { A: ['198.51.100.7', '198.51.100.8'] },
  'foreign.example.test': { AAAA: ['2001:db8:1::7'] },
  'both.example.test': { AAAA: ['2001:db8:1::9'], A: ['203.0.113.9'] },
  'www.shop.test': { CNAME: 'shop.cdn.test' },
  'shop.cdn.test': { CNAME: 'edge7.cdn.test' },
  'edge7.cdn.test': { A: ['203.0.113.50'] },
  'loop-a.test': { CNAME: 'loop-b.test' },
  'loop-b.test': { CNAME: 'loop-a.test' },
  'dangling.test': { CNAME: 'missing.test' },
  'empty.test': {},
  'unlisted.example.test': { A: ['192.0.2.1'] },
  'missing.test': 'NXDOMAIN',
  'silent.test': 'SILENT',
  'broken.test': 'SERVFAIL',
  'closed.test': 'REFUSED',
};

const GEO_TABLE = `start,end,country,asn,organisation
198.51.100.0,198.51.100.255,NL,64500,Example Hosting NL
203.0.113.0,203.0.113.255,DE,64501,"Example CDN, GmbH"
2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,US,64502,Example Cloud US
`;

describe('HostingResolver', () => {
  const server = new LoopbackDnsServer(ZONE);
  let dir: string;
  let geo: IpRangeTable;
  let dnsServer: string;
  let resolver: HostingResolver;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hosting-resolver-'));
    writeFileSync(join(dir, 'geo.csv'), GEO_TABLE);
    geo = IpRangeTable.load(join(dir, 'geo.csv'));
    dnsServer = await server.start();
    resolver = new HostingResolver({ servers: [dnsServer], timeoutMs: 300, tries: 1, geo });
  });

  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.questions.length = 0;
  });

  /** The trace without its time, which is checked once on its own. */
  async function traceOf(host: string): Promise<Omit<HostingTrace, 'resolvedAt'>> {
    const { resolvedAt, ...trace } = await resolver.resolve(host);
    expect(new Date(resolvedAt).toISOString()).toBe(resolvedAt);
    return trace;
  }

  async function failureOf(host: string, by = resolver): Promise<HostingLookupError> {
    const error = await by.resolve(host).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(HostingLookupError);
    return error as HostingLookupError;
  }

  it('traces a domestic host with A records', async () => {
    expect(await traceOf('Domestic.Example.TEST')).toEqual({
      host: 'domestic.example.test',
      onion: false,
      cnames: [],
      addresses: ['198.51.100.7', '198.51.100.8'],
      ip: '198.51.100.7',
      country: 'NL',
      asn: 64500,
      organisation: 'Example Hosting NL',
    });
    expect(server.questions.sort()).toEqual(['A domestic.example.test', 'AAAA domestic.example.test', 'CNAME domestic.example.test']);
  });

  it('traces a foreign host with only an AAAA record (no A is not a failure)', async () => {
    expect(await traceOf('foreign.example.test')).toEqual({
      host: 'foreign.example.test',
      onion: false,
      cnames: [],
      addresses: ['2001:db8:1::7'],
      ip: '2001:db8:1::7',
      country: 'US',
      asn: 64502,
      organisation: 'Example Cloud US',
    });
  });

  it('lists A before AAAA and takes the IPv4 address', async () => {
    const trace = await traceOf('both.example.test');
    expect(trace.addresses).toEqual(['203.0.113.9', '2001:db8:1::9']);
    expect(trace).toMatchObject({ ip: '203.0.113.9', country: 'DE' });
  });

  it('follows a CNAME chain and records it', async () => {
    expect(await traceOf('www.shop.test')).toEqual({
      host: 'www.shop.test',
      onion: false,
      cnames: ['shop.cdn.test', 'edge7.cdn.test'],
      addresses: ['203.0.113.50'],
      ip: '203.0.113.50',
      country: 'DE',
      asn: 64501,
      organisation: 'Example CDN, GmbH',
    });
    // Addresses are asked for the end of the chain only.
    expect(server.questions.filter((question) => !question.startsWith('CNAME'))).toEqual(expect.arrayContaining(['A edge7.cdn.test', 'AAAA edge7.cdn.test']));
    expect(server.questions).toHaveLength(5);
  });

  it('leaves country and ASN null for an address in no range, or without a table', async () => {
    expect(await traceOf('unlisted.example.test')).toMatchObject({ ip: '192.0.2.1', country: null, asn: null, organisation: null });
    const withoutGeo = new HostingResolver({ servers: [dnsServer], timeoutMs: 300, tries: 1, geo: null });
    expect(await withoutGeo.resolve('domestic.example.test')).toMatchObject({ ip: '198.51.100.7', country: null, asn: null });
  });

  it('flags an onion host without asking DNS', async () => {
    expect(await traceOf(`forum.${ONION}`)).toEqual({
      host: `forum.${ONION}`,
      onion: true,
      cnames: [],
      addresses: [],
      ip: null,
      country: null,
      asn: null,
      organisation: null,
    });
    expect(server.questions).toEqual([]);
  });

  it('looks IP literals up in the table without asking DNS', async () => {
    expect(await traceOf('198.51.100.200')).toEqual({
      host: '198.51.100.200',
      onion: false,
      cnames: [],
      addresses: ['198.51.100.200'],
      ip: '198.51.100.200',
      country: 'NL',
      asn: 64500,
      organisation: 'Example Hosting NL',
    });
    expect(await traceOf('[2001:DB8::5]')).toMatchObject({ host: '[2001:db8::5]', ip: '2001:db8::5', country: 'US' });
    expect(await traceOf('[::ffff:203.0.113.1]')).toMatchObject({ ip: '::ffff:203.0.113.1', country: 'DE' });
    expect(server.questions).toEqual([]);
  });

  it.each([
    ['missing.test', 'nxdomain', false],
    ['dangling.test', 'nxdomain', false],
    ['empty.test', 'no_address', false],
    ['loop-a.test', 'cname_loop', false],
    ['silent.test', 'timeout', true],
    ['broken.test', 'servfail', true],
    ['closed.test', 'refused', true],
  ])('fails %s with %s (transient: %s)', async (host, reason, transient) => {
    const error = await failureOf(host);
    expect(error).toMatchObject({ host, reason, transient });
    expect(error.message).toContain(reason);
  });

  it('gives up on a CNAME chain longer than maxCnameDepth', async () => {
    const shallow = new HostingResolver({ servers: [dnsServer], timeoutMs: 300, tries: 1, geo, maxCnameDepth: 1 });
    const error = await failureOf('www.shop.test', shallow);
    expect(error).toMatchObject({ reason: 'cname_loop', transient: false });
    expect(error.message).toContain('more than 1 CNAME');
  });

  it('reports a DNS server that is not listening as refused or timeout, both transient', async () => {
    // A UDP port that was just free: nothing answers there.
    const spare = createSocket('udp4');
    await new Promise<void>((resolve) => spare.bind(0, '127.0.0.1', resolve));
    const port = spare.address().port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));

    const nowhere = new HostingResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 300, tries: 1, geo });
    const error = await failureOf('domestic.example.test', nowhere);
    // Linux answers with ICMP port unreachable (ECONNREFUSED); elsewhere the query may time out.
    expect(['refused', 'timeout']).toContain(error.reason);
    expect(error.transient).toBe(true);
  });
});
