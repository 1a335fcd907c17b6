import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { LoopbackDnsServer } from '../../../../test/support/dns-server';
import { REMOVAL_CHECK_USER_AGENT, RemovalChecker } from './removal-checker';

/** What the loopback web server saw of each request. */
interface Seen {
  method: string;
  host: string | undefined;
  path: string;
  userAgent: string | undefined;
  /** Set when the response ended: whether all of it had been written, i.e. the client let it finish. */
  bodyFinished?: boolean;
}

// 8 MiB: far more than the socket buffers hold, so a client that does not read cannot let it finish.
const BIG_BODY_CHUNK = Buffer.alloc(64 * 1024, 'x');
const BIG_BODY_CHUNKS = 128;

/** HEAD and GET handlers by path; GET always streams a large body the client must never take. */
function handle(req: IncomingMessage, res: ServerResponse, seen: Seen[], port: () => number): void {
  const otherPort = port() === 6379 ? 6380 : 6379;
  const entry: Seen = { method: req.method!, host: req.headers.host, path: req.url!, userAgent: req.headers['user-agent'] };
  seen.push(entry);
  res.on('close', () => (entry.bodyFinished = res.writableFinished));
  const path = req.url!;
  const status = (code: number, headers: Record<string, string> = {}): void => {
    res.writeHead(code, { 'content-type': 'text/plain', ...headers });
    if (req.method === 'HEAD') res.end();
    else streamBody(res);
  };
  if (path === '/online') return status(200);
  if (path === '/gone') return status(404);
  if (path === '/gone-for-good') return status(410);
  if (path === '/login') return status(403);
  if (path === '/broken') return status(503);
  if (path === '/no-head') return req.method === 'HEAD' ? status(405, { allow: 'GET' }) : status(200);
  if (path === '/no-head-gone') return req.method === 'HEAD' ? status(405) : status(404);
  if (path === '/elsewhere') return status(302, { location: 'http://other.removal.test/online' });
  if (path === '/same-host') return status(301, { location: '/hop2' });
  if (path === '/hop2') return status(302, { location: `http://ok.removal.test:${port()}/gone` });
  if (path === '/loop') return status(302, { location: '/loop' });
  if (path === '/to-home') return status(302, { location: '/online' });
  // The same host, another service on it (:22, :6379, ...), or another scheme: another origin.
  if (path === '/other-port') return status(302, { location: `http://ok.removal.test:${otherPort}/online` });
  if (path === '/other-scheme') return status(302, { location: `https://ok.removal.test:${port()}/online` });
  if (path === '/hang') return; // never answers
  status(404);
}

function streamBody(res: ServerResponse): void {
  let sent = 0;
  const more = () => {
    while (sent < BIG_BODY_CHUNKS) {
      sent++;
      if (!res.write(BIG_BODY_CHUNK)) return void res.once('drain', more);
    }
    res.end();
  };
  more();
}

