import { dedupKey } from '@hotline/domain';
import { SqlRunner } from '@hotline/persistence';
import { createRedis, deleteKeysWithPrefix } from '@hotline/queue';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { casesVerifyEvents } from '../../apps/cli/src/commands/cases-verify-events';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { createScratchDatabase } from '../support/database';
import { LoopbackDnsServer, Zone } from '../support/dns-server';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
/** The hotline's test site: allowed through REMOVAL_CHECK_ALLOW although it resolves to loopback. */
const SITE = `site-${tag}.removal.test`;
/** Where one page of the site redirects: allowed too, so only the other-host rule stops the check. */
const OTHER = `other-${tag}.removal.test`;
/** A public-looking name whose DNS answer is loopback and that is not allowed: never to be connected to. */
const REBIND = `rebind-${tag}.example.net`;
/** A name that no longer exists. */
const VANISHED = `vanished-${tag}.example.net`;

// Every GET is answered with 8 MiB, far more than socket buffers hold: a client that reads only
// the headers leaves it unfinished.
const BODY_CHUNK = Buffer.alloc(64 * 1024, 'x');
const BODY_CHUNKS = 128;

interface Seen {
  method: string;
  host: string;
  path: string;
  /** On close: whether the whole response was written (only possible if the client read it). */
  finished?: boolean;
}

/**
 * Removal monitoring against a real web server and a real DNS server on loopback, with the worker
 * configured as an operator would (REMOVAL_CHECK_ENABLED, a short REMOVAL_CHECK_INTERVAL, the test
 * hosts in REMOVAL_CHECK_ALLOW, DNS_SERVERS). Gone content is removed through the one removal
 * path, content the monitor saw gone that the URL itself serves again reopens its case (a redirect
 * to a home page, or a 200 for a case removed by staff, does not), nothing else changes a status,
 * the refused host is never contacted and no response body is ever read.
 */
