import { dedupKey } from '@hotline/domain';
import { PartnerDirectory, signRequest } from '@hotline/exchange';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { dataSourceOptions, runMigrations } from '../../libs/persistence/src/data-source';
import { testConfig } from '../support/config';
import { LoopbackDnsServer } from '../support/dns-server';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';
import { casesVerifyEvents } from '../../apps/cli/src/commands/cases-verify-events';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'A' };
/** Hosts the DNS server on loopback answers: one address in each hotline's country. */
const IN_DE = (name: string) => `${name}-${tag}.example.de`;
const IN_NL = (name: string) => `${name}-${tag}.example.nl`;

interface Hotline {
  name: string;
  country: string;
  databaseUrl: string;
  overrides: Record<string, string>;
  db: Client;
  intake: NestFastifyApplication;
  console: NestFastifyApplication;
  worker: NestFastifyApplication;
  port: number;
  analyst: SignedInStaff;
  seniors: SignedInStaff[];
  admin: SignedInStaff;
  /** Its partner record of the other hotline. */
  partnerId: string;
}

/**
 * Two complete hotlines on loopback, as INHOPE partners: A (the Netherlands) and B (Germany),
 * each with its own database, Redis prefix, keys and country, registered as each other's
 * partners. A case reported to A and hosted in Germany is confirmed in A, forwarded to B,
 * acknowledged, confirmed in B, removed, and A's case follows. Then: B down for a while, B's
 * analyst answering not_hosted_here (A re-routes), and a tampered or replayed message.
 */
