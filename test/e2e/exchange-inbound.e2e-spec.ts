import { dedupKey } from '@hotline/domain';
import { ExchangeKeyPair, generateExchangeKeyPair, parsePublicKey, Partner, PartnerDirectory, signRequest, verifyRequest } from '@hotline/exchange';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { partnerAdd, partnerDisable, partnerList, partnerRotateKey, partnerSetKey } from '../../apps/cli/src/commands/partner-commands';
import { UsageError } from '../../apps/cli/src/commands/usage-error';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { ExchangeInboundService } from '../../apps/console-api/src/exchange/exchange-inbound.service';
import { MetricsRegistry } from '@hotline/observability';
import { createWorkerApp } from '../../apps/worker/src/worker-app';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';
import { recordFixtureCreated } from '../support/cases';

const PATH = '/api/v1/exchange/messages';
const tag = randomBytes(3).toString('hex');
const CLI = { id: null, role: 'cli' };

/**
 * The inbound side of the partner exchange (docs/exchange-protocol.md): a partner's signed
 * messages through POST /api/v1/exchange/messages into reports, case events and actions, with
 * every refusal of a known partner's request audited (strangers' counted, and audited once a
 * minute per reason); and the partner directory through the admin API and the CLI commands.
 */
describe('exchange inbound', () => {
  let consoleApp: NestFastifyApplication;
  let worker: NestFastifyApplication;
  let db: Client;
  let directory: PartnerDirectory;
  let admin: SignedInStaff;
  let analyst: SignedInStaff;
  /** The partner's own key pair: it signs with the private key, we registered the public one. */
  let theirs: ExchangeKeyPair;
  let partner: Partner;

  beforeAll(async () => {
    const overrides = { REDIS_PREFIX: `{hotline-exchange-in-${tag}}`, OUTBOX_POLL_MS: '20', HOTLINE_COUNTRY: 'NL', NODE_ENV: 'test' };
    consoleApp = await createConsoleApp(testConfig(overrides));
    worker = await createWorkerApp(testConfig(overrides));
    db = await connectDatabase();
    directory = consoleApp.get(PartnerDirectory);
    theirs = generateExchangeKeyPair();
    partner = await directory.add({ name: `de-${tag}`, countries: ['DE', 'AT'], baseUrl: 'http://127.0.0.1:9', theirPublicKey: theirs.publicKey }, CLI);
    admin = await signIn(consoleApp, 'admin');
    analyst = await signIn(consoleApp, 'analyst');
  });

  afterAll(async () => {
    await worker?.close();
    await consoleApp?.close();
    await db?.end();
  });

  const messageId = () => `m-${randomUUID()}`;

  function send(message: unknown, options: { key?: ExchangeKeyPair; now?: Date; nonce?: string; body?: string } = {}) {
    const body = typeof message === 'string' ? message : JSON.stringify(message);
    const headers = signRequest({ method: 'POST', path: PATH, body }, options.key ?? theirs, options.now, options.nonce);
    return request(consoleApp.getHttpServer())
      .post(PATH)
      .set('content-type', 'application/json')
      .set(headers)
      .send(options.body ?? body);
  }

  function forward(url: string, reference = `their-${randomUUID()}`) {
    return {
      messageId: messageId(),
      type: 'case.forward',
      sentAt: new Date().toISOString(),
      reference,
      url,
      hosting: { ip: '203.0.113.7', country: 'DE', asn: 64501, organisation: 'CDN GmbH' },
      classification: { verdict: 'baseline', ageGroup: 'prepubescent', gender: 'female', contentType: 'video', siteType: 'image_host', commercial: false },
      hashes: [],
    };
  }

  async function lastRefusal(reason: string): Promise<Record<string, any> | undefined> {
    const { rows } = await db.query(`SELECT * FROM audit_event WHERE action = 'exchange.refused' AND detail->>'reason' = $1 ORDER BY seq DESC LIMIT 1`, [reason]);
    return rows[0];
  }

  /** hotline_exchange_refused_total for a reason and the partner named ('(unknown)': none of ours). */
  async function refusedCount(reason: string, partnerName: string): Promise<number> {
    const metric = await consoleApp.get(MetricsRegistry).registry.getSingleMetric('hotline_exchange_refused_total')!.get();
    return metric.values.find((v) => v.labels.reason === reason && v.labels.partner === partnerName)?.value ?? 0;
  }

  /** A case of ours forwarded to the partner: the case, its partner_forward action and the outgoing forward. */
  async function forwardedCase(status: string): Promise<{ caseId: string; forwardMessageId: string }> {
    const caseId = randomUUID();
    const url = `http://forwarded-${randomBytes(4).toString('hex')}.example.de/x`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, first_reported_at, last_reported_at, verdict) VALUES ($1, $2, $3, $4, $5, now(), now(), 'baseline')`,
      [caseId, dedupKey(url), url, new URL(url).host, status],
    );
    await recordFixtureCreated(db, caseId);
    await db.query(`INSERT INTO action (id, case_id, kind, channel, partner_id, status, reason) VALUES ($1, $2, 'partner_forward', $3, $4, 'sent', 'hosted in DE')`, [
      randomUUID(),
      caseId,
      partner.name,
      partner.id,
    ]);
    const forwardMessageId = messageId();
    await db.query(
      `INSERT INTO exchange_message (id, partner_id, direction, message_id, type, case_id, payload, status, delivered_at) VALUES ($1, $2, 'out', $3, 'case.forward', $4, $5, 'delivered', now())`,
      [randomUUID(), partner.id, forwardMessageId, caseId, JSON.stringify({ messageId: forwardMessageId, type: 'case.forward', reference: caseId, url })],
    );
    return { caseId, forwardMessageId };
  }

  describe('case.forward', () => {
    const url = `http://forwarded-in-${tag}.example.de/gallery?id=7`;
    const message = forward(url);

    it('files a signed forward as a report from the partner, triaged into partner-inbound, and acknowledges it', async () => {
      const response = await send(message);
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ messageId: message.messageId, received: true });

      const { rows: reports } = await db.query(`SELECT * FROM report WHERE partner_id = $1 AND partner_reference = $2`, [partner.id, message.reference]);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ source: 'partner', language: 'en', content_type: 'videos', victim_identifiable: false, contact_encrypted: null, url_count: 1 });
      const reportId = reports[0].id;

      const triaged = await waitFor(
        async () => {
          const { rows } = await db.query(`SELECT * FROM "case" WHERE dedup_key = $1`, [dedupKey(url)]);
          return rows[0]?.queue ? rows[0] : undefined;
        },
        { what: 'the forwarded case to be triaged' },
      );
      expect(triaged).toMatchObject({ source: 'partner', queue: 'partner-inbound', status: 'queued' });
      const { rows: urls } = await db.query(`SELECT case_id FROM reported_url WHERE report_id = $1`, [reportId]);
      expect(urls).toEqual([{ case_id: triaged.id }]);

      const { rows: acks } = await db.query(
        `SELECT * FROM exchange_message WHERE partner_id = $1 AND direction = 'out' AND type = 'case.ack' AND payload->>'inReplyTo' = $2`,
        [partner.id, message.messageId],
      );
      expect(acks).toHaveLength(1);
      expect(acks[0]).toMatchObject({ message_id: acks[0].payload.messageId });
      expect(['pending', 'delivered', 'failed']).toContain(acks[0].status);
      expect(acks[0].payload).toMatchObject({ type: 'case.ack', inReplyTo: message.messageId, reference: message.reference, theirReference: reportId });
      const { rows: outbox } = await db.query(`SELECT * FROM outbox WHERE topic = 'exchange.message' AND message_key = $1`, [acks[0].id]);
      expect(outbox).toHaveLength(1);

      const { rows: stored } = await db.query(`SELECT * FROM exchange_message WHERE partner_id = $1 AND direction = 'in' AND message_id = $2`, [
        partner.id,
        message.messageId,
      ]);
      expect(stored).toMatchObject([{ type: 'case.forward', status: 'received' }]);
      const { rows: audit } = await db.query(`SELECT * FROM audit_event WHERE action = 'exchange.received' AND detail->>'messageId' = $1`, [message.messageId]);
      expect(audit).toMatchObject([{ actor_id: null, actor_role: 'partner', detail: { type: 'case.forward', partner: partner.name } }]);
    });

    it('answers the same message again with 202 and changes nothing', async () => {
      const response = await send(message);
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ messageId: message.messageId, received: true });
      const count = async (sql: string, params: unknown[]) => Number((await db.query(sql, params)).rows[0].count);
      expect(await count(`SELECT count(*) FROM report WHERE partner_id = $1 AND partner_reference = $2`, [partner.id, message.reference])).toBe(1);
      expect(
        await count(`SELECT count(*) FROM exchange_message WHERE partner_id = $1 AND type = 'case.ack' AND payload->>'inReplyTo' = $2`, [partner.id, message.messageId]),
      ).toBe(1);
      expect(await count(`SELECT count(*) FROM audit_event WHERE action = 'exchange.received' AND detail->>'messageId' = $1`, [message.messageId])).toBe(1);
    });

    it('refuses content that is not a valid message with 400, never 5xx', async () => {
      const bad = [
        { ...forward(`http://bad-${tag}.example.de/`), type: 'case.delete' },
        { ...forward(`http://bad-${tag}.example.de/`), url: 'http://127.0.0.1/local' },
        { ...forward(`http://bad-${tag}.example.de/`), reference: 'nul\u0000byte' },
        { ...forward(`http://bad-${tag}.example.de/`), hosting: { country: 'germany' } },
        { ...forward(`http://bad-${tag}.example.de/`), messageId: 'x'.repeat(101) },
        [1, 2, 3],
        '{"not json',
      ];
      for (const message of bad) {
        const response = await send(message);
        expect({ message, status: response.status }).toEqual({ message, status: 400 });
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    });

    it('refuses a body nested thousands of levels deep with 400, not a stack overflow', async () => {
      // 64 KB, 32k levels: JSON.parse takes it; walking it recursively threw RangeError (a 500).
      const levels = 32_000;
      const body = `{"messageId":"${messageId()}","type":"case.forward","sentAt":"${new Date().toISOString()}","hashes":${'['.repeat(levels)}${']'.repeat(levels)}}`;
      const response = await send(body);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
      // The app is fine afterwards.
      expect((await send(forward(`http://after-deep-${tag}.example.de/`))).status).toBe(202);
    });
  });

  describe("problems in a partner's words", () => {
    it('answers a body over the limit 413 as meant for a partner hotline, not a reporter', async () => {
      const big = JSON.stringify({
        ...forward(`http://big-${tag}.example.de/`),
        hashes: Array.from({ length: 1_500 }, (_, i) => `sha256:${String(i).padStart(64, '0')}`),
      });
      expect(big.length).toBeGreaterThan(64 * 1024);
      const titles: Record<string, string> = { en: 'The message is too large', fr: 'Le message est trop volumineux' };
      for (const [lang, title] of Object.entries(titles)) {
        const response = await send(big).set('accept-language', lang);
        expect(response.status).toBe(413);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ type: '/problems/exchange-too-large', status: 413, title });
        expect(response.body.detail).toContain('64 KiB');
        expect(response.text).not.toMatch(/report|signalement/i);
      }
    });

    it('answers malformed JSON, a wrong media type and an invalid message in its own words', async () => {
      const unreadable = await send('{"not json');
      expect(unreadable.body).toMatchObject({ type: '/problems/exchange-unreadable', status: 400, title: 'The message could not be read' });
      const body = JSON.stringify(forward(`http://media-${tag}.example.de/`));
      const wrongType = await request(consoleApp.getHttpServer())
        .post(PATH)
        .set(signRequest({ method: 'POST', path: PATH, body }, theirs))
        .set('content-type', 'text/csv')
        .send(body);
      expect(wrongType.body).toMatchObject({ type: '/problems/exchange-media-type', status: 415 });
      expect(wrongType.body.detail).toContain('application/json');
      const invalid = await send({ ...forward(`http://invalid-${tag}.example.de/`), type: 'case.delete' });
      expect(invalid.body).toMatchObject({
        type: '/problems/exchange-invalid',
        status: 400,
        title: 'The message was not accepted',
        errors: [expect.objectContaining({ field: 'type' })],
      });
      for (const response of [unreadable, wrongType, invalid]) expect(response.text).not.toMatch(/your report/i);
    });
  });

  describe('refusals (401)', () => {
    it('refuses a body changed after signing', async () => {
      const message = forward(`http://tampered-${tag}.example.de/`);
      const response = await send(message, { body: JSON.stringify({ ...message, url: `http://other-${tag}.example.de/` }) });
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await lastRefusal('bad_digest')).toMatchObject({ actor_id: null, actor_role: 'partner', target_id: partner.id, detail: { keyId: partner.theirKeyId } });
      const { rows } = await db.query(`SELECT 1 FROM exchange_message WHERE message_id = $1`, [message.messageId]);
      expect(rows).toHaveLength(0);
    });

    it('refuses a replayed nonce', async () => {
      const nonce = randomBytes(16).toString('base64url');
      const first = await send(forward(`http://nonce-${tag}.example.de/1`), { nonce });
      expect(first.status).toBe(202);
      const again = await send(forward(`http://nonce-${tag}.example.de/2`), { nonce });
      expect(again.status).toBe(401);
      expect(await lastRefusal('replayed_nonce')).toMatchObject({ target_id: partner.id });
    });

    it('refuses a stale timestamp', async () => {
      const response = await send(forward(`http://stale-${tag}.example.de/`), { now: new Date(Date.now() - 400_000) });
      expect(response.status).toBe(401);
      expect(await lastRefusal('stale_timestamp')).toMatchObject({ target_id: partner.id });
    });

    it('refuses an unknown key, and a request without signature headers: counted, audited once a minute per reason', async () => {
      // Other test files' apps share this database (and send unsigned requests): only events from
      // here on, and for missing_headers (no key id to tell them apart) nothing about their number.
      const { rows: start } = await db.query(`SELECT coalesce(max(seq), 0) AS seq FROM audit_event`);
      const refusals = async (reason: string, keyId?: string) =>
        (
          await db.query(
            `SELECT detail FROM audit_event WHERE action = 'exchange.refused' AND seq > $1 AND detail->>'reason' = $2 AND ($3::text IS NULL OR detail->>'keyId' = $3) ORDER BY seq`,
            [start[0].seq, reason, keyId ?? null],
          )
        ).rows.map((r) => r.detail);
      const counted = (reason: string) => refusedCount(reason, '(unknown)');
      const stranger = generateExchangeKeyPair();
      const response = await send(forward(`http://stranger-${tag}.example.de/`), { key: stranger });
      expect(response.status).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      // The first of a quiet minute is audited at once.
      expect(await lastRefusal('unknown_key')).toMatchObject({ target_id: null, detail: { keyId: stranger.keyId, partner: null, count: 1 } });

      // The rest of the minute is counted, not audited one by one: strangers do not get to take the audit log's lock.
      for (let i = 0; i < 5; i++) expect((await send(forward(`http://stranger-${tag}.example.de/${i}`), { key: stranger })).status).toBe(401);
      expect(await refusals('unknown_key', stranger.keyId)).toHaveLength(1);
      expect(await counted('unknown_key')).toBe(6);

      const unsigned = await request(consoleApp.getHttpServer()).post(PATH).set('content-type', 'application/json').send('{}');
      expect(unsigned.status).toBe(401);
      const garbage = await request(consoleApp.getHttpServer()).post(PATH).set('content-type', 'application/json').set('x-hotline-key-id', 'not a key id!').send('{}');
      expect(garbage.status).toBe(401);
      expect(await refusals('missing_headers')).toContainEqual(expect.objectContaining({ keyId: null, partner: null, count: 1 }));
      expect(await counted('missing_headers')).toBe(2);

      // What was counted goes to the audit log as one event per reason (by a timer within the minute, or at shutdown).
      await consoleApp.get(ExchangeInboundService).flushRefusals();
      expect(await refusals('unknown_key', stranger.keyId)).toEqual([
        expect.objectContaining({ count: 1 }),
        expect.objectContaining({ count: 5, keyId: stranger.keyId, partner: null, since: expect.any(String), until: expect.any(String) }),
      ]);
      expect((await refusals('missing_headers')).length).toBeGreaterThanOrEqual(2);

      // A known partner's refusals are audited the same way (its key id is public): once a minute per reason, with their number.
      const before = (await refusals('stale_timestamp', partner.theirKeyId)).length;
      for (let i = 0; i < 2; i++) expect((await send(forward(`http://stale-again-${tag}.example.de/${i}`), { now: new Date(Date.now() - 400_000) })).status).toBe(401);
      expect(await refusals('stale_timestamp', partner.theirKeyId)).toHaveLength(before);
      await consoleApp.get(ExchangeInboundService).flushRefusals();
      expect((await refusals('stale_timestamp', partner.theirKeyId)).slice(before)).toEqual([expect.objectContaining({ count: 2, partner: partner.name })]);
    });

    it('audits 300 forged requests naming a known partner as a handful of events, and counts all 300', async () => {
      const { rows: start } = await db.query(`SELECT coalesce(max(seq), 0) AS seq FROM audit_event`);
      // Signed with a key of the forger's, under the partner's (public) key id.
      const forger = { ...generateExchangeKeyPair(), keyId: partner.theirKeyId };
      const countedBefore = await refusedCount('bad_signature', partner.name);
      for (let i = 0; i < 300; i++) {
        const response = await send(forward(`http://forged-${tag}.example.de/${i}`), { key: forger });
        if (response.status !== 401) throw new Error(`forged request ${i}: ${response.status}`);
      }
      expect(await refusedCount('bad_signature', partner.name)).toBe(countedBefore + 300);
      const events = async () =>
        (
          await db.query(`SELECT target_id, detail FROM audit_event WHERE action = 'exchange.refused' AND seq > $1 AND detail->>'keyId' = $2 ORDER BY seq`, [
            start[0].seq,
            partner.theirKeyId,
          ])
        ).rows;
      expect((await events()).length).toBeLessThanOrEqual(2);
      await consoleApp.get(ExchangeInboundService).flushRefusals();
      const audited = await events();
      expect(audited.length).toBeLessThanOrEqual(3);
      expect(audited.every((event) => event.target_id === partner.id && event.detail.partner === partner.name && event.detail.reason === 'bad_signature')).toBe(true);
      expect(audited.reduce((sum, event) => sum + event.detail.count, 0)).toBe(300);
    });

    it('checks the signature before the body: unsigned or forged requests with bad bodies get 401, not 400 or 415', async () => {
      const forger = { ...generateExchangeKeyPair(), keyId: partner.theirKeyId };
      const bad: [string, string][] = [
        ['application/json', '{"not json'],
        ['application/json', '[1, 2, 3]'],
        ['application/json', '{"constructor":{"prototype":{"polluted":true}}}'],
        ['application/json', `{"hashes":${'['.repeat(5_000)}${']'.repeat(5_000)}}`],
        ['text/plain', 'not a message'],
      ];
      for (const [type, body] of bad) {
        const unsigned = await request(consoleApp.getHttpServer()).post(PATH).set('content-type', type).send(body);
        expect({ body: body.slice(0, 40), type, status: unsigned.status }).toEqual({ body: body.slice(0, 40), type, status: 401 });
        expect(unsigned.body.type).toBe('/problems/signature-refused');
        const headers = signRequest({ method: 'POST', path: PATH, body }, forger);
        const forged = await request(consoleApp.getHttpServer()).post(PATH).set(headers).set('content-type', type).send(body);
        expect({ body: body.slice(0, 40), type, status: forged.status }).toEqual({ body: body.slice(0, 40), type, status: 401 });
      }
      // Over the limit: a sender who names no partner of ours is refused from its headers, its body
      // not read; under a partner's key id the body must be read to check it, which it is not (413).
      const big = JSON.stringify({ hashes: 'x'.repeat(70_000) });
      expect((await request(consoleApp.getHttpServer()).post(PATH).set('content-type', 'application/json').send(big)).status).toBe(401);
      expect((await send(big, { key: forger })).status).toBe(413);
      // Signed by the partner, the same bodies are refused for what they are.
      expect((await send('{"not json')).body.type).toBe('/problems/exchange-unreadable');
      expect((await send('[1, 2, 3]')).body.type).toBe('/problems/exchange-invalid');
    });

    it('refuses a disabled partner', async () => {
      const key = generateExchangeKeyPair();
      const other = await directory.add({ name: `at-${tag}`, countries: ['AT'], baseUrl: 'https://at.example', theirPublicKey: key.publicKey }, CLI);
      expect((await send(forward(`http://disabled-${tag}.example.de/1`), { key })).status).toBe(202);
      await directory.disable(other.name, CLI);
      expect((await send(forward(`http://disabled-${tag}.example.de/2`), { key })).status).toBe(401);
    });
  });

  describe('case.ack and case.status for cases we forwarded', () => {
    it('case.ack marks the forward acknowledged and a confirmed case actioned', async () => {
      const { caseId, forwardMessageId } = await forwardedCase('confirmed');
      const ack = {
        messageId: messageId(),
        type: 'case.ack',
        sentAt: new Date().toISOString(),
        inReplyTo: forwardMessageId,
        reference: caseId,
        theirReference: 'DE-4711',
      };
      expect((await send(ack)).status).toBe(202);
      const { rows: actions } = await db.query(`SELECT status, external_ref FROM action WHERE case_id = $1`, [caseId]);
      expect(actions).toEqual([{ status: 'acknowledged', external_ref: 'DE-4711' }]);
      const { rows: cases } = await db.query(`SELECT status FROM "case" WHERE id = $1`, [caseId]);
      expect(cases[0].status).toBe('actioned');
      const { rows: events } = await db.query(
        `SELECT kind, from_status, to_status, detail FROM case_event WHERE case_id = $1 AND detail->>'fixture' IS NULL ORDER BY id`,
        [caseId],
      );
      expect(events).toMatchObject([
        { kind: 'forward_acknowledged', detail: { partner: partner.name, theirReference: 'DE-4711' } },
        { kind: 'transition', from_status: 'confirmed', to_status: 'actioned' },
      ]);
      const unknown = { ...ack, messageId: messageId(), inReplyTo: 'never-sent' };
      expect((await send(unknown)).status).toBe(400);
    });

    it('case.status removed sets the removal time and moves the case to removed', async () => {
      const { caseId } = await forwardedCase('confirmed');
      const at = new Date(Date.now() - 30_000).toISOString();
      const status = { messageId: messageId(), type: 'case.status', sentAt: new Date().toISOString(), reference: caseId, status: 'removed', at };
      expect((await send(status)).status).toBe(202);
      const { rows: cases } = await db.query(`SELECT status, removed_at FROM "case" WHERE id = $1`, [caseId]);
      expect(cases[0].status).toBe('removed');
      expect(cases[0].removed_at.toISOString()).toBe(at);
      const { rows: events } = await db.query(
        `SELECT kind, from_status, to_status, detail FROM case_event WHERE case_id = $1 AND detail->>'fixture' IS NULL ORDER BY id`,
        [caseId],
      );
      expect(events).toMatchObject([
        { kind: 'partner_status', detail: { partner: partner.name, status: 'removed', at } },
        { kind: 'transition', from_status: 'confirmed', to_status: 'actioned' },
        { kind: 'transition', from_status: 'actioned', to_status: 'removed' },
      ]);
      const { rows: stored } = await db.query(`SELECT case_id FROM exchange_message WHERE direction = 'in' AND message_id = $1`, [status.messageId]);
      expect(stored).toEqual([{ case_id: caseId }]);
    });

    it('case.status not_hosted_here rejects the forward and asks the worker to route the case again', async () => {
      const { caseId } = await forwardedCase('actioned');
      const status = {
        messageId: messageId(),
        type: 'case.status',
        sentAt: new Date().toISOString(),
        reference: caseId,
        status: 'not_hosted_here',
        at: new Date().toISOString(),
      };
      expect((await send(status)).status).toBe(202);
      const { rows: actions } = await db.query(`SELECT status, last_error FROM action WHERE case_id = $1 AND partner_id = $2`, [caseId, partner.id]);
      expect(actions).toMatchObject([{ status: 'rejected', last_error: expect.stringContaining('not hosted here') }]);
      const { rows: outbox } = await db.query(`SELECT payload FROM outbox WHERE topic = 'case.act' AND message_key LIKE $1`, [`${caseId}:reroute-%`]);
      expect(outbox).toMatchObject([{ payload: { reason: 'not_hosted_here', partner: partner.name } }]);
    });

    it('refuses an `at` in the future or from before the forward: the partner does not set our removal times', async () => {
      const { caseId } = await forwardedCase('actioned');
      const status = (at: string) => ({ messageId: messageId(), type: 'case.status', sentAt: new Date().toISOString(), reference: caseId, status: 'removed', at });
      for (const at of [new Date(Date.now() + 3_600_000).toISOString(), new Date(Date.now() - 3_600_000).toISOString(), '2001-01-01T00:00:00Z']) {
        const response = await send(status(at));
        expect({ at, status: response.status }).toEqual({ at, status: 400 });
        expect(response.body.errors).toEqual([expect.objectContaining({ field: 'at' })]);
      }
      const { rows } = await db.query(`SELECT status, removed_at FROM "case" WHERE id = $1`, [caseId]);
      expect(rows[0]).toEqual({ status: 'actioned', removed_at: null });
      const { rows: events } = await db.query(`SELECT kind FROM case_event WHERE case_id = $1 AND detail->>'fixture' IS NULL`, [caseId]);
      expect(events).toEqual([]);
      // Within the clocks' skew it is taken.
      expect((await send(status(new Date(Date.now() + 60_000).toISOString()))).status).toBe(202);
    });

    it('after not_hosted_here, takes no other status for the case, and a repeat changes nothing', async () => {
      const { caseId } = await forwardedCase('actioned');
      const status = (value: string) => ({
        messageId: messageId(),
        type: 'case.status',
        sentAt: new Date().toISOString(),
        reference: caseId,
        status: value,
        at: new Date().toISOString(),
      });
      expect((await send(status('not_hosted_here'))).status).toBe(202);
      for (const value of ['removed', 'assessed', 'notice_sent', 'not_illegal']) {
        const response = await send(status(value));
        expect({ value, status: response.status }).toEqual({ value, status: 400 });
        expect(response.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
      }
      const { rows } = await db.query(`SELECT status, removed_at FROM "case" WHERE id = $1`, [caseId]);
      expect(rows[0]).toEqual({ status: 'actioned', removed_at: null });
      expect((await send(status('not_hosted_here'))).status).toBe(202);
      const { rows: outbox } = await db.query(`SELECT 1 FROM outbox WHERE topic = 'case.act' AND message_key LIKE $1`, [`${caseId}:reroute-%`]);
      expect(outbox).toHaveLength(1);
      const { rows: events } = await db.query(`SELECT detail->>'status' AS status FROM case_event WHERE case_id = $1 AND kind = 'partner_status' ORDER BY id`, [caseId]);
      expect(events).toEqual([{ status: 'not_hosted_here' }, { status: 'not_hosted_here' }]);
    });

    it('other statuses only add to the timeline; a case not forwarded to this partner is refused', async () => {
      const { caseId } = await forwardedCase('actioned');
      const status = {
        messageId: messageId(),
        type: 'case.status',
        sentAt: new Date().toISOString(),
        reference: caseId,
        status: 'notice_sent',
        at: new Date().toISOString(),
      };
      expect((await send(status)).status).toBe(202);
      const { rows } = await db.query(`SELECT status FROM "case" WHERE id = $1`, [caseId]);
      expect(rows[0].status).toBe('actioned');
      const { rows: events } = await db.query(`SELECT kind FROM case_event WHERE case_id = $1 AND detail->>'fixture' IS NULL`, [caseId]);
      expect(events).toEqual([{ kind: 'partner_status' }]);
      for (const reference of [randomUUID(), 'not-a-case-id']) {
        expect((await send({ ...status, messageId: messageId(), reference })).status).toBe(400);
      }
    });
  });

  describe('what we tell the partner a case came from (staff)', () => {
    /** A case of ours that came from the partner (its reference kept), in `status`, leased to `holder` when given. */
    async function partnerCase(status: string, holder?: SignedInStaff): Promise<{ caseId: string; reference: string }> {
      const caseId = randomUUID();
      const reference = `their-${randomUUID()}`;
      const url = `http://from-partner-${randomBytes(4).toString('hex')}.example.nl/x`;
      await db.query(
        `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, queue, first_reported_at, last_reported_at, source, partner_id, partner_reference, lease_holder, lease_expires_at)
         VALUES ($1, $2, $3, $4, $5, 'partner-inbound', now(), now(), 'partner', $6, $7, $8, CASE WHEN $8::uuid IS NULL THEN NULL ELSE now() + interval '15 minutes' END)`,
        [caseId, dedupKey(url), url, new URL(url).host, status, partner.id, reference, holder?.id ?? null],
      );
      await recordFixtureCreated(db, caseId);
      if (holder) await db.query(`INSERT INTO case_lease (case_id, staff_user_id, expires_at) VALUES ($1, $2, now() + interval '15 minutes')`, [caseId, holder.id]);
      return { caseId, reference };
    }

    const api = (who: SignedInStaff, path: string, body: object = {}) => request(consoleApp.getHttpServer()).post(path).set('authorization', who.bearer).send(body);
    const statusesSent = async (caseId: string) =>
      (
        await db.query(`SELECT partner_id, payload FROM exchange_message WHERE case_id = $1 AND direction = 'out' AND type = 'case.status' ORDER BY created_at, id`, [
          caseId,
        ])
      ).rows;

    it('a final non-illegal verdict, by assessment or review, sends the partner not_illegal or not_found in the same commit', async () => {
      for (const [verdict, sent] of [
        ['not_illegal', 'not_illegal'],
        ['harmful_not_illegal', 'not_illegal'],
        ['out_of_remit', 'not_illegal'],
        ['unassessable', 'not_found'],
      ]) {
        const { caseId, reference } = await partnerCase('in_assessment', analyst);
        expect((await api(analyst, `/api/v1/cases/${caseId}/assessment`, { verdict })).status).toBe(200);
        expect(await statusesSent(caseId)).toEqual([
          {
            partner_id: partner.id,
            payload: expect.objectContaining({ type: 'case.status', reference, status: sent, at: expect.any(String), messageId: expect.any(String) }),
          },
        ]);
      }

      // Through review: an illegal verdict overturned to a non-illegal one.
      const senior = await signIn(consoleApp, 'senior_analyst');
      const { caseId, reference } = await partnerCase('pending_review');
      await db.query(`UPDATE "case" SET verdict = 'national', assessed_by = $2, assessed_at = now() WHERE id = $1`, [caseId, analyst.id]);
      await db.query(`INSERT INTO assessment (id, case_id, kind, staff_user_id, verdict) VALUES ($1, $2, 'assessment', $3, 'national')`, [
        randomUUID(),
        caseId,
        analyst.id,
      ]);
      expect(await statusesSent(caseId)).toEqual([]);
      const reviewed = await api(senior, `/api/v1/cases/${caseId}/review`, { decision: 'overturn', verdict: 'harmful_not_illegal' });
      expect(reviewed.status).toBe(200);
      expect(reviewed.body.status).toBe('harmful_not_illegal');
      expect(await statusesSent(caseId)).toEqual([{ partner_id: partner.id, payload: expect.objectContaining({ reference, status: 'not_illegal' }) }]);

      // A case that came from nobody tells nobody.
      const { caseId: ours } = await partnerCase('in_assessment', analyst);
      await db.query(`UPDATE "case" SET partner_id = NULL, partner_reference = NULL WHERE id = $1`, [ours]);
      expect((await api(analyst, `/api/v1/cases/${ours}/assessment`, { verdict: 'not_illegal' })).status).toBe(200);
      expect(await statusesSent(ours)).toEqual([]);
    });

    it('POST /cases/{id}/not-hosted-here tells the partner, records it, and takes a case being assessed out of the queue as out_of_remit', async () => {
      const { caseId, reference } = await partnerCase('in_assessment', analyst);
      const response = await api(analyst, `/api/v1/cases/${caseId}/not-hosted-here`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        partnersTold: [partner.name],
        outOfRemit: true,
        detail: expect.stringContaining('out_of_remit'),
        case: { id: caseId, status: 'out_of_remit', queue: null },
      });
      expect(await statusesSent(caseId)).toEqual([{ partner_id: partner.id, payload: expect.objectContaining({ reference, status: 'not_hosted_here' }) }]);
      const { rows } = await db.query(`SELECT status, verdict, queue, lease_holder FROM "case" WHERE id = $1`, [caseId]);
      expect(rows[0]).toEqual({ status: 'out_of_remit', verdict: 'out_of_remit', queue: null, lease_holder: null });
      const { rows: leases } = await db.query(`SELECT end_reason FROM case_lease WHERE case_id = $1`, [caseId]);
      expect(leases).toEqual([{ end_reason: 'released' }]);
      const { rows: events } = await db.query(
        `SELECT kind, from_status, to_status, detail FROM case_event WHERE case_id = $1 AND detail->>'fixture' IS NULL ORDER BY id`,
        [caseId],
      );
      expect(events).toMatchObject([
        { kind: 'transition', from_status: 'in_assessment', to_status: 'out_of_remit' },
        { kind: 'not_hosted_here', detail: { partners: [partner.name], by: analyst.id, outOfRemit: true } },
      ]);
      const { rows: audit } = await db.query(`SELECT actor_id, detail FROM audit_event WHERE action = 'case.not_hosted_here' AND target_id = $1`, [caseId]);
      expect(audit).toEqual([{ actor_id: analyst.id, detail: { partnersTold: [partner.name], fromStatus: 'in_assessment', toStatus: 'out_of_remit' } }]);

      // Once is enough.
      expect((await api(analyst, `/api/v1/cases/${caseId}/not-hosted-here`)).body).toMatchObject({ type: '/problems/partners-already-told', status: 409 });
      expect(await statusesSent(caseId)).toHaveLength(1);
    });

    it('leaves a status the state machine does not let go to out_of_remit, and says so', async () => {
      const { caseId } = await partnerCase('queued');
      const response = await api(analyst, `/api/v1/cases/${caseId}/not-hosted-here`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        partnersTold: [partner.name],
        outOfRemit: false,
        detail: expect.stringContaining('stays queued'),
        case: { status: 'queued', queue: 'partner-inbound' },
      });
      expect((await statusesSent(caseId)).map((row) => row.payload.status)).toEqual(['not_hosted_here']);

      // Another analyst's live lease, a case from no partner, a role without cases.act, no such case.
      const other = await signIn(consoleApp, 'analyst');
      const { caseId: held } = await partnerCase('in_assessment', other);
      expect((await api(analyst, `/api/v1/cases/${held}/not-hosted-here`)).body).toMatchObject({ type: '/problems/lease-held-by-other', status: 409 });
      const { caseId: ours } = await partnerCase('in_assessment', analyst);
      await db.query(`UPDATE "case" SET partner_id = NULL, partner_reference = NULL WHERE id = $1`, [ours]);
      expect((await api(analyst, `/api/v1/cases/${ours}/not-hosted-here`)).body).toMatchObject({ type: '/problems/case-not-from-partner', status: 409 });
      expect((await api(admin, `/api/v1/cases/${held}/not-hosted-here`)).status).toBe(403);
      expect((await api(analyst, `/api/v1/cases/${randomUUID()}/not-hosted-here`)).status).toBe(404);
      for (const id of [held, ours]) expect(await statusesSent(id)).toEqual([]);
    });
  });

  describe('admin API', () => {
    const api = () => request(consoleApp.getHttpServer());

    it('registers, lists, rotates and disables partners (admins only)', async () => {
      const key = generateExchangeKeyPair();
      const name = `fr-${tag}`;
      const created = await api()
        .post('/api/v1/partners')
        .set('authorization', admin.bearer)
        .send({ name, countries: ['FR'], baseUrl: 'https://fr.example/', publicKey: key.publicKey, rateLimitPerMinute: 30 });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name, countries: ['FR'], baseUrl: 'https://fr.example', status: 'active', rateLimitPerMinute: 30, theirKeyId: key.keyId });
      expect(created.body.ourPublicKey).toEqual(expect.any(String));
      expect(JSON.stringify(created.body)).not.toMatch(/private/i);

      const list = await api().get('/api/v1/partners').set('authorization', admin.bearer);
      expect(list.status).toBe(200);
      expect(list.body.map((p: { name: string }) => p.name)).toContain(name);

      expect(created.body).toMatchObject({ nextKeyId: null, nextPublicKey: null });
      const early = await api().post(`/api/v1/partners/${name}/activate-key`).set('authorization', admin.bearer);
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ type: '/problems/partner-no-next-key', detail: expect.stringContaining(`Partner ${name} has no next key`) });
      const rotated = await api().post(`/api/v1/partners/${name}/rotate-key`).set('authorization', admin.bearer);
      expect(rotated.status).toBe(200);
      expect(rotated.body).toMatchObject({
        ourKeyId: created.body.ourKeyId,
        ourPublicKey: created.body.ourPublicKey,
        nextKeyId: expect.any(String),
        nextPublicKey: expect.any(String),
      });
      expect(rotated.body.nextKeyId).not.toBe(created.body.ourKeyId);
      const activated = await api().post(`/api/v1/partners/${name}/activate-key`).set('authorization', admin.bearer);
      expect(activated.status).toBe(200);
      expect(activated.body).toMatchObject({ ourKeyId: rotated.body.nextKeyId, ourPublicKey: rotated.body.nextPublicKey, nextKeyId: null, nextPublicKey: null });
      expect((await api().post(`/api/v1/partners/no-such-${tag}/activate-key`).set('authorization', admin.bearer)).status).toBe(404);

      const disabled = await api().post(`/api/v1/partners/${name}/disable`).set('authorization', admin.bearer);
      expect(disabled.status).toBe(200);
      expect(disabled.body.status).toBe('disabled');

      const { rows: audit } = await db.query(`SELECT action, actor_id FROM audit_event WHERE target_type = 'partner' AND target_id = $1 ORDER BY seq`, [created.body.id]);
      expect(audit).toEqual([
        { action: 'partner.added', actor_id: admin.id },
        { action: 'partner.key_prepared', actor_id: admin.id },
        { action: 'partner.key_activated', actor_id: admin.id },
        { action: 'partner.disabled', actor_id: admin.id },
      ]);

      expect((await api().get('/api/v1/partners').set('authorization', analyst.bearer)).status).toBe(403);
      expect((await api().post(`/api/v1/partners/no-such-${tag}/disable`).set('authorization', admin.bearer)).status).toBe(404);
    });

    it('refuses bad input with 400', async () => {
      const key = generateExchangeKeyPair();
      const good = { name: `it-${tag}`, countries: ['IT'], baseUrl: 'https://it.example', publicKey: key.publicKey };
      for (const body of [
        { ...good, name: 'Bad Name' },
        { ...good, countries: ['it'] },
        { ...good, countries: [] },
        { ...good, baseUrl: 'ftp://it.example' },
        { ...good, publicKey: 'bm90IGEga2V5' },
        { ...good, publicKey: theirs.publicKey },
        { ...good, name: partner.name },
        { ...good, extra: true },
      ]) {
        const response = await api().post('/api/v1/partners').set('authorization', admin.bearer).send(body);
        expect({ body, status: response.status }).toEqual({ body, status: 400 });
      }
    });
  });

  describe('CLI partner commands', () => {
    it('adds, lists, rotates, sets the key of and disables a partner; bad input is a usage error', async () => {
      const key = generateExchangeKeyPair();
      const name = `cli-${tag}`;
      const added = JSON.parse(
        await partnerAdd(directory, { name, countries: 'BE,LU', baseUrl: 'https://be.example', publicKey: key.publicKey, rateLimit: 10, json: true }),
      );
      expect(added).toMatchObject({
        name,
        countries: ['BE', 'LU'],
        rateLimitPerMinute: 10,
        theirKeyId: key.keyId,
        ourKeyId: expect.any(String),
        ourPublicKey: expect.any(String),
      });
      expect(
        await partnerAdd(directory, { name: `cli2-${tag}`, countries: 'NL', baseUrl: 'https://nl.example', publicKey: generateExchangeKeyPair().publicKey }),
      ).toMatch(/^added partner cli2-.*\nour key id: .*\nour public key \(give it to cli2-.*\): /);
      const listed = JSON.parse(await partnerList(directory, true));
      expect(listed.find((p: { name: string }) => p.name === name)).toMatchObject({ status: 'active', ourKeyId: added.ourKeyId });
      expect(await partnerList(directory)).toContain(`${name} active BE,LU https://be.example 10/min`);

      const rotated = JSON.parse(await partnerRotateKey(directory, name, true));
      expect(rotated).toEqual({ id: added.id, name, ourKeyId: added.ourKeyId, nextKeyId: expect.any(String), nextPublicKey: expect.any(String) });
      expect(rotated.nextKeyId).not.toBe(added.ourKeyId);
      expect((await directory.signingKey(added.id)).keyId).toBe(added.ourKeyId);
      expect(await partnerRotateKey(directory, name, false, true)).toBe(`activated our next key for ${name}: we now sign with key id ${rotated.nextKeyId}\n`);
      expect((await directory.signingKey(added.id)).keyId).toBe(rotated.nextKeyId);
      expect(await partnerRotateKey(directory, name)).toMatch(
        new RegExp(
          `^prepared a next key of ours for ${name} \\(we still sign with key id ${rotated.nextKeyId}\\)\nnext key id: .*\nnext public key \\(give it to ${name}\\): .*\nonce ${name} has installed it: partner:rotate-key ${name} --activate\n$`,
        ),
      );

      const next = generateExchangeKeyPair();
      expect(await partnerSetKey(directory, name, next.publicKey)).toBe(
        `installed the new public key of ${name}: key id ${next.keyId} (its previous key is still accepted for 24 hours)\n`,
      );
      expect(await directory.findByTheirKeyId(next.keyId)).toMatchObject({ id: added.id, name, theirKeyId: next.keyId, theirPublicKey: next.publicKey });
      // The previous key, within its grace period.
      expect(await directory.findByTheirKeyId(key.keyId)).toMatchObject({ id: added.id, name, theirKeyId: key.keyId, theirPublicKey: key.publicKey });

      expect(await partnerDisable(directory, name)).toBe(`disabled partner ${name} (${added.id})\n`);
      expect(await directory.findByTheirKeyId(next.keyId)).toBeNull();
      expect(await directory.findByTheirKeyId(key.keyId)).toBeNull();

      const bad: [string, () => Promise<string>][] = [
        ['partner:add', () => partnerAdd(directory, { name: `x-${tag}`, countries: 'Germany', baseUrl: 'https://x.example', publicKey: next.publicKey })],
        ['partner:add', () => partnerAdd(directory, { name: `x-${tag}`, countries: 'DE', baseUrl: 'not a url', publicKey: generateExchangeKeyPair().publicKey })],
        ['partner:add', () => partnerAdd(directory, { name: `x-${tag}`, countries: 'DE', baseUrl: 'https://x.example', publicKey: 'AAAA' })],
        ['partner:disable', () => partnerDisable(directory, `missing-${tag}`)],
        ['partner:rotate-key', () => partnerRotateKey(directory, `missing-${tag}`)],
        ['partner:rotate-key --activate', () => partnerRotateKey(directory, `missing-${tag}`, false, true)],
        ['partner:rotate-key --activate', () => partnerRotateKey(directory, `cli2-${tag}`, false, true)],
        ['partner:set-key', () => partnerSetKey(directory, name, 'AAAA')],
      ];
      for (const [command, run] of bad) {
        const error = await run().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(UsageError);
        expect((error as Error).message).toMatch(new RegExp(`^${command}: `));
      }
    });
  });

  describe('gapless key rotation', () => {
    it("keeps accepting a partner's previous key for the grace period after set-key, then refuses it", async () => {
      const old = generateExchangeKeyPair();
      const rotating = await directory.add({ name: `ch-${tag}`, countries: ['CH'], baseUrl: 'http://127.0.0.1:9', theirPublicKey: old.publicKey }, CLI);
      const url = (n: number) => `http://rotation-${n}-${tag}.example.de/x`;
      expect((await send(forward(url(1)), { key: old })).status).toBe(202);

      const fresh = generateExchangeKeyPair();
      await directory.setKey(rotating.name, fresh.publicKey, CLI);
      expect((await send(forward(url(2)), { key: old })).status).toBe(202);
      expect((await send(forward(url(3)), { key: fresh })).status).toBe(202);
      const { rows: filed } = await db.query(`SELECT count(*)::int AS n FROM report WHERE partner_id = $1`, [rotating.id]);
      expect(filed).toEqual([{ n: 3 }]);

      const { rows: audit } = await db.query(`SELECT detail FROM audit_event WHERE action = 'partner.key_set' AND target_id = $1`, [rotating.id]);
      expect(audit).toEqual([{ detail: { name: rotating.name, from: old.keyId, to: fresh.keyId, previousValidUntil: expect.any(String) } }]);
      const until = Date.parse(audit[0].detail.previousValidUntil) - Date.now();
      expect(until).toBeGreaterThan(23.9 * 3600_000);
      expect(until).toBeLessThanOrEqual(24 * 3600_000);

      // Setting the same key again keeps the grace period of the previous one.
      await directory.setKey(rotating.name, fresh.publicKey, CLI);
      expect(await directory.findByTheirKeyId(old.keyId)).toMatchObject({ id: rotating.id, theirPublicKey: old.publicKey });

      // The grace period over: the old key is unknown; the new one still works.
      await db.query(`UPDATE partner SET previous_their_key_until = now() - interval '1 second' WHERE id = $1`, [rotating.id]);
      expect((await send(forward(url(4)), { key: old })).status).toBe(401);
      expect(await directory.findByTheirKeyId(old.keyId)).toBeNull();
      expect((await send(forward(url(5)), { key: fresh })).status).toBe(202);

      await directory.disable(rotating.name, CLI);
    });

    it('prepares our next key without changing what we sign with, and activates it; activating nothing is refused', async () => {
      const rotating = await directory.add(
        { name: `li-${tag}`, countries: ['LI'], baseUrl: 'http://127.0.0.1:9', theirPublicKey: generateExchangeKeyPair().publicKey },
        CLI,
      );
      const before = await directory.signingKey(rotating.id);

      await expect(directory.activateKey(rotating.name, CLI)).rejects.toMatchObject({ name: 'PartnerDirectoryError', kind: 'state' });
      expect(await directory.signingKey(rotating.id)).toEqual(before);

      const prepared = await directory.rotateKey(rotating.name, CLI);
      expect(prepared).toMatchObject({
        ourKeyId: rotating.ourKeyId,
        ourPublicKey: rotating.ourPublicKey,
        nextKeyId: expect.any(String),
        nextPublicKey: expect.any(String),
      });
      expect(prepared.nextPublicKey).not.toBe(rotating.ourPublicKey);
      expect(prepared.nextKeyId).not.toBe(rotating.ourKeyId);
      expect(await directory.signingKey(rotating.id)).toEqual(before);
      const { rows: sealed } = await db.query(`SELECT our_next_private_key_encrypted FROM partner WHERE id = $1`, [rotating.id]);
      expect(sealed[0].our_next_private_key_encrypted.toString('latin1')).not.toContain('MC4CAQAwBQYDK2Vw');

      const activated = await directory.activateKey(rotating.name, CLI);
      expect(activated).toMatchObject({ ourKeyId: prepared.nextKeyId, ourPublicKey: prepared.nextPublicKey, nextKeyId: null, nextPublicKey: null });
      const after = await directory.signingKey(rotating.id);
      expect(after.keyId).toBe(prepared.nextKeyId);
      expect(after.privateKey).not.toBe(before.privateKey);
      // The activated private key signs what the prepared public key verifies.
      const headers = signRequest({ method: 'POST', path: PATH, body: '{}' }, after);
      expect(verifyRequest({ method: 'POST', path: PATH, body: '{}', headers }, parsePublicKey(prepared.nextPublicKey!)!)).toBeNull();

      // Once is enough: nothing is prepared any more.
      await expect(directory.activateKey(rotating.name, CLI)).rejects.toMatchObject({ kind: 'state' });
      const { rows: audit } = await db.query(`SELECT action, detail FROM audit_event WHERE target_type = 'partner' AND target_id = $1 ORDER BY seq`, [rotating.id]);
      expect(audit).toEqual([
        { action: 'partner.added', detail: expect.any(Object) },
        { action: 'partner.key_prepared', detail: { name: rotating.name, current: rotating.ourKeyId, next: prepared.nextKeyId, replaced: null } },
        { action: 'partner.key_activated', detail: { name: rotating.name, from: rotating.ourKeyId, to: prepared.nextKeyId } },
      ]);
      await directory.disable(rotating.name, CLI);
    });
  });
});
