import { AuditLog } from '@hotline/audit';
import { generateExchangeKeyPair, parsePublicKey, Partner, PartnerDirectory, verifyRequest } from '@hotline/exchange';
import { DeadLetters, partnerDeliveryQueue } from '@hotline/queue';
import { FieldEncryption, uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };
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

/** A partner hotline on loopback: answers 503 to the first `failFirst` deliveries of each message, then 202. */
class FakePartner {
  readonly received: Received[] = [];
  private server: Server | null = null;
  private readonly seen = new Map<string, number>();
  publicKey: ReturnType<typeof parsePublicKey> = null;

  constructor(private readonly failFirst: number) {}

  async listen(port = 0): Promise<number> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
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
  let forwardPartner: Partner;
  let downPartner: Partner;
  let downPort: number;

  beforeAll(async () => {
    const overrides = {
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

    const directory = new PartnerDirectory(consoleApp.get(DataSource), new FieldEncryption(testConfig().fieldEncryptionKeys), consoleApp.get(AuditLog));
    const flakyPort = await flaky.listen();
    // The second partner is down: its port is free (nothing listens) until the test brings it up.
    downPort = await late.listen();
    await late.close();
    const actor = { id: null, role: 'cli' } as const;
    forwardPartner = await directory.add(
      { name: `aa-mt-${tag}`, countries: [FORWARD_COUNTRY], baseUrl: `http://127.0.0.1:${flakyPort}`, theirPublicKey: generateExchangeKeyPair().publicKey, rateLimitPerMinute: 600 },
      actor,
    );
    downPartner = await directory.add(
      { name: `aa-cy-${tag}`, countries: [DOWN_COUNTRY], baseUrl: `http://127.0.0.1:${downPort}/`, theirPublicKey: generateExchangeKeyPair().publicKey },
      actor,
    );
    flaky.publicKey = parsePublicKey(forwardPartner.ourPublicKey);
    late.publicKey = parsePublicKey(downPartner.ourPublicKey);
  });

  afterAll(async () => {
    await worker?.close();
    await consoleApp?.close();
    await db?.end();
    await flaky.close();
    await late.close();
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
    const reportId = uuidv7();
    await db.query(
      `INSERT INTO report (id, reference, status_token_hash, source, status, received_at, status_updated_at, language, content_type, victim_identifiable, url_count, partner_id, partner_reference)
       VALUES ($1, $2, $3, $4, 'received', now(), now(), 'en', 'images', false, 1, $5, $6)`,
      [reportId, `REF-${randomBytes(6).toString('hex')}`, randomBytes(32), fromPartner ? 'partner' : 'public_web', fromPartner?.id ?? null, fromPartner?.reference ?? null],
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
    (await db.query(`SELECT kind, channel, partner_id, status, reason, last_error, external_ref, attempts FROM action WHERE case_id = $1 ORDER BY created_at, id`, [caseId])).rows;
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
      classification: { verdict: 'baseline', ...CLASSIFICATION },
      hashes: [],
    });

    expect((await caseRow(caseId)).status).toBe('actioned');
    expect(await events(caseId, 'forward_sent')).toHaveLength(1);
    const [decidedEvent] = await events(caseId, 'actions_decided');
    expect(decidedEvent.detail.actions).toEqual([{ kind: 'partner_forward', channel: forwardPartner.name, partnerId: forwardPartner.id, reason: decided.reason }]);

    const view = await get(`/api/v1/cases/${caseId}`).expect(200);
    expect(view.body.actions).toEqual([{ kind: 'partner_forward', channel: forwardPartner.name, status: 'sent', reason: decided.reason, lastError: null, updatedAt: expect.any(String) }]);
    expect(view.body.exchange).toEqual([{ direction: 'out', type: 'case.forward', status: 'delivered', lastError: null, createdAt: expect.any(String), deliveredAt: expect.any(String) }]);
    forwardedCaseId = caseId;
  });

  it('shows "forward failed" with its error when the partner never answers, counts it, and delivers it on redrive', async () => {
    const caseId = await hostedCase('down', { class: 'foreign', country: DOWN_COUNTRY }, 'confirmed');
    await act(caseId);
    const failed = await waitFor(async () => {
      const [action] = await actions(caseId);
      return action?.status === 'failed' ? action : undefined;
    }, { what: 'forward failed' });
    expect(failed.last_error).toMatch(/delivery to partner .* failed/);
    expect(failed.attempts).toBe(ATTEMPTS);

    const view = await get(`/api/v1/cases/${caseId}`).expect(200);
    expect(view.body.status).toBe('confirmed');
    expect(view.body.actions[0]).toMatchObject({ kind: 'partner_forward', status: 'failed', lastError: failed.last_error });
    expect(view.body.exchange[0]).toMatchObject({ direction: 'out', type: 'case.forward', status: 'failed', lastError: expect.stringMatching(/failed/), deliveredAt: null });
    const [failedEvent] = await events(caseId, 'forward_failed');
    expect(failedEvent.detail).toMatchObject({ partner: downPartner.name, messageId: failed.external_ref, error: failed.last_error });

    const deadLetter = await waitFor(async () => {
      const { rows } = await db.query(`SELECT * FROM dead_letter WHERE queue = $1 AND redriven_at IS NULL`, [partnerDeliveryQueue(downPartner.id)]);
      return rows[0];
    }, { what: 'dead letter' });
    expect(deadLetter).toMatchObject({ job_name: 'deliver-exchange-message', attempts: ATTEMPTS });
    const metrics = await request(worker.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(new RegExp(`hotline_exchange_delivery_failures_total\\{[^}]*partner="${downPartner.name}"[^}]*\\} 1\\b`));
    expect(late.received).toHaveLength(0);

    // The partner comes back; an operator redrives the dead letter (dlq:redrive).
    await late.listen(downPort);
    const redriven = await worker.get(DeadLetters).redrive({ id: String(deadLetter.id) });
    expect(redriven.redriven).toEqual([String(deadLetter.id)]);
    const sent = await waitFor(async () => {
      const [action] = await actions(caseId);
      return action?.status === 'sent' ? action : undefined;
    }, { what: 'forward sent after redrive' });
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
    expect(decided.map((a) => [a.kind, a.channel, a.status])).toEqual([
      ['police_referral', 'national_police', 'pending'],
      ['notice', 'hosting_provider', 'pending'],
    ]);
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
    const assessed = await waitFor(async () => flaky.received.find((r) => r.type === 'case.status' && r.body.reference === reference && r.answered === 202), { what: 'case.status assessed' });
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
    const told = await waitFor(async () => flaky.received.find((r) => r.body.reference === reference && r.body.status === 'removed' && r.answered === 202), { what: 'case.status removed' });
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
});
