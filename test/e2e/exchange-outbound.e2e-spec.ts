import { AuditLog } from '@hotline/audit';
import { generateExchangeKeyPair, parsePublicKey, Partner, PartnerDirectory, signRequest, storeOutgoingMessage, verifyRequest } from '@hotline/exchange';
import { MetricsRegistry } from '@hotline/observability';
import { DeadLetters, DELIVER_EXCHANGE_MESSAGE, JOB_IDS, partnerDeliveryQueue, QueueRegistry } from '@hotline/queue';
import { FieldEncryption, uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Job } from 'bullmq';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { PartnerDeliveryWorkers } from '../../apps/worker/src/exchange/partner-delivery-workers.service';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { LoopbackDnsServer } from '../support/dns-server';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';
import { recordFixtureCreated } from '../support/cases';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };
/** What a case.forward carries of it: the protocol's fields, never our national legal category. */
const { legalCategory: _national, ...FORWARDED_CLASSIFICATION } = CLASSIFICATION;
// Countries no other test registers a partner for; the hotline itself is in NL.
const FORWARD_COUNTRY = 'MT';
const DOWN_COUNTRY = 'CY';
const ATTEMPTS = 4;

interface Received {
  messageId: string;
  type: string;
  body: Record<string, any>;
  answered: number;
  signature: string | null;
}

/**
 * A partner hotline on loopback: answers 503 to the first `failFirst` deliveries of each message,
 * then 202; or, as `hang`, never answers; or answers every delivery `alwaysStatus` with `alwaysBody`.
 */
class FakePartner {
  readonly received: Received[] = [];
  private server: Server | null = null;
  private readonly seen = new Map<string, number>();
  private readonly hanging = new Set<ServerResponse>();
  publicKey: ReturnType<typeof parsePublicKey> = null;

  constructor(
    private readonly failFirst: number,
    private readonly mode: { hang?: boolean; alwaysStatus?: number; alwaysBody?: string } = {},
  ) {}

  async listen(port = 0): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  answered(messageId: string, status: number): Received[] {
    return this.received.filter((r) => r.messageId === messageId && r.answered === status);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = JSON.parse(raw.toString('utf8'));
    const signature = verifyRequest({ method: req.method!, path: req.url!, body: raw, headers: req.headers }, this.publicKey!);
    const count = (this.seen.get(body.messageId) ?? 0) + 1;
    this.seen.set(body.messageId, count);
    if (this.mode.hang) {
      this.received.push({ messageId: body.messageId, type: body.type, body, answered: 0, signature });
      this.hanging.add(res);
      return;
    }
    if (this.mode.alwaysStatus) {
      this.received.push({ messageId: body.messageId, type: body.type, body, answered: this.mode.alwaysStatus, signature });
      res.writeHead(this.mode.alwaysStatus, { 'content-type': 'text/plain' });
      res.end(this.mode.alwaysBody ?? '');
      return;
    }
    const status = req.url !== '/api/v1/exchange/messages' || signature ? 401 : count <= this.failFirst ? 503 : 202;
    this.received.push({ messageId: body.messageId, type: body.type, body, answered: status, signature });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status === 202 ? { messageId: body.messageId, received: true } : { title: 'unavailable' }));
  }
}

/**
 * Outbound exchange with real parts: console-api (review, case view, removal) and the worker
 * (outbox relay, ActOnCases, dispatch, one delivery queue per partner) against partner hotlines
 * played by HTTP servers on loopback that check our signatures.
 */