describe('two hotlines exchanging cases', () => {
  let admin: Client;
  let dns: LoopbackDnsServer;
  let geoDir: string;
  let a: Hotline;
  let b: Hotline;

  async function startHotline(name: string, country: string, dnsServer: string, geo: string): Promise<Hotline> {
    const database = `${process.env.HOTLINE_TEST_DATABASE}_x${name}_${tag}`;
    const url = new URL(process.env.HOTLINE_TEST_ADMIN_URL!);
    url.pathname = `/${database}`;
    const databaseUrl = url.toString();
    await admin.query(`CREATE DATABASE ${database}`);
    const dataSource = await new DataSource(dataSourceOptions({ databaseUrl, databasePoolSize: 2 })).initialize();
    await runMigrations(dataSource);
    await dataSource.destroy();
    const overrides = {
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: `{hotline-x${name}-${tag}}`,
      HOTLINE_COUNTRY: country,
      FIELD_ENCRYPTION_KEYS: `k${name}:${randomBytes(32).toString('base64')}`,
      TOKEN_SIGNING_KEY: randomBytes(32).toString('base64'),
      DNS_SERVERS: dnsServer,
      DNS_TIMEOUT_MS: '300',
      GEO_IP_TABLE: geo,
      OUTBOX_POLL_MS: '20',
      EXCHANGE_BACKOFF: '300ms',
      EXCHANGE_ATTEMPTS: '10',
    };
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const hotline = { name, country, databaseUrl, overrides, db } as unknown as Hotline;
    hotline.intake = await createIntakeApp(testConfig(overrides));
    hotline.worker = await createWorkerApp(testConfig(overrides));
    hotline.console = await createConsoleApp(testConfig(overrides));
    await hotline.console.listen(0, '127.0.0.1');
    hotline.port = (hotline.console.getHttpServer().address() as { port: number }).port;
    hotline.analyst = await signIn(hotline.console, 'analyst');
    hotline.seniors = [await signIn(hotline.console, 'senior_analyst'), await signIn(hotline.console, 'senior_analyst')];
    hotline.admin = await signIn(hotline.console, 'admin');
    return hotline;
  }

  const post = (h: Hotline, path: string, staff: SignedInStaff, body: unknown = {}) =>
    request(h.console.getHttpServer())
      .post(path)
      .set('authorization', staff.bearer)
      .send(body as object);

  async function caseOf(h: Hotline, url: string, ready: (row: Record<string, any>) => boolean = () => true): Promise<Record<string, any>> {
    return waitFor(
      async () => {
        const { rows } = await h.db.query(`SELECT * FROM "case" WHERE dedup_key = $1`, [dedupKey(url)]);
        return rows[0] && ready(rows[0]) ? rows[0] : undefined;
      },
      { what: `${h.name}'s case of ${url}`, stallMs: 30_000 },
    );
  }

  /** Claim (the only waiting case of its queue), assess as baseline, and have a senior confirm it. */
  async function confirm(h: Hotline, caseRow: Record<string, any>): Promise<void> {
    const claimed = await post(h, `/api/v1/queues/${caseRow.queue}/claim`, h.analyst);
    expect(claimed.status).toBe(200);
    expect(claimed.body.id).toBe(caseRow.id);
    const assessed = await post(h, `/api/v1/cases/${caseRow.id}/assessment`, h.analyst, { verdict: 'baseline', classification: CLASSIFICATION });
    expect(assessed.status).toBe(200);
    const reviewed = await post(h, `/api/v1/cases/${caseRow.id}/review`, h.seniors[0], { decision: 'confirm', verdict: 'baseline', classification: CLASSIFICATION });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.status).toBe('confirmed');
  }

  async function report(h: Hotline, url: string): Promise<void> {
    const response = await request(h.intake.getHttpServer())
      .post('/api/v1/reports')
      .send({ urls: [url], contentType: 'images' });
    expect(response.status).toBe(201);
  }

  const actionsOf = async (h: Hotline, caseId: string) =>
    (await h.db.query(`SELECT kind, channel, status, partner_id, reason FROM action WHERE case_id = $1 ORDER BY created_at, id`, [caseId])).rows;

  const eventsOf = async (h: Hotline, caseId: string) =>
    (await h.db.query(`SELECT kind, from_status, to_status, detail, at FROM case_event WHERE case_id = $1 ORDER BY id`, [caseId])).rows;

  /** The report B filed for A's case (the forward), once it exists. */
  const inboundReports = async (caseIdInA: string) =>
    (await b.db.query(`SELECT id FROM report WHERE partner_id = $1 AND partner_reference = $2`, [b.partnerId, caseIdInA])).rows;

  beforeAll(async () => {
    admin = new Client({ connectionString: process.env.HOTLINE_TEST_ADMIN_URL });
    await admin.connect();
    dns = new LoopbackDnsServer({
      [IN_DE('shop')]: { A: ['203.0.113.9'] },
      [IN_DE('down')]: { A: ['203.0.113.10'] },
      [IN_DE('moved')]: { A: ['203.0.113.11'] },
      [IN_NL('home')]: { A: ['198.51.100.9'] },
    });
    const dnsServer = await dns.start();
    geoDir = mkdtempSync(join(tmpdir(), 'hotline-exchange-geo-'));
    const geo = join(geoDir, 'ranges.csv');
    writeFileSync(
      geo,
      ['start,end,country,asn,organisation', '198.51.100.0,198.51.100.255,NL,64500,NL Hosting', '203.0.113.0,203.0.113.255,DE,64501,DE Hosting'].join('\n'),
    );
    a = await startHotline('a', 'NL', dnsServer, geo);
    b = await startHotline('b', 'DE', dnsServer, geo);

    // Each registers the other: A first with a placeholder key, then B with A's real key for B,
    // then A installs B's key for A (as two hotlines would exchange keys out of band).
    const directoryA = a.console.get(PartnerDirectory);
    const directoryB = b.console.get(PartnerDirectory);
    const placeholder = (await import('@hotline/exchange')).generateExchangeKeyPair().publicKey;
    const bInA = await directoryA.add(
      { name: 'hotline-b', countries: ['DE'], baseUrl: `http://127.0.0.1:${b.port}`, theirPublicKey: placeholder },
      { id: null, role: 'cli' },
    );
    const aInB = await directoryB.add(
      { name: 'hotline-a', countries: ['NL'], baseUrl: `http://127.0.0.1:${a.port}`, theirPublicKey: bInA.ourPublicKey },
      { id: null, role: 'cli' },
    );
    await directoryA.setKey('hotline-b', aInB.ourPublicKey, { id: null, role: 'cli' });
    a.partnerId = bInA.id;
    b.partnerId = aInB.id;
  }, 120_000);

  afterAll(async () => {
    for (const h of [a, b]) {
      if (!h) continue;
      await h.worker?.close();
      await h.console?.close();
      await h.intake?.close();
      await h.db?.end();
    }
    await dns?.stop();
    rmSync(geoDir, { recursive: true, force: true });
    for (const name of ['a', 'b']) await admin.query(`DROP DATABASE IF EXISTS ${process.env.HOTLINE_TEST_DATABASE}_x${name}_${tag} WITH (FORCE)`);
    await admin.end();
  });

  it('forwards a case hosted in the partner country, which confirms it, removes it, and tells the forwarder', async () => {
    const url = `http://${IN_DE('shop')}/gallery/1`;
    await report(a, url);
    const inA = await caseOf(a, url, (row) => row.hosting_status === 'resolved' && row.queue !== null);
    expect(inA).toMatchObject({ hosting_class: 'foreign', hosting: expect.objectContaining({ country: 'DE' }) });
    await confirm(a, inA);

    // A decides to forward to B, delivers, and B acknowledges.
    const forwarded = await waitFor(
      async () => {
        const actions = await actionsOf(a, inA.id);
        return actions.some((x) => x.kind === 'partner_forward' && x.status === 'acknowledged') ? actions : undefined;
      },
      { what: 'the forward to B acknowledged', stallMs: 30_000 },
    );
    expect(forwarded).toEqual([
      expect.objectContaining({ kind: 'partner_forward', channel: 'hotline-b', partner_id: a.partnerId, reason: expect.stringContaining('DE') }),
    ]);
    expect((await caseOf(a, url)).status).toBe('actioned');

    // In B it is a case of the partner-inbound queue, from partner A, with A's reference.
    const inB = await caseOf(b, url, (row) => row.queue === 'partner-inbound');
    expect(inB).toMatchObject({ source: 'partner', partner_id: b.partnerId, partner_reference: inA.id });
    expect(await inboundReports(inA.id)).toHaveLength(1);
    await confirm(b, inB);
    // Hosted at home for B: police and a notice to the host.
    await waitFor(async () => ((await actionsOf(b, inB.id)).length >= 2 ? true : undefined), { what: "B's actions" });
    expect((await actionsOf(b, inB.id)).map((x) => [x.kind, x.channel]).sort()).toEqual([
      ['notice', 'hosting_provider'],
      ['police_referral', 'national_police'],
    ]);

    const removedAt = new Date(Date.now() - 60_000).toISOString();
    const removal = await post(b, `/api/v1/cases/${inB.id}/removal`, b.analyst, { removedAt });
    expect(removal.status).toBeLessThan(300);

    const removed = await caseOf(a, url, (row) => row.status === 'removed');
    expect(removed.removed_at.toISOString()).toBe(removedAt);
    const events = await eventsOf(a, inA.id);
    const statuses = events.filter((e) => e.kind === 'partner_status').map((e) => e.detail.status);
    expect(statuses).toEqual(expect.arrayContaining(['assessed', 'removed']));
    // Both clocks: when the content was removed (the partner's time) and when A learnt it.
    const learnt = events.find((e) => e.kind === 'partner_status' && e.detail.status === 'removed');
    expect(new Date(learnt.at).getTime()).toBeGreaterThan(new Date(removedAt).getTime());
  });

  it('retries while the partner is down and delivers exactly once when it is back', async () => {
    const url = `http://${IN_DE('down')}/album`;
    await report(a, url);
    const inA = await caseOf(a, url, (row) => row.hosting_status === 'resolved' && row.queue !== null);
    const port = b.port;
    await b.console.close();
    await confirm(a, inA);
    // A tries and fails at least twice while B is away.
    await waitFor(
      async () => {
        const { rows } = await a.db.query(`SELECT attempts FROM exchange_message WHERE case_id = $1 AND direction = 'out' AND type = 'case.forward'`, [inA.id]);
        return rows[0]?.attempts >= 2 ? true : undefined;
      },
      { what: 'failed delivery attempts', stallMs: 30_000 },
    );
    const { rows: failures } = await a.db.query(`SELECT count(*)::int AS n FROM case_event WHERE case_id = $1 AND kind = 'forward_failed'`, [inA.id]);
    expect(failures[0].n).toBe(0);

    b.console = await createConsoleApp(testConfig(b.overrides));
    await b.console.listen(port, '127.0.0.1');
    await waitFor(async () => ((await actionsOf(a, inA.id)).some((x) => x.status === 'acknowledged') ? true : undefined), {
      what: 'the forward delivered after B came back',
      stallMs: 40_000,
    });
    expect(await inboundReports(inA.id)).toHaveLength(1);
  });

  it('re-routes a forward the partner says is not hosted there, keeping the history', async () => {
    const url = `http://${IN_DE('moved')}/page`;
    await report(a, url);
    const inA = await caseOf(a, url, (row) => row.hosting_status === 'resolved' && row.queue !== null);
    await confirm(a, inA);
    await waitFor(async () => ((await inboundReports(inA.id)).length === 1 ? true : undefined), { what: 'the forward in B', stallMs: 30_000 });

    // B's analyst takes the case from partner-inbound (the earlier test's forward may wait there
    // too: it is kept) and says it is not hosted in Germany. B tells A (case.status not_hosted_here).
    const inB = await caseOf(b, url, (row) => row.queue === 'partner-inbound' && row.status === 'queued');
    for (let claims = 0; ; claims++) {
      const claimed = await post(b, '/api/v1/queues/partner-inbound/claim', b.analyst);
      expect(claimed.status).toBe(200);
      if (claimed.body.id === inB.id) break;
      expect(claims).toBeLessThan(3);
    }
    const answer = await post(b, `/api/v1/cases/${inB.id}/not-hosted-here`, b.analyst);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ partnersTold: ['hotline-a'], outOfRemit: true, case: { id: inB.id, status: 'out_of_remit', queue: null } });
    const { rows: told } = await b.db.query(`SELECT payload FROM exchange_message WHERE case_id = $1 AND direction = 'out' AND type = 'case.status'`, [inB.id]);
    expect(told).toEqual([{ payload: expect.objectContaining({ reference: inA.id, status: 'not_hosted_here' }) }]);

    // A hears it, traces the hosting again (still Germany, and B refused it) and goes to the police through INTERPOL.
    const actions = await waitFor(
      async () => {
        const rows = await actionsOf(a, inA.id);
        return rows.some((x) => x.kind === 'police_referral') ? rows : undefined;
      },
      { what: 'the re-routed actions', stallMs: 60_000, progress: async () => [await actionsOf(a, inA.id), (await eventsOf(a, inA.id)).length] },
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'partner_forward', status: 'rejected' }),
        expect.objectContaining({ kind: 'police_referral', channel: 'interpol' }),
      ]),
    );
    expect((await eventsOf(a, inA.id)).some((e) => e.kind === 'partner_status' && e.detail.status === 'not_hosted_here')).toBe(true);
    await waitFor(
      async () => {
        const { rows } = await b.db.query(`SELECT status FROM exchange_message WHERE case_id = $1 AND direction = 'out' AND type = 'case.status'`, [inB.id]);
        return rows.length === 1 && rows[0].status === 'delivered' ? true : undefined;
      },
      { what: "B's not_hosted_here marked delivered" },
    );
  }, 150_000);

  it('refuses a tampered or replayed message, and audits it', async () => {
    const key = await a.console.get(PartnerDirectory).signingKey(a.partnerId);
    const path = '/api/v1/exchange/messages';
    const body = JSON.stringify({
      messageId: randomUUID(),
      type: 'case.status',
      sentAt: new Date().toISOString(),
      reference: randomUUID(),
      status: 'assessed',
      at: new Date().toISOString(),
    });
    const headers = signRequest({ method: 'POST', path, body }, key);
    const send = (text: string) => request(b.console.getHttpServer()).post(path).set(headers).set('content-type', 'application/json').send(text);

    const tampered = await send(body.replace('assessed', 'removed'));
    expect(tampered.status).toBe(401);
    expect(tampered.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(tampered.body.type).toBe('/problems/signature-refused');
    // The genuine one passes the signature checks once (its reference names no case of B's: 400).
    const genuine = await send(body);
    expect(genuine.status).toBe(400);
    expect(genuine.body.errors).toEqual([{ field: 'reference', message: expect.stringContaining('no case of ours') }]);
    expect((await send(body)).status).toBe(401); // the same nonce again: a replay

    const { rows } = await b.db.query(`SELECT detail FROM audit_event WHERE action = 'exchange.refused' ORDER BY seq`);
    expect(rows.map((r) => r.detail.reason)).toEqual(expect.arrayContaining(['bad_digest', 'replayed_nonce']));
  });

  it('leaves every case of both hotlines explained by its events', async () => {
    for (const h of [a, b]) {
      const { ok, lines } = await casesVerifyEvents({ query: async (sql: string, parameters?: unknown[]) => (await h.db.query(sql, parameters)).rows });
      expect({ ok, lines }).toEqual({ ok: true, lines: expect.stringMatching(/^ok \d+ cases\n$/) });
    }
  });
});