describe('RemovalChecker', () => {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let web: Server;
  let port: number;
  let dns: LoopbackDnsServer;
  let checker: RemovalChecker;

  beforeAll(async () => {
    web = createServer((req, res) => handle(req, res, seen, () => port));
    web.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    port = (web.address() as AddressInfo).port;
    dns = new LoopbackDnsServer({
      'ok.removal.test': { A: ['127.0.0.1'] },
      'other.removal.test': { A: ['127.0.0.1'] },
      // A public-looking name whose DNS points at loopback: exactly what the check must refuse.
      'rebind.example.net': { A: ['127.0.0.1'] },
      // One public address among private ones is refused as well (never connected: the test stays offline).
      'mixed.example.net': { A: ['9.9.9.9', '10.0.0.1'] },
      'broken-dns.example.net': 'SERVFAIL',
    });
    const server = await dns.start();
    checker = new RemovalChecker({ dnsServers: [server], dnsTimeoutMs: 500, allowHosts: ['ok.removal.test', 'other.removal.test'], timeoutMs: 1500 });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await dns.stop();
  });

  beforeEach(() => (seen.length = 0));

  const url = (path: string, host = 'ok.removal.test') => `http://${host}:${port}${path}`;
  /** The server's view once every response it started has closed. */
  const settled = async () => {
    for (let i = 0; i < 200 && seen.some((s) => s.bodyFinished === undefined); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return seen;
  };

  it('asks with HEAD, to the checked address, with the host name, a neutral user agent and nothing else', async () => {
    expect(await checker.check(url('/online'))).toEqual({ outcome: 'online', httpStatus: 200, redirectFollowed: false, reason: 'answered' });
    expect(await settled()).toEqual([{ method: 'HEAD', host: `ok.removal.test:${port}`, path: '/online', userAgent: REMOVAL_CHECK_USER_AGENT, bodyFinished: true }]);
  });

  it('finds 404 and 410 gone, a login wall online, a server error unreachable', async () => {
    expect(await checker.check(url('/gone'))).toMatchObject({ outcome: 'gone', httpStatus: 404 });
    expect(await checker.check(url('/gone-for-good'))).toMatchObject({ outcome: 'gone', httpStatus: 410 });
    expect(await checker.check(url('/login'))).toMatchObject({ outcome: 'online', httpStatus: 403 });
    expect(await checker.check(url('/broken'))).toMatchObject({ outcome: 'unreachable', httpStatus: 503 });
    expect((await settled()).map((s) => s.method)).toEqual(['HEAD', 'HEAD', 'HEAD', 'HEAD']);
  });

  it('falls back to GET when HEAD is refused, and cuts the connection at the headers without reading the body', async () => {
    expect(await checker.check(url('/no-head'))).toMatchObject({ outcome: 'online', httpStatus: 200 });
    expect(await checker.check(url('/no-head-gone'))).toMatchObject({ outcome: 'gone', httpStatus: 404 });
    const requests = await settled();
    expect(requests.map((s) => s.method)).toEqual(['HEAD', 'GET', 'HEAD', 'GET']);
    // The server could not finish writing either 8 MiB body: the client closed the connection first.
    expect(requests.filter((s) => s.method === 'GET').map((s) => s.bodyFinished)).toEqual([false, false]);
  });

  it('follows same-origin redirects (at most three) but never one to another host', async () => {
    expect(await checker.check(url('/same-host'))).toEqual({ outcome: 'gone', httpStatus: 404, redirectFollowed: true, reason: 'answered' });
    expect((await settled()).map((s) => s.path)).toEqual(['/same-host', '/hop2', '/gone']);
    seen.length = 0;

    expect(await checker.check(url('/elsewhere'))).toEqual({ outcome: 'redirected', httpStatus: 302, redirectFollowed: false, reason: 'other_origin' });
    expect((await settled()).map((s) => s.path)).toEqual(['/elsewhere']);
    seen.length = 0;

    // An answer after a redirect says so: the monitor never reopens a case for it (a home page, a "removed" page).
    expect(await checker.check(url('/to-home'))).toEqual({ outcome: 'online', httpStatus: 200, redirectFollowed: true, reason: 'answered' });
    expect((await settled()).map((s) => s.path)).toEqual(['/to-home', '/online']);
    seen.length = 0;

    expect(await checker.check(url('/loop'))).toEqual({ outcome: 'redirected', httpStatus: 302, redirectFollowed: true, reason: 'redirect_limit' });
    expect((await settled()).length).toBe(4);
  });

  it('never follows a redirect to another port or scheme of the same host', async () => {
    expect(await checker.check(url('/other-port'))).toEqual({ outcome: 'redirected', httpStatus: 302, redirectFollowed: false, reason: 'other_origin' });
    expect(await checker.check(url('/other-scheme'))).toEqual({ outcome: 'redirected', httpStatus: 302, redirectFollowed: false, reason: 'other_origin' });
    expect((await settled()).map((s) => s.path)).toEqual(['/other-port', '/other-scheme']);
  });

  it('finds a name that does not exist gone, and a DNS failure unreachable', async () => {
    expect(await checker.check('http://nothing-here.example.net/x')).toEqual({ outcome: 'gone', httpStatus: null, redirectFollowed: false, reason: 'nxdomain' });
    expect(await checker.check('http://broken-dns.example.net/x')).toEqual({ outcome: 'unreachable', httpStatus: null, redirectFollowed: false, reason: 'dns_failure' });
  });

  it('refuses loopback, private and reserved addresses, by name or by what the name resolves to, without connecting', async () => {
    expect(await checker.check(url('/online', 'rebind.example.net'))).toEqual({ outcome: 'refused', httpStatus: null, redirectFollowed: false, reason: 'not_public' });
    expect(await checker.check(url('/online', 'mixed.example.net'))).toEqual({ outcome: 'refused', httpStatus: null, redirectFollowed: false, reason: 'not_public' });
    expect(await checker.check(url('/online', '127.0.0.1'))).toEqual({ outcome: 'refused', httpStatus: null, redirectFollowed: false, reason: 'not_public' });
    expect(await checker.check(url('/online', '[::1]'))).toEqual({ outcome: 'refused', httpStatus: null, redirectFollowed: false, reason: 'not_public' });
    expect(await checker.check(url('/online', 'localhost'))).toEqual({ outcome: 'refused', httpStatus: null, redirectFollowed: false, reason: 'not_public' });
    expect(await checker.check('ftp://ok.removal.test/x')).toEqual({ outcome: 'refused', httpStatus: null, redirectFollowed: false, reason: 'scheme' });
    expect(await checker.check('http://vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd.onion/')).toEqual({
      outcome: 'refused',
      httpStatus: null,
      redirectFollowed: false,
      reason: 'onion',
    });
    expect(seen).toEqual([]);
  });

  it('counts a connection refused or a server that never answers as unreachable', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const free = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(free));
      });
    });
    expect(await checker.check(`http://ok.removal.test:${closed}/online`)).toEqual({
      outcome: 'unreachable',
      httpStatus: null,
      redirectFollowed: false,
      reason: 'connection',
    });
    expect(await checker.check(url('/hang'))).toEqual({ outcome: 'unreachable', httpStatus: null, redirectFollowed: false, reason: 'timeout' });
  });
});