describe('exchange: outbound actions and forwards', () => {
  const prefix = `{hotline-exchange-out-${tag}}`;
  let worker: NestFastifyApplication;
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let analyst: SignedInStaff;
  let senior: SignedInStaff;
  const flaky = new FakePartner(2);
  const late = new FakePartner(0);
  const hanging = new FakePartner(0, { hang: true });
  // Answers 500 with a NUL and a lone surrogate in its text: not storable in PostgreSQL as they are.
  const refusing = new FakePartner(0, { alwaysStatus: 500, alwaysBody: 'bad\u0000gate\ud800way' });
  let forwardPartner: Partner;
  let downPartner: Partner;
  let downPort: number;
  let hangingPartner: Partner;
  let refusingPartner: Partner;
  /** The forward partner's own key pair: it signs its case.status answers to us with it. */
  const forwardPartnerKeys = generateExchangeKeyPair();
  let directory: PartnerDirectory;
  let dns: LoopbackDnsServer;
  let geoDir: string;

  beforeAll(async () => {
    // Re-traces resolve here: the "moved" host is now in Brazil (no partner serves it).
    dns = new LoopbackDnsServer({ [`moved-${tag}.example.com`]: { A: ['203.0.113.20'] } });
    const dnsServer = await dns.start();
    geoDir = mkdtempSync(join(tmpdir(), 'hotline-exchange-out-geo-'));
    const geo = join(geoDir, 'ranges.csv');
    writeFileSync(geo, ['start,end,country,asn,organisation', '203.0.113.0,203.0.113.255,BR,64520,BR Hosting'].join('\n'));
    const overrides = {
      DNS_SERVERS: dnsServer,
      DNS_TIMEOUT_MS: '500',
      GEO_IP_TABLE: geo,
      REDIS_PREFIX: prefix,
      OUTBOX_POLL_MS: '20',
      HOTLINE_COUNTRY: 'NL',
      NODE_ENV: 'test',
      EXCHANGE_ATTEMPTS: String(ATTEMPTS),
      EXCHANGE_BACKOFF: '50ms',
      EXCHANGE_TIMEOUT: '2s',
    };
    worker = await createWorkerApp(testConfig(overrides));
    consoleApp = await createConsoleApp(testConfig(overrides));
    db = await connectDatabase();
    analyst = await signIn(consoleApp, 'analyst');
    senior = await signIn(consoleApp, 'senior_analyst');

    // Counting in the worker's registry: its /metrics shows what disabling a partner failed.
    directory = new PartnerDirectory(
      consoleApp.get(DataSource),
      new FieldEncryption(testConfig().fieldEncryptionKeys),
      consoleApp.get(AuditLog),
      worker.get(MetricsRegistry),
    );
    const flakyPort = await flaky.listen();
    // The second partner is down: its port is free (nothing listens) until the test brings it up.
    downPort = await late.listen();
    await late.close();
    const actor = { id: null, role: 'cli' } as const;
    forwardPartner = await directory.add(
      {
        name: `aa-mt-${tag}`,
        countries: [FORWARD_COUNTRY],
        baseUrl: `http://127.0.0.1:${flakyPort}`,
        theirPublicKey: forwardPartnerKeys.publicKey,
        rateLimitPerMinute: 600,
      },
      actor,
    );
    downPartner = await directory.add(
      { name: `aa-cy-${tag}`, countries: [DOWN_COUNTRY], baseUrl: `http://127.0.0.1:${downPort}/`, theirPublicKey: generateExchangeKeyPair().publicKey },
      actor,
    );
    hangingPartner = await directory.add(
      {
        name: `aa-lv-${tag}`,
        countries: ['LV'],
        baseUrl: `http://127.0.0.1:${await hanging.listen()}`,
        theirPublicKey: generateExchangeKeyPair().publicKey,
        rateLimitPerMinute: 600,
      },
      actor,
    );
    refusingPartner = await directory.add(
      {
        name: `aa-ee-${tag}`,
        countries: ['EE'],
        baseUrl: `http://127.0.0.1:${await refusing.listen()}`,
        theirPublicKey: generateExchangeKeyPair().publicKey,
        rateLimitPerMinute: 600,
      },
      actor,
    );
    flaky.publicKey = parsePublicKey(forwardPartner.ourPublicKey);
    late.publicKey = parsePublicKey(downPartner.ourPublicKey);
    hanging.publicKey = parsePublicKey(hangingPartner.ourPublicKey);
    refusing.publicKey = parsePublicKey(refusingPartner.ourPublicKey);
  });

  afterAll(async () => {
    await worker?.close();
    await consoleApp?.close();
    await db?.end();
    await flaky.close();
    await late.close();
    await hanging.close();
    await refusing.close();
    await dns?.stop();
    if (geoDir) rmSync(geoDir, { recursive: true, force: true });
  });

  const get = (path: string) => request(consoleApp.getHttpServer()).get(path).set('authorization', analyst.bearer);
  const post = (who: SignedInStaff, path: string, body: object) => request(consoleApp.getHttpServer()).post(path).set('authorization', who.bearer).send(body);

  /** A case hosted as given, in `status`, with one report (from a partner when `fromPartner` is set). */
  async function hostedCase(
    name: string,
    hosting: { class: string; country: string | null },
    status: 'confirmed' | 'pending_review',
    fromPartner?: { id: string; reference: string },
  ): Promise<string> {
    const id = uuidv7();
    const host = `${name}-${tag}.example.com`;
    const url = `http://${host}/x/${name}`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, report_count, first_reported_at, last_reported_at,
                           hosting_status, hosting_class, hosting, verdict, classification, source)
       VALUES ($1, $2, $3, $4, $4, $5, 1, now(), now(), 'resolved', $6, $7, 'baseline', $8, $9)`,
      [
        id,
        randomBytes(32).toString('hex'),
        url,
        host,
        status,
        hosting.class,
        JSON.stringify({ ip: '192.0.2.10', country: hosting.country, asn: 64510, organisation: 'Host Ltd', cnames: [] }),
        JSON.stringify(CLASSIFICATION),
        fromPartner ? 'partner' : 'public',
      ],
    );
    await recordFixtureCreated(db, id);
    const reportId = uuidv7();
    await db.query(
      `INSERT INTO report (id, reference, status_token_hash, source, received_at, language, content_type, victim_identifiable, url_count, partner_id, partner_reference)
       VALUES ($1, $2, $3, $4, now(), 'en', 'images', false, 1, $5, $6)`,
      [
        reportId,
        `REF-${randomBytes(6).toString('hex')}`,
        randomBytes(32),
        fromPartner ? 'partner' : 'public_web',
        fromPartner?.id ?? null,
        fromPartner?.reference ?? null,
      ],
    );
    await db.query(
      `INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at, case_id) VALUES ($1, $2, 0, $3, $3, $4, $5, now(), $6)`,
      [uuidv7(), reportId, url, randomBytes(32).toString('hex'), host, id],
    );
    return id;
  }

  /** As a review would on confirming: the case.act outbox row. */
  const act = (caseId: string) => db.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ('case.act', $1, '{}')`, [caseId]);

  const actions = async (caseId: string) =>
    (
      await db.query(`SELECT kind, channel, partner_id, status, reason, last_error, external_ref, attempts FROM action WHERE case_id = $1 ORDER BY created_at, id`, [
        caseId,
      ])
    ).rows;
  const caseRow = async (caseId: string) => (await db.query(`SELECT * FROM "case" WHERE id = $1`, [caseId])).rows[0];
  const events = async (caseId: string, kind: string) => (await db.query(`SELECT * FROM case_event WHERE case_id = $1 AND kind = $2 ORDER BY id`, [caseId, kind])).rows;
  const actionsDecided = (caseId: string) => waitFor(async () => ((await actions(caseId)).length ? actions(caseId) : undefined), { what: `actions of ${caseId}` });

  let forwardedCaseId: string;

  it('forwards a case confirmed by review to the partner of its hosting country, delivered once after retries', async () => {
    const caseId = await hostedCase('forward', { class: 'foreign', country: FORWARD_COUNTRY }, 'pending_review');
    await db.query(`INSERT INTO assessment (id, case_id, kind, staff_user_id, verdict, classification) VALUES ($1, $2, 'assessment', $3, 'baseline', $4)`, [
      uuidv7(),
      caseId,
      analyst.id,
      JSON.stringify(CLASSIFICATION),
    ]);
    const reviewed = await post(senior, `/api/v1/cases/${caseId}/review`, { decision: 'confirm', verdict: 'baseline', classification: CLASSIFICATION });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.status).toBe('confirmed');

    const [decided] = await actionsDecided(caseId);
    expect(decided).toMatchObject({ kind: 'partner_forward', channel: forwardPartner.name, partner_id: forwardPartner.id });
    expect(decided.reason).toMatch(new RegExp(`${FORWARD_COUNTRY}.*${forwardPartner.name}`));
    const sent = await waitFor(async () => ((await actions(caseId))[0].status === 'sent' ? (await actions(caseId))[0] : undefined), { what: 'forward sent' });
    expect(sent.attempts).toBe(3);

    const messageId = decided.external_ref;
    const tries = flaky.received.filter((r) => r.messageId === messageId);
    expect(tries.map((r) => r.answered)).toEqual([503, 503, 202]);
    expect(flaky.answered(messageId, 202)).toHaveLength(1);
    expect(tries.every((r) => r.signature === null)).toBe(true);
    expect(tries[2].body).toEqual({
      messageId,
      type: 'case.forward',
      sentAt: expect.any(String),
      reference: caseId,
      url: `http://forward-${tag}.example.com/x/forward`,
      hosting: { ip: '192.0.2.10', country: FORWARD_COUNTRY, asn: 64510, organisation: 'Host Ltd' },
      classification: { verdict: 'baseline', ...FORWARDED_CLASSIFICATION },
      hashes: [],
    });

    expect(tries[2].body.classification).not.toHaveProperty('legalCategory');

    // Delivered: the case moved to actioned through the state machine, with its transition event.
    expect((await caseRow(caseId)).status).toBe('actioned');
    expect(await events(caseId, 'forward_sent')).toHaveLength(1);
    expect((await events(caseId, 'transition')).map((e) => [e.from_status, e.to_status, e.detail.step])).toEqual([
      ['pending_review', 'confirmed', 'review'],
      ['confirmed', 'actioned', 'forward_sent'],
    ]);
    const [decidedEvent] = await events(caseId, 'actions_decided');
    expect(decidedEvent.detail.actions).toEqual([{ kind: 'partner_forward', channel: forwardPartner.name, partnerId: forwardPartner.id, reason: decided.reason }]);

    const view = await get(`/api/v1/cases/${caseId}`).expect(200);
    expect(view.body.actions).toEqual([
      expect.objectContaining({
        kind: 'partner_forward',
        channel: forwardPartner.name,
        status: 'sent',
        reason: decided.reason,
        lastError: null,
        updatedAt: expect.any(String),
      }),
    ]);
    expect(view.body.exchange).toEqual([
      { direction: 'out', type: 'case.forward', status: 'delivered', lastError: null, createdAt: expect.any(String), deliveredAt: expect.any(String) },
    ]);
    forwardedCaseId = caseId;
  });

  it('shows "forward failed" with its error when the partner never answers, counts it, and delivers it on redrive', async () => {
    const caseId = await hostedCase('down', { class: 'foreign', country: DOWN_COUNTRY }, 'confirmed');
    await act(caseId);
    const failed = await waitFor(
      async () => {
        const [action] = await actions(caseId);
        return action?.status === 'failed' ? action : undefined;
      },
      { what: 'forward failed' },
    );
    expect(failed.last_error).toMatch(/delivery to partner .* failed/);
    expect(failed.attempts).toBe(ATTEMPTS);

    const view = await get(`/api/v1/cases/${caseId}`).expect(200);
    expect(view.body.status).toBe('confirmed');
    expect(view.body.actions[0]).toMatchObject({ kind: 'partner_forward', status: 'failed', lastError: failed.last_error });
    expect(view.body.exchange[0]).toMatchObject({
      direction: 'out',
      type: 'case.forward',
      status: 'failed',
      lastError: expect.stringMatching(/failed/),
      deliveredAt: null,
    });
    const [failedEvent] = await events(caseId, 'forward_failed');
    expect(failedEvent.detail).toMatchObject({ partner: downPartner.name, messageId: failed.external_ref, error: failed.last_error });

    const deadLetter = await waitFor(
      async () => {
        const { rows } = await db.query(`SELECT * FROM dead_letter WHERE queue = $1 AND redriven_at IS NULL`, [partnerDeliveryQueue(downPartner.id)]);
        return rows[0];
      },
      { what: 'dead letter' },
    );
    expect(deadLetter).toMatchObject({ job_name: 'deliver-exchange-message', attempts: ATTEMPTS });
    const metrics = await request(worker.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(new RegExp(`hotline_exchange_delivery_failures_total\\{[^}]*partner="${downPartner.name}"[^}]*\\} 1\\b`));
    expect(late.received).toHaveLength(0);

    // The partner comes back; an operator redrives the dead letter (dlq:redrive).
    await late.listen(downPort);
    const redriven = await worker.get(DeadLetters).redrive({ id: String(deadLetter.id) });
    expect(redriven.redriven).toEqual([String(deadLetter.id)]);
    const sent = await waitFor(
      async () => {
        const [action] = await actions(caseId);
        return action?.status === 'sent' ? action : undefined;
      },
      { what: 'forward sent after redrive' },
    );
    expect(sent.last_error).toBeNull();
    expect(late.answered(failed.external_ref, 202)).toHaveLength(1);
    expect(late.received.every((r) => r.signature === null)).toBe(true);
    const after = await get(`/api/v1/cases/${caseId}`).expect(200);
    expect(after.body.status).toBe('actioned');
    expect(after.body.exchange[0]).toMatchObject({ status: 'delivered', deliveredAt: expect.any(String) });
  });

  it('refers a domestic case to the national police and notices the host', async () => {
    const caseId = await hostedCase('domestic', { class: 'domestic', country: 'NL' }, 'confirmed');
    await act(caseId);
    const decided = await actionsDecided(caseId);
    expect(decided.map((a) => [a.kind, a.channel])).toEqual([
      ['police_referral', 'national_police'],
      ['notice', 'hosting_provider'],
    ]);
    expect(decided[0].status).toBe('sent');
    // The notice waits for its mail job, which this worker may already have run: with no abuse
    // contact for the host it fails, visibly (notices.e2e-spec.ts follows a notice to the host).
    expect(['pending', 'failed']).toContain(decided[1].status);
    const view = await get(`/api/v1/cases/${caseId}`).expect(200);
    expect(view.body.actions.map((a: { channel: string }) => a.channel)).toEqual(['national_police', 'hosting_provider']);
    expect(view.body.exchange).toEqual([]);
  });

  it('refers a case hosted where no partner serves to INTERPOL, saying why there is no notice', async () => {
    const caseId = await hostedCase('elsewhere', { class: 'foreign', country: 'BR' }, 'confirmed');
    await act(caseId);
    const decided = await actionsDecided(caseId);
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ kind: 'police_referral', channel: 'interpol', partner_id: null });
    expect(decided[0].reason).toMatch(/BR.*INTERPOL.*No abuse contact/);
    // Acting again (a duplicate publish) changes nothing.
    await act(caseId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await actions(caseId)).toHaveLength(1);
    expect(await events(caseId, 'actions_decided')).toHaveLength(1);
  });

  it('tells the partner a case came from that it was assessed, and when it was removed', async () => {
    const reference = `THEIR-${tag}`;
    const caseId = await hostedCase('inbound', { class: 'domestic', country: 'NL' }, 'confirmed', { id: forwardPartner.id, reference });
    await act(caseId);
    await actionsDecided(caseId);
    const assessed = await waitFor(async () => flaky.received.find((r) => r.type === 'case.status' && r.body.reference === reference && r.answered === 202), {
      what: 'case.status assessed',
    });
    expect(assessed.body).toMatchObject({ type: 'case.status', reference, status: 'assessed', at: expect.any(String) });

    const removedAt = new Date(Date.now() - 3_600_000).toISOString();
    const removed = await post(analyst, `/api/v1/cases/${caseId}/removal`, { removedAt });
    expect(removed.status).toBe(200);
    expect(removed.body.status).toBe('removed');
    const row = await caseRow(caseId);
    expect(row.removed_at.toISOString()).toBe(removedAt);
    expect((await events(caseId, 'transition')).map((e) => [e.from_status, e.to_status])).toEqual([
      ['confirmed', 'actioned'],
      ['actioned', 'removed'],
    ]);
    const { rows: audit } = await db.query(`SELECT * FROM audit_event WHERE target_id = $1 AND action = 'case.removed'`, [caseId]);
    expect(audit).toHaveLength(1);
    const told = await waitFor(async () => flaky.received.find((r) => r.body.reference === reference && r.body.status === 'removed' && r.answered === 202), {
      what: 'case.status removed',
    });
    expect(told.body.at).toBe(removedAt);
  });

  it('marks a forwarded case removed, and refuses cases that are not confirmed or actioned', async () => {
    const removed = await post(analyst, `/api/v1/cases/${forwardedCaseId}/removal`, {});
    expect(removed.status).toBe(200);
    expect((await caseRow(forwardedCaseId)).status).toBe('removed');
    const again = await post(analyst, `/api/v1/cases/${forwardedCaseId}/removal`, {});
    expect(again.status).toBe(409);
    const future = await post(analyst, `/api/v1/cases/${forwardedCaseId}/removal`, { removedAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.status).toBe(400);
  });

  const metricsText = async () => (await request(worker.getHttpServer()).get('/metrics').expect(200)).text;
  const failuresOf = (text: string, partner: string) =>
    Number(new RegExp(`hotline_exchange_delivery_failures_total\\{[^}]*partner="${partner}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
  const outboxKeys = async (caseId: string) =>
    (await db.query(`SELECT message_key FROM outbox WHERE topic = 'case.act' AND message_key LIKE $1 ORDER BY id`, [`${caseId}%`])).rows.map((r) => r.message_key);
  const message = async (rowId: string) => (await db.query(`SELECT * FROM exchange_message WHERE id = $1`, [rowId])).rows[0];
  const messageOfCase = async (caseId: string) =>
    (await db.query(`SELECT * FROM exchange_message WHERE case_id = $1 AND type = 'case.forward' ORDER BY created_at, id`, [caseId])).rows;
  const interpolDecided = (caseId: string) =>
    waitFor(
      async () => {
        const rows = await actions(caseId);
        return rows.some((a) => a.kind === 'police_referral') ? rows : undefined;
      },
      { what: `the re-routed actions of ${caseId}` },
    );

  /**
   * A forward of a case to a partner stored as ActOnCases stores it (its action and its outgoing
   * message), for a partner disabled behind the directory's back; without its outbox row when
   * `dispatched` is false (nothing dispatches it then).
   */
  async function storedForward(
    caseId: string,
    partner: Partner,
    options: { actionStatus?: string; dispatched?: boolean } = {},
  ): Promise<{ rowId: string; messageId: string }> {
    const tx = await connectDatabase();
    try {
      await tx.query('BEGIN');
      const stored = await storeOutgoingMessage(tx, {
        partnerId: partner.id,
        caseId,
        type: 'case.forward',
        body: { reference: caseId, url: 'http://x.example/', hosting: {}, classification: {}, hashes: [] },
      });
      await tx.query(
        `INSERT INTO action (id, case_id, kind, channel, partner_id, status, reason, external_ref) VALUES ($1, $2, 'partner_forward', $3, $4, $5, 'test forward', $6)`,
        [uuidv7(), caseId, partner.name, partner.id, options.actionStatus ?? 'pending', stored.messageId],
      );
      if (options.dispatched === false) await tx.query(`DELETE FROM outbox WHERE topic = 'exchange.message' AND message_key = $1`, [stored.rowId]);
      await tx.query('COMMIT');
      return stored;
    } finally {
      await tx.end();
    }
  }

  /** A partner of its own for one test, serving `country`, disabled in the table only (no sweep of its messages). */
  async function disabledBehindTheDirectory(name: string, country: string): Promise<Partner> {
    const partner = await directory.add(
      { name: `${name}-${tag}`, countries: [country], baseUrl: 'http://127.0.0.1:9', theirPublicKey: generateExchangeKeyPair().publicKey },
      { id: null, role: 'cli' },
    );
    await db.query(`UPDATE partner SET status = 'disabled' WHERE id = $1`, [partner.id]);
    return partner;
  }

  /** What a case shows when its forward failed because the partner is disabled, and that it was routed again to INTERPOL. */
  async function expectFailedAsDisabled(caseId: string, partner: Partner, rowId: string): Promise<void> {
    const error = `partner ${partner.name} is disabled`;
    const failedMessage = await message(rowId);
    expect(failedMessage).toMatchObject({ status: 'failed', last_error: error, delivered_at: null });
    const [forward] = (await actions(caseId)).filter((a) => a.kind === 'partner_forward');
    expect(forward).toMatchObject({ status: 'failed', last_error: error, partner_id: partner.id });
    const failedEvents = await events(caseId, 'forward_failed');
    expect(failedEvents).toHaveLength(1);
    expect(failedEvents[0].detail).toMatchObject({ partner: partner.name, partnerId: partner.id, messageId: failedMessage.message_id, error });
    expect(await outboxKeys(caseId)).toContain(`${caseId}:partner-disabled-${rowId}`);
    // Routed again without that partner: nobody else serves the country, so INTERPOL.
    const rerouted = await interpolDecided(caseId);
    expect(rerouted.map((a) => [a.kind, a.channel, a.status])).toEqual([
      ['partner_forward', partner.name, 'failed'],
      ['police_referral', 'interpol', 'sent'],
    ]);
    expect(rerouted[1].reason).toContain(`partner ${partner.name} is disabled`);
    const decidedEvents = await events(caseId, 'actions_decided');
    expect(decidedEvents.at(-1).detail).toMatchObject({ reroute: true, disabledPartners: [partner.name] });
  }

  it('fails a forward dispatched for a disabled partner at once, visibly, and routes the case again without it', async () => {
    const partner = await disabledBehindTheDirectory('aa-gr', 'GR');
    const caseId = await hostedCase('disabled-dispatch', { class: 'foreign', country: 'GR' }, 'confirmed');
    const { rowId } = await storedForward(caseId, partner);
    await waitFor(async () => ((await message(rowId)).status === 'failed' ? true : undefined), { what: 'the message failed' });
    await expectFailedAsDisabled(caseId, partner, rowId);
    expect(failuresOf(await metricsText(), partner.name)).toBe(1);
    // Nothing was queued for it.
    expect(await Job.fromId(worker.get(QueueRegistry).get(partnerDeliveryQueue(partner.id)), JOB_IDS.deliverExchangeMessage(rowId))).toBeUndefined();
  });

  it("drains the jobs waiting in a disabled partner's queue on the next refresh of the delivery workers", async () => {
    const partner = await disabledBehindTheDirectory('aa-sk', 'SK');
    const caseId = await hostedCase('disabled-queued', { class: 'foreign', country: 'SK' }, 'confirmed');
    const { rowId } = await storedForward(caseId, partner, { dispatched: false });
    const queue = worker.get(QueueRegistry).get(partnerDeliveryQueue(partner.id));
    await queue.add(DELIVER_EXCHANGE_MESSAGE, { messageRowId: rowId }, { jobId: JOB_IDS.deliverExchangeMessage(rowId) });
    expect(await queue.getWaitingCount()).toBe(1);

    await worker.get(PartnerDeliveryWorkers).refresh();
    expect(await queue.getWaitingCount()).toBe(0);
    expect(worker.get(PartnerDeliveryWorkers).running()).not.toContain(partner.id);
    await expectFailedAsDisabled(caseId, partner, rowId);
    expect(failuresOf(await metricsText(), partner.name)).toBe(1);
    // A second refresh changes nothing.
    await worker.get(PartnerDeliveryWorkers).refresh();
    expect(await events(caseId, 'forward_failed')).toHaveLength(1);
  });

  it('disabling a partner fails its undelivered forwards in the same transaction and routes their cases again', async () => {
    const caseId = await hostedCase('disabled-pending', { class: 'foreign', country: 'LV' }, 'confirmed');
    await act(caseId);
    const [forward] = await actionsDecided(caseId);
    expect(forward).toMatchObject({ kind: 'partner_forward', partner_id: hangingPartner.id, status: 'pending' });
    // The partner holds the delivery open (no answer yet): the message is still pending.
    await waitFor(async () => (hanging.received.some((r) => r.messageId === forward.external_ref) ? true : undefined), { what: 'the delivery in flight' });
    const [pending] = await messageOfCase(caseId);
    expect(pending.status).toBe('pending');

    const disabled = await directory.disable(hangingPartner.name, { id: null, role: 'cli' });
    expect(disabled.status).toBe('disabled');
    // Already committed with the disabling: no wait.
    expect(await message(pending.id)).toMatchObject({ status: 'failed', last_error: `partner ${hangingPartner.name} is disabled` });
    const { rows: audit } = await db.query(`SELECT detail FROM audit_event WHERE target_id = $1 AND action = 'partner.disabled'`, [hangingPartner.id]);
    expect(audit[0].detail).toMatchObject({ failedMessages: 1 });
    await expectFailedAsDisabled(caseId, hangingPartner, pending.id);
    expect(failuresOf(await metricsText(), hangingPartner.name)).toBe(1);

    // The attempt in flight times out: it neither retries nor fails the case a second time, and is no dead letter.
    const queue = worker.get(QueueRegistry).get(partnerDeliveryQueue(hangingPartner.id));
    await waitFor(async () => ((await Job.fromId(queue, JOB_IDS.deliverExchangeMessage(pending.id)))?.finishedOn ? true : undefined), {
      what: 'the attempt in flight to end',
      stallMs: 20_000,
    });
    expect(await Job.fromId(queue, JOB_IDS.deliverExchangeMessage(pending.id)).then((job) => job!.isCompleted())).toBe(true);
    expect(await events(caseId, 'forward_failed')).toHaveLength(1);
    expect((await message(pending.id)).last_error).toBe(`partner ${hangingPartner.name} is disabled`);
    expect((await db.query(`SELECT 1 FROM dead_letter WHERE queue = $1`, [partnerDeliveryQueue(hangingPartner.id)])).rows).toHaveLength(0);
    expect(failuresOf(await metricsText(), hangingPartner.name)).toBe(1);
    await waitFor(async () => (worker.get(PartnerDeliveryWorkers).running().includes(hangingPartner.id) ? undefined : true), {
      what: 'its worker stopped',
      stallMs: 15_000,
    });
  });

  it('re-routes a forward the partner says is not hosted there: a new trace, then police through INTERPOL, keeping the history', async () => {
    const caseId = await hostedCase('moved', { class: 'foreign', country: FORWARD_COUNTRY }, 'confirmed');
    await act(caseId);
    const sent = await waitFor(
      async () => {
        const [action] = await actions(caseId);
        return action?.status === 'sent' ? action : undefined;
      },
      { what: 'the forward sent' },
    );
    expect(sent).toMatchObject({ kind: 'partner_forward', partner_id: forwardPartner.id });

    // The partner's answer, signed with its key.
    const path = '/api/v1/exchange/messages';
    const body = JSON.stringify({
      messageId: randomUUID(),
      type: 'case.status',
      sentAt: new Date().toISOString(),
      reference: caseId,
      status: 'not_hosted_here',
      at: new Date().toISOString(),
    });
    const answer = await request(consoleApp.getHttpServer())
      .post(path)
      .set(signRequest({ method: 'POST', path, body }, forwardPartnerKeys))
      .set('content-type', 'application/json')
      .send(body);
    expect(answer.status).toBe(202);

    const rerouted = await interpolDecided(caseId);
    expect(rerouted.map((a) => [a.kind, a.channel, a.status])).toEqual([
      ['partner_forward', forwardPartner.name, 'rejected'],
      ['police_referral', 'interpol', 'sent'],
    ]);
    expect(rerouted[1].reason).toMatch(/Hosted in BR.*INTERPOL/);
    expect(rerouted[1].reason).toContain(`Re-routed: ${forwardPartner.name} said`);

    // Traced again (its own job), and decided with the new trace.
    expect(dns.questions).toContain(`A moved-${tag}.example.com`);
    const row = await caseRow(caseId);
    expect(row).toMatchObject({ status: 'actioned', hosting_status: 'resolved', hosting_class: 'foreign' });
    expect(row.hosting.country).toBe('BR');
    const retraceJob = await Job.fromId(worker.get(QueueRegistry).get('hosting'), `hosting-${caseId}-reroute-1`);
    expect(retraceJob).toBeDefined();

    // The history is kept, in order.
    const { rows: history } = await db.query(`SELECT kind, detail FROM case_event WHERE case_id = $1 ORDER BY id`, [caseId]);
    const kinds = history.map((e) => e.kind).filter((k) => ['actions_decided', 'forward_sent', 'partner_status', 'hosting_retrace', 'hosting_resolved'].includes(k));
    expect(kinds).toEqual(['actions_decided', 'forward_sent', 'partner_status', 'hosting_retrace', 'hosting_resolved', 'actions_decided']);
    expect(history.find((e) => e.kind === 'hosting_retrace').detail).toMatchObject({ reason: 'not_hosted_here', n: 1, was: { country: FORWARD_COUNTRY } });
    expect(history.find((e) => e.kind === 'hosting_resolved').detail).toMatchObject({ country: 'BR' });
    expect(history.filter((e) => e.kind === 'actions_decided').at(-1).detail).toMatchObject({ reroute: true, excludedPartnerIds: [forwardPartner.id] });
    expect((await outboxKeys(caseId)).some((key) => key.startsWith(`${caseId}:traced-`))).toBe(true);
    // Acting again changes nothing.
    await act(caseId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await actions(caseId)).toHaveLength(2);
    expect(await events(caseId, 'hosting_retrace')).toHaveLength(1);
  });

  it("keeps an acknowledged forward whose delivery failed, and stores a partner's answer as storable text", async () => {
    // The partner acknowledged the forward (its answer to our delivery is what fails).
    const acknowledgedCase = await hostedCase('acked', { class: 'foreign', country: 'EE' }, 'confirmed');
    const { rowId } = await storedForward(acknowledgedCase, refusingPartner, { actionStatus: 'acknowledged' });
    const failedMessage = await waitFor(async () => ((await message(rowId)).status === 'failed' ? message(rowId) : undefined), { what: 'the delivery failed for good' });
    expect(failedMessage.last_error).toBe(`partner ${refusingPartner.name} answered 500: bad\uFFFDgate\uFFFDway`);
    const [acked] = await actions(acknowledgedCase);
    expect(acked).toMatchObject({ status: 'acknowledged', last_error: null });
    expect(await events(acknowledgedCase, 'forward_failed')).toHaveLength(0);

    // One that was not acknowledged fails on its case, with the same cleaned text.
    const caseId = await hostedCase('refused', { class: 'foreign', country: 'EE' }, 'confirmed');
    await act(caseId);
    const failed = await waitFor(
      async () => {
        const [action] = await actions(caseId);
        return action?.status === 'failed' ? action : undefined;
      },
      { what: 'forward failed' },
    );
    expect(failed.last_error).toBe(`partner ${refusingPartner.name} answered 500: bad\uFFFDgate\uFFFDway`);
    const [event] = await events(caseId, 'forward_failed');
    expect(event.detail.error).toBe(failed.last_error);
  });

  it('redrives a partner delivery whose job is gone with the exchange attempts and backoff', async () => {
    const queueName = partnerDeliveryQueue(randomUUID()); // a queue no worker takes
    const jobId = JOB_IDS.deliverExchangeMessage(uuidv7());
    const {
      rows: [deadLetter],
    } = await db.query(`INSERT INTO dead_letter (queue, job_name, job_id, payload, error, attempts) VALUES ($1, $2, $3, $4, 'DeliveryRefused: down', $5) RETURNING id`, [
      queueName,
      DELIVER_EXCHANGE_MESSAGE,
      jobId,
      JSON.stringify({ messageRowId: uuidv7() }),
      ATTEMPTS,
    ]);
    const queues = worker.get(QueueRegistry);
    const deadLetters = new DeadLetters(worker.get(DataSource), queues, { attempts: ATTEMPTS, backoffMs: 50 });
    expect(await deadLetters.redrive({ id: String(deadLetter.id) })).toEqual({ redriven: [String(deadLetter.id)], notOpen: [] });
    const job = await Job.fromId(queues.get(queueName), jobId);
    expect(job?.opts).toMatchObject({ attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 50 } });
    await job!.remove();
  });
});