describe('removal monitor', () => {
  const prefix = `{hotline-removal-${tag}}`;
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let web: Server;
  let port: number;
  let dns: LoopbackDnsServer;
  let dnsServer: string;
  let worker: NestFastifyApplication | undefined;
  let db: Client;
  let rows: SqlRunner;
  /** Second act: the content taken down comes back, or the host sends its URL to the home page. */
  let returned = false;

  beforeAll(async () => {
    web = createServer((req, res) => answer(req, res));
    web.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    port = (web.address() as AddressInfo).port;
    const zone: Zone = {
      [SITE]: { A: ['127.0.0.1'] },
      [OTHER]: { A: ['127.0.0.1'] },
      [REBIND]: { A: ['127.0.0.1'] },
      [VANISHED]: 'NXDOMAIN',
    };
    // Any other name fails to resolve (not NXDOMAIN): nothing else is ever found gone.
    dns = new LoopbackDnsServer(new Proxy(zone, { get: (target, name: string) => target[name] ?? 'SERVFAIL' }));
    dnsServer = await dns.start();
    // Its own database: the monitor checks every confirmed case it can see, and no other file's cases belong to it.
    scratch = await createScratchDatabase('removal');
    db = new Client({ connectionString: scratch.url });
    await db.connect();
    rows = { query: async (sql: string, parameters?: unknown[]) => (await db.query(sql, parameters)).rows };
  });

  afterAll(async () => {
    await worker?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await dns?.stop();
    await db?.end();
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'producer');
    await new Promise((resolve) => redis.once('ready', resolve));
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await scratch?.drop();
  });

  /** The test site: HEAD and GET by path; GET streams the large body. */
  function answer(req: IncomingMessage, res: ServerResponse): void {
    const entry: Seen = { method: req.method!, host: req.headers.host ?? '', path: req.url! };
    seen.push(entry);
    res.on('close', () => (entry.finished = res.writableFinished));
    const reply = (status: number, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/html', ...headers });
      if (req.method === 'HEAD') return void res.end();
      let sent = 0;
      const more = (): void => {
        while (sent < BODY_CHUNKS) {
          sent++;
          if (!res.write(BODY_CHUNK)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    };
    switch (req.url) {
      case '/still-there':
      case '/staff-removed':
      case '/home':
        return reply(200);
      case '/back-again':
        return reply(returned ? 200 : 404);
      case '/sent-home':
        return returned ? reply(302, { location: '/home' }) : reply(404);
      case '/no-head':
        return req.method === 'HEAD' ? reply(405, { allow: 'GET' }) : reply(200);
      case '/taken-down':
        return reply(404);
      case '/gone-for-good':
        return reply(410);
      case '/moved-away':
        return reply(302, { location: `http://${OTHER}:${port}/still-there` });
      default:
        return reply(404);
    }
  }

  async function fixtureCase(status: string, url: string, removedAt: string | null = null): Promise<string> {
    const id = randomUUID();
    const host = new URL(url).hostname;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, first_reported_at, last_reported_at, removed_at, verdict, hosting_status)
       VALUES ($1, $2, $3, $4, $5, now() - interval '3 days', now() - interval '3 days', $6, 'baseline', 'resolved')`,
      [id, dedupKey(url), url, host, status, removedAt],
    );
    await recordFixtureCreated(rows, id);
    return id;
  }

  const caseRow = async (id: string) => (await db.query(`SELECT * FROM "case" WHERE id = $1`, [id])).rows[0];
  const checkOf = async (id: string) => (await db.query(`SELECT * FROM removal_check WHERE case_id = $1`, [id])).rows[0];
  const statusEvents = async (id: string) =>
    (await db.query(`SELECT from_status, to_status, detail FROM case_event WHERE case_id = $1 AND to_status IS NOT NULL ORDER BY id`, [id])).rows;

  it('removes what is gone, reopens what came back, and leaves everything else as it was', async () => {
    const site = (path: string) => `http://${SITE}:${port}${path}`;
    const ids = {
      online: await fixtureCase('actioned', site('/still-there')),
      noHead: await fixtureCase('actioned', site('/no-head')),
      notFound: await fixtureCase('actioned', site('/taken-down')),
      goneForGood: await fixtureCase('confirmed', site('/gone-for-good')),
      vanished: await fixtureCase('actioned', `http://${VANISHED}:${port}/anything`),
      redirected: await fixtureCase('actioned', site('/moved-away')),
      refused: await fixtureCase('actioned', `http://${REBIND}:${port}/still-there`),
      // Found gone by the monitor, then served again by the URL itself: reopened.
      back: await fixtureCase('actioned', site('/back-again')),
      // Found gone, then redirected (same host) to a home page answering 200: stays removed.
      sentHome: await fixtureCase('actioned', site('/sent-home')),
      // Recorded removed by staff, never seen gone by the monitor: its 200 reopens nothing.
      staffRemoved: await fixtureCase('removed', site('/staff-removed'), new Date(Date.now() - 86_400_000).toISOString()),
      // Removed long ago: no longer watched, though it answers 200.
      longGone: await fixtureCase('closed', site('/still-there?old'), new Date(Date.now() - 100 * 86_400_000).toISOString()),
      // Not confirmed content: never checked.
      queued: await fixtureCase('queued', site('/still-there?queued')),
    };

    worker = await createWorkerApp(
      testConfig({
        DATABASE_URL: scratch.url,
        REDIS_PREFIX: prefix,
        REMOVAL_CHECK_ENABLED: 'true',
        REMOVAL_CHECK_INTERVAL: '1m',
        REMOVAL_CHECK_ALLOW: `${SITE},${OTHER}`,
        DNS_SERVERS: dnsServer,
        DNS_TIMEOUT_MS: '500',
        OUTBOX_POLL_MS: '20',
      }),
    );

    const watched = Object.entries(ids).filter(([name]) => name !== 'longGone' && name !== 'queued');
    await waitFor(
      async () => {
        const { rows: checked } = await db.query(`SELECT count(*)::int AS n FROM removal_check WHERE case_id = ANY($1::uuid[])`, [watched.map(([, id]) => id)]);
        return checked[0].n === watched.length ? true : undefined;
      },
      { what: 'every watched case checked' },
    );
    // Outcomes are written first, status changes follow in transactions of their own.
    const settledStatus = async (id: string, status: string) => ((await caseRow(id)).status === status ? true : undefined);
    const gone = ['notFound', 'goneForGood', 'vanished', 'back', 'sentHome'] as const;
    for (const name of gone) await waitFor(() => settledStatus(ids[name], 'removed'), { what: `${name} removed` });

    // What each check found: the outcome and status code only.
    const outcomes: Record<string, Record<string, any>> = {};
    for (const [name, id] of watched) outcomes[name] = await checkOf(id);
    const summary = (of: Record<string, Record<string, any>>) =>
      Object.fromEntries(Object.entries(of).map(([name, check]) => [name, `${check.outcome} ${check.http_status}`]));
    expect(summary(outcomes)).toEqual({
      online: 'online 200',
      noHead: 'online 200',
      notFound: 'gone 404',
      goneForGood: 'gone 410',
      vanished: 'gone null',
      redirected: 'redirected 302',
      refused: 'refused null',
      back: 'gone 404',
      sentHome: 'gone 404',
      staffRemoved: 'online 200',
    });
    // The staff's removal, not seen by the monitor: a 200 is no evidence the content came back.
    expect((await caseRow(ids.staffRemoved)).status).toBe('removed');

    // Second act: one URL serves its content again, the other sends it to the home page (200).
    // Their next checks are made due now rather than one interval on.
    returned = true;
    const again = [ids.back, ids.sentHome, ids.staffRemoved];
    await db.query(`UPDATE removal_check SET next_check_at = now() WHERE case_id = ANY($1::uuid[])`, [again]);
    await waitFor(() => settledStatus(ids.back, 'queued'), { what: 'the returned content reopened' });
    await waitFor(
      async () => {
        const { rows: checked } = await db.query(`SELECT count(*)::int AS n FROM removal_check WHERE case_id = ANY($1::uuid[]) AND checks = 2`, [again]);
        return checked[0].n === again.length ? true : undefined;
      },
      { what: 'the second checks' },
    );
    const reopened = await caseRow(ids.back);
    const second = { back: await checkOf(ids.back), sentHome: await checkOf(ids.sentHome), staffRemoved: await checkOf(ids.staffRemoved) };
    expect(summary(second)).toEqual({ back: 'online 200', sentHome: 'online 200', staffRemoved: 'online 200' });
    // A redirect to a 200 after the content was gone, or a 200 for a removal the monitor never saw: no reopening.
    expect((await caseRow(ids.sentHome)).status).toBe('removed');
    expect((await caseRow(ids.staffRemoved)).status).toBe('removed');
    expect((await statusEvents(ids.sentHome)).map((e) => `${e.from_status ?? '-'}>${e.to_status}`)).toEqual(['->actioned', 'actioned>removed']);
    expect(await statusEvents(ids.staffRemoved)).toHaveLength(1);
    expect(Object.keys((await db.query(`SELECT * FROM removal_check LIMIT 1`)).rows[0]).sort()).toEqual([
      'case_id',
      'checked_at',
      'checks',
      'http_status',
      'next_check_at',
      'outcome',
    ]);
    expect(await checkOf(ids.longGone)).toBeUndefined();
    expect(await checkOf(ids.queued)).toBeUndefined();
    // The next check is one interval after this one.
    expect(new Date(outcomes.online.next_check_at).getTime() - new Date(outcomes.online.checked_at).getTime()).toBe(60_000);

    // Gone: removed at the time of the check, through the one removal path (a confirmed case is actioned first).
    for (const name of gone.filter((n) => n !== 'back')) {
      const row = await caseRow(ids[name]);
      expect(row.status).toBe('removed');
      expect(row.removed_at.toISOString()).toBe(outcomes[name].checked_at.toISOString());
      expect(row.queue).toBeNull();
    }
    const removedEvents = await statusEvents(ids.notFound);
    expect(removedEvents.map((e) => `${e.from_status ?? '-'}>${e.to_status}`)).toEqual(['->actioned', 'actioned>removed']);
    expect(removedEvents[1].detail).toEqual({
      step: 'removal',
      by: 'removal_monitor',
      outcome: 'gone',
      httpStatus: 404,
      removedAt: outcomes.notFound.checked_at.toISOString(),
    });
    expect((await statusEvents(ids.goneForGood)).map((e) => `${e.from_status ?? '-'}>${e.to_status}`)).toEqual(['->confirmed', 'confirmed>actioned', 'actioned>removed']);
    expect((await statusEvents(ids.vanished))[1].detail).toMatchObject({ by: 'removal_monitor', outcome: 'gone', httpStatus: null });

    // Still online, redirected elsewhere, refused: nothing changes.
    for (const name of ['online', 'noHead', 'redirected', 'refused'] as const) {
      expect((await caseRow(ids[name])).status).toBe('actioned');
      expect(await statusEvents(ids[name])).toHaveLength(1);
    }

    // Back after removal: reappeared, then queued again, counted, traced anew, placed in a queue.
    expect(reopened.reappeared_count).toBe(1);
    expect(reopened.queue).not.toBeNull();
    const backEvents = await statusEvents(ids.back);
    expect(backEvents.map((e) => `${e.from_status ?? '-'}>${e.to_status}`)).toEqual(['->actioned', 'actioned>removed', 'removed>reappeared', 'reappeared>queued']);
    expect(backEvents[2].detail).toMatchObject({ reason: 'online again after removal', by: 'removal_monitor', httpStatus: 200 });
    await waitFor(
      async () => {
        const { rows: traced } = await db.query(`SELECT 1 FROM case_event WHERE case_id = $1 AND kind = 'hosting_resolved'`, [ids.back]);
        return traced.length === 1 ? true : undefined;
      },
      { what: 'the reopened case traced again' },
    );

    // The web server's view: HEAD everywhere, GET only where HEAD was refused, and no body ever read.
    const settled = await waitFor(async () => (seen.every((s) => s.finished !== undefined) ? seen : undefined), { what: 'every response closed' });
    const asked = settled.map((s) => `${s.method} ${s.host} ${s.path}`);
    expect(asked.filter((s) => s.startsWith('GET'))).toEqual([`GET ${SITE}:${port} /no-head`]);
    expect(settled.find((s) => s.method === 'GET')!.finished).toBe(false);
    // Not followed to the other host, and the refused host never contacted.
    expect(asked).toContain(`HEAD ${SITE}:${port} /moved-away`);
    expect(asked.filter((s) => s.includes('/sent-home') || s.includes('/home'))).toEqual([
      `HEAD ${SITE}:${port} /sent-home`,
      `HEAD ${SITE}:${port} /sent-home`,
      `HEAD ${SITE}:${port} /home`,
    ]);
    expect(asked.some((s) => s.includes(OTHER))).toBe(false);
    expect(asked.some((s) => s.includes(REBIND))).toBe(false);
    expect(asked.some((s) => s.includes('?old') || s.includes('?queued'))).toBe(false);

    const metrics = (await request(worker.getHttpServer()).get('/metrics')).text;
    expect(metrics).toMatch(/^hotline_removal_detected_total\{app="worker"\} 5$/m);
    expect(metrics).toMatch(/^hotline_reappearance_detected_total\{app="worker"\} 1$/m);
    expect(metrics).toMatch(/^hotline_removal_checks_total\{outcome="gone",app="worker"\} 5$/m);
    expect(metrics).toMatch(/^hotline_removal_checks_total\{outcome="refused",app="worker"\} 1$/m);
    // First act: online, noHead, staffRemoved; second: back, sentHome, staffRemoved.
    expect(metrics).toMatch(/^hotline_removal_checks_total\{outcome="online",app="worker"\} 6$/m);

    // Every status change has its event; the removals are audited as the system's.
    expect(await casesVerifyEvents(rows)).toEqual({ ok: true, lines: `ok ${Object.keys(ids).length} cases\n` });
    const { rows: audited } = await db.query(`SELECT action, actor_role, target_id FROM audit_event WHERE action IN ('case.removed', 'case.reappeared') ORDER BY seq`);
    expect(audited.map((a) => `${a.action} ${a.actor_role}`).sort()).toEqual([
      'case.reappeared system',
      'case.removed system',
      'case.removed system',
      'case.removed system',
      'case.removed system',
      'case.removed system',
    ]);
  });
});
