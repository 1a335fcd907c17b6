import { uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { forceCaseStatus, recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';

const tag = randomBytes(3).toString('hex');
const QUEUE = `case-page-${tag}`;
const CLASSIFICATION_FORM = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: 'no', legalCategory: 'B' };

/**
 * The console's case page through console-api with supertest (bearer tokens, so no CSRF field):
 * what it shows and never shows, the timeline, assessing by the form (errors shown again, submit,
 * submit and claim next), revealing as text, blind review, appeals, and refusals as pages.
 */
describe('console case page', () => {
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let analyst: SignedInStaff;
  let otherAnalyst: SignedInStaff;
  let seniorA: SignedInStaff;
  let seniorB: SignedInStaff;
  let admin: SignedInStaff;
  let regulator: SignedInStaff;

  beforeAll(async () => {
    consoleApp = await createConsoleApp(testConfig({ REDIS_PREFIX: `{hotline-case-page-${tag}}`, NODE_ENV: 'test', LEGAL_CATEGORIES: 'A,B,C' }));
    db = await connectDatabase();
    await db.query(`INSERT INTO review_queue (name, description) VALUES ($1, 'case page e2e')`, [QUEUE]);
    [analyst, otherAnalyst, seniorA, seniorB, admin, regulator] = await Promise.all([
      signIn(consoleApp, 'analyst'),
      signIn(consoleApp, 'analyst'),
      signIn(consoleApp, 'senior_analyst'),
      signIn(consoleApp, 'senior_analyst'),
      signIn(consoleApp, 'admin'),
      signIn(consoleApp, 'regulator'),
    ]);
  });

  afterAll(async () => {
    await consoleApp?.close();
    await db?.end();
  });

  const server = () => consoleApp.getHttpServer();
  const page = (who: SignedInStaff, path: string) => request(server()).get(path).set('authorization', who.bearer);
  const postForm = (who: SignedInStaff, path: string, form: Record<string, string>) =>
    request(server()).post(path).set('authorization', who.bearer).type('form').send(form);

  /** A case with one public report of its URL: held by `holder` under a live lease, or queued in QUEUE. */
  async function fixtureCase(name: string, options: { holder?: SignedInStaff; queuedAgo?: string } = {}): Promise<{ id: string; url: string; host: string }> {
    const id = uuidv7();
    const host = `${name}-${tag}.example.com`;
    const url = `http://${host}/gallery/${name}?page=2`;
    const held = options.holder !== undefined;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, queue, queued_at, report_count, first_reported_at, last_reported_at,
                           priority, priority_factors, lease_holder, lease_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() - $8::interval, 1, now(), now(), 25, $9::jsonb, $10, CASE WHEN $10::uuid IS NULL THEN NULL ELSE now() + interval '15 minutes' END)`,
      [
        id,
        randomBytes(32).toString('hex'),
        url,
        host,
        host,
        held ? 'in_assessment' : 'queued',
        QUEUE,
        options.queuedAgo ?? '1 minute',
        JSON.stringify([{ factor: 'content_type', points: 20, detail: 'most severe reported: images' }]),
        options.holder?.id ?? null,
      ],
    );
    await recordFixtureCreated(db, id);
    if (held) await db.query(`INSERT INTO case_lease (case_id, staff_user_id, expires_at) VALUES ($1, $2, now() + interval '15 minutes')`, [id, options.holder!.id]);
    const reportId = uuidv7();
    await db.query(
      `INSERT INTO report (id, reference, status_token_hash, source, received_at, language, content_type, victim_identifiable, url_count)
       VALUES ($1, $2, $3, 'public_web', now(), 'fr', 'images', false, 1)`,
      [reportId, `REF-${tag}-${randomBytes(4).toString('hex')}`, randomBytes(32)],
    );
    await db.query(
      `INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at, case_id)
       VALUES ($1, $2, 0, $3, $3, $4, $5, now(), $6)`,
      [uuidv7(), reportId, url, randomBytes(32).toString('hex'), host, id],
    );
    return { id, url, host };
  }

  async function caseRow(id: string): Promise<Record<string, any>> {
    const { rows } = await db.query(`SELECT * FROM "case" WHERE id = $1`, [id]);
    return rows[0];
  }

  /** The start tag of the element with `id` (attributes may span lines). */
  function tagOf(body: string, id: string): string {
    return new RegExp(`<[a-z]+\\b[^>]*\\bid="${id}"[^>]*>`).exec(body)?.[0] ?? '';
  }

  const isChecked = (body: string, id: string) => /\schecked\b/.test(tagOf(body, id));

  /** What the page shows: never content, never the raw URL, never a link to the reported host. */
  function expectNoContent(body: string, url: string, host: string): void {
    expect(body).not.toMatch(/<img|<iframe|<video|<audio|<embed|<object/i);
    expect(body).not.toContain(host);
    const hrefs = [...body.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
    expect(hrefs.filter((href) => href.includes(host) || href.includes(host.replace(/\./g, '[.]')) || /^https?:/i.test(href))).toEqual([]);
    expect(body).not.toContain(url);
  }

  it('shows the case defanged, with its facts and timeline, to the lease holder', async () => {
    const held = await fixtureCase('shown', { holder: analyst });
    const response = await page(analyst, `/cases/${held.id}`).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    const body = response.text;
    expectNoContent(body, held.url, held.host);
    expect(body).toContain(`hxxp://shown-${tag}[.]example[.]com/gallery/shown?page=2`);
    expect(body).toContain('Being assessed');
    expect(body).toContain('Reported content type'); // the priority factor
    expect(body).toContain('Public web form'); // the report's channel, metadata only
    expect(body).not.toContain('REF-'); // never the reporter's reference
    // the timeline, from case_event
    expect(body).toMatch(/<ol class="timeline"[^>]*>[\s\S]*Case opened[\s\S]*<\/ol>/);
    // the lease: countdown, heartbeat and release on leave for console.js, the lost-lease alert
    expect(body).toMatch(/<span id="lease-countdown"[^>]*data-countdown-to="\d{4}-\d\d-\d\dT/);
    expect(body).toContain(`data-lease-case="${held.id}"`);
    expect(body).toContain(`data-heartbeat-url="/api/v1/cases/${held.id}/heartbeat"`);
    expect(body).toContain(`data-leave-url="/api/v1/cases/${held.id}/leave"`);
    expect(body).toMatch(/<div id="lease-lost"[^>]*hidden/);
    expect(body).toContain('id="exposure-meter"');
    // keys: verdicts 1..6, submit, submit and next, release, reveal
    for (const key of ['1', '2', '3', '4', '5', '6']) expect(body).toMatch(new RegExp(`type="radio"[^>]*data-key="${key}"`));
    for (const key of ['s', 'n', 'r']) expect(body).toMatch(new RegExp(`<button[^>]*data-key="${key}"\\s+aria-keyshortcuts="${key}"`));
    expect(body).toMatch(/<textarea[^>]*data-key="v"[^>]*data-key-focus/);
    expect(body).toContain('National legal category');
    ['A', 'B', 'C'].forEach((category, i) => expect(tagOf(body, `legalCategory-${i}`)).toContain(`value="${category}"`));

    // the view is audited with the case it showed
    const { rows } = await db.query(`SELECT detail FROM audit_event WHERE action = 'GET /cases/:id' AND target_id = $1`, [held.id]);
    expect(rows.map((row) => row.detail.caseIds)).toEqual([[held.id]]);
  });

  it('adds the timeline to the JSON case view', async () => {
    const held = await fixtureCase('api', { holder: analyst });
    const response = await request(server()).get(`/api/v1/cases/${held.id}`).set('authorization', analyst.bearer).expect(200);
    expect(response.body.timeline).toEqual([
      { at: expect.any(String), kind: 'created', fromStatus: null, toStatus: 'in_assessment', actorId: null, detail: { fixture: true }, withheld: false },
    ]);
  });

  it('shows the classification problems next to their fields, in the user’s language, and keeps what was typed', async () => {
    const held = await fixtureCase('missing', { holder: analyst });
    const missing = await postForm(analyst, `/cases/${held.id}/assessment`, { verdict: 'national', ageGroup: 'infant', notes: 'kept notes' });
    expect(missing.status).toBe(400);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    const body = missing.text;
    expect(body).toContain('id="errors"');
    for (const text of [
      'Choose the gender of the victims',
      'Choose the content type.',
      'Choose the site type.',
      'Say whether it is commercial.',
      'Choose the national legal category.',
    ]) {
      expect(body).toContain(text);
    }
    expect(body).not.toContain('Choose the age group of the victims.');
    expect(body).toMatch(/<p class="field-error" id="gender-error">/);
    expect(body).toContain('href="#gender-female"');
    expect(isChecked(body, 'verdict-national')).toBe(true);
    expect(isChecked(body, 'ageGroup-infant')).toBe(true);
    expect(body).toContain('kept notes');
    expect((await caseRow(held.id)).status).toBe('in_assessment');

    // in French for a user who reads French
    await db.query(`UPDATE staff_user SET language = 'fr' WHERE id = $1`, [analyst.id]);
    try {
      const french = await postForm(analyst, `/cases/${held.id}/assessment`, { verdict: 'baseline' });
      expect(french.status).toBe(400);
      expect(french.text).toContain('Choisissez la tranche d’âge des victimes.');
    } finally {
      await db.query(`UPDATE staff_user SET language = NULL WHERE id = $1`, [analyst.id]);
    }

    // a classification on a verdict that has none is refused, and cleared for the next try
    const refused = await postForm(analyst, `/cases/${held.id}/assessment`, { verdict: 'not_illegal', ageGroup: 'infant' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Only the two illegal verdicts are classified.');
    expect(isChecked(refused.text, 'ageGroup-infant')).toBe(false);
    expect(isChecked(refused.text, 'verdict-not_illegal')).toBe(true);

    // no verdict at all
    const none = await postForm(analyst, `/cases/${held.id}/assessment`, {});
    expect(none.status).toBe(400);
    expect(none.text).toContain('Choose a verdict.');
  });

  it('assesses through the form: the case goes to review and the analyst back to the queues', async () => {
    const held = await fixtureCase('assessed', { holder: analyst });
    const response = await postForm(analyst, `/cases/${held.id}/assessment`, {
      verdict: 'national',
      ...CLASSIFICATION_FORM,
      notes: 'seen in the viewer',
      then: 'queues',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/queues');
    expect(await caseRow(held.id)).toMatchObject({
      status: 'pending_review',
      verdict: 'national',
      classification: { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' },
      assessed_by: analyst.id,
      lease_holder: null,
    });
    const { rows } = await db.query(`SELECT action FROM audit_event WHERE target_id = $1 ORDER BY seq`, [held.id]);
    expect(rows.map((row) => row.action)).toEqual(['case.assessed']);
    const api = await request(server()).get(`/api/v1/cases/${held.id}`).set('authorization', analyst.bearer).expect(200);
    expect(api.body.status).toBe('pending_review');
    expect(api.body.timeline.map((event: { kind: string; toStatus: string }) => [event.kind, event.toStatus])).toEqual([
      ['created', 'in_assessment'],
      ['transition', 'pending_review'],
    ]);

    // the page of a case no longer held has no form; posting again is a 409 page
    const after = await page(analyst, `/cases/${held.id}`).expect(200);
    expect(after.text).not.toContain('action="/cases/' + held.id + '/assessment"');
    expect(after.text).toContain('Waiting for a second review');
    const again = await postForm(analyst, `/cases/${held.id}/assessment`, { verdict: 'not_illegal' });
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/^text\/html/);
  });

  it('submits and claims the next case of the same queue, then says when the queue is empty', async () => {
    // The queue may hold cases of earlier tests: take them out of it first.
    await db.query(`UPDATE "case" SET queue = NULL WHERE queue = $1 AND status = 'queued'`, [QUEUE]);
    const held = await fixtureCase('first', { holder: otherAnalyst });
    const next = await fixtureCase('next', { queuedAgo: '10 minutes' });
    const response = await postForm(otherAnalyst, `/cases/${held.id}/assessment`, { verdict: 'not_illegal', then: 'next' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/cases/${next.id}`);
    expect(await caseRow(held.id)).toMatchObject({ status: 'not_illegal', verdict: 'not_illegal' });
    expect(await caseRow(next.id)).toMatchObject({ status: 'in_assessment', lease_holder: otherAnalyst.id });

    const last = await postForm(otherAnalyst, `/cases/${next.id}/assessment`, { verdict: 'out_of_remit', then: 'next' });
    expect(last.status).toBe(303);
    expect(last.headers.location).toBe(`/queues?empty=${QUEUE}`);
  });

  it('releases the case back to its queue', async () => {
    const held = await fixtureCase('released', { holder: analyst });
    const response = await postForm(analyst, `/cases/${held.id}/release`, {});
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/queues');
    expect(await caseRow(held.id)).toMatchObject({ status: 'queued', lease_holder: null });
    await db.query(`UPDATE "case" SET queue = NULL WHERE id = $1`, [held.id]);
  });

  it('reveals the raw URL as text with a copy button, never a link, and audits the reason', async () => {
    const held = await fixtureCase('revealed', { holder: analyst });
    const short = await postForm(analyst, `/cases/${held.id}/reveal`, { reason: 'too short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Give a reason of 10 to 500 characters.');
    expect(short.text).toContain('too short');
    expect(short.text).not.toContain(held.url);

    const response = await postForm(analyst, `/cases/${held.id}/reveal`, { reason: 'need to check the gallery page' });
    expect(response.status).toBe(200);
    const body = response.text;
    expect(body).toContain(`<code id="revealed-url" class="url" dir="ltr">http://revealed-${tag}.example.com/gallery/revealed?page=2</code>`);
    expect(body).toMatch(/<button type="button"[^>]*data-copy="revealed-url" data-copy-status="copy-status" data-copied-text="Copied."\s+hidden/);
    expect(body).toContain('<span id="copy-status" role="status"></span>');
    const hrefs = [...body.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
    expect(hrefs.filter((href) => href.includes(held.host) || /^https?:/i.test(href))).toEqual([]);
    expect(body).not.toMatch(/<img|<iframe|<video/i);
    // the page still holds the lease (heartbeat, release on leave)
    expect(body).toContain(`data-lease-case="${held.id}"`);

    const { rows } = await db.query(`SELECT actor_id, detail FROM audit_event WHERE target_id = $1 AND action = 'case.revealed'`, [held.id]);
    expect(rows).toEqual([{ actor_id: analyst.id, detail: { reason: 'need to check the gallery page' } }]);

    // nobody else may reveal it
    const other = await postForm(otherAnalyst, `/cases/${held.id}/reveal`, { reason: 'curious about this one' });
    expect(other.status).toBe(409);
    expect(other.text).not.toContain(held.url);
  });

  it('lets a senior analyst review blind, and refuses the one who took part', async () => {
    const held = await fixtureCase('review', { holder: seniorA });
    expect((await postForm(seniorA, `/cases/${held.id}/assessment`, { verdict: 'baseline', ...CLASSIFICATION_FORM })).status).toBe(303);

    const view = await page(seniorB, `/cases/${held.id}`).expect(200);
    expectNoContent(view.text, held.url, held.host);
    expect(view.text).toContain(`action="/cases/${held.id}/review"`);
    expect(view.text).toContain('Blind review: the first verdict is hidden.');
    expect(view.text).toContain('Hidden until you give your own (blind review)');
    expect(view.text).toContain('Hidden (blind review)');
    expect(view.text).not.toContain('verdict: baseline'); // the timeline's detail is withheld
    expect(view.text).toContain('Details hidden during blind review.');
    expect(view.text).toMatch(/<textarea[^>]*data-key="v"/); // an eligible reviewer may reveal

    // the assessor sees no review form and is refused the review (audited)
    const own = await page(seniorA, `/cases/${held.id}`).expect(200);
    expect(own.text).not.toContain(`action="/cases/${held.id}/review"`);
    expect(own.text).toContain('You took part in the verdict under review');
    const refused = await postForm(seniorA, `/cases/${held.id}/review`, { verdict: 'baseline', ...CLASSIFICATION_FORM });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Another reviewer is needed');
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE target_id = $1 AND action = 'case.review_refused'`, [held.id]);
    expect(rows[0].n).toBe(1);

    // the reviewer's own verdict without its classification is shown again with the errors
    const incomplete = await postForm(seniorB, `/cases/${held.id}/review`, { verdict: 'baseline' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.text).toContain('Choose the age group of the victims.');

    const reviewed = await postForm(seniorB, `/cases/${held.id}/review`, { verdict: 'baseline', ...CLASSIFICATION_FORM });
    expect(reviewed.status).toBe(303);
    expect(reviewed.headers.location).toBe('/review');
    expect(await caseRow(held.id)).toMatchObject({ status: 'confirmed', reviewed_by: seniorB.id });
  });

  it('opens an appeal with a reason and says so on the case page', async () => {
    const held = await fixtureCase('appeal', { holder: analyst });
    expect((await postForm(analyst, `/cases/${held.id}/assessment`, { verdict: 'not_illegal' })).status).toBe(303);

    expect((await page(analyst, `/cases/${held.id}`).expect(200)).text).not.toContain(`action="/cases/${held.id}/appeal"`);
    const view = await page(seniorA, `/cases/${held.id}`).expect(200);
    expect(view.text).toContain(`action="/cases/${held.id}/appeal"`);
    expect(view.text).toMatch(/<textarea[^>]*data-key="a"/);

    const short = await postForm(seniorA, `/cases/${held.id}/appeal`, { reason: 'no' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Give a reason of 10 to 500 characters.');

    const appealed = await postForm(seniorA, `/cases/${held.id}/appeal`, { reason: 'the gallery has illegal pages further down' });
    expect(appealed.status).toBe(303);
    expect(appealed.headers.location).toBe(`/cases/${held.id}?notice=appealed`);
    expect((await caseRow(held.id)).status).toBe('pending_review');
    const after = await page(seniorA, `/cases/${held.id}?notice=appealed`).expect(200);
    expect(after.text).toContain('The appeal is open');
    // the appellant took part: no review form for them
    expect(after.text).not.toContain(`action="/cases/${held.id}/review"`);
  });

  it('shows a blind reviewer of an appealed confirmed case no actions, no exchange and no kind of earlier decisions; a sighted viewer all', async () => {
    const held = await fixtureCase('appealed-final', { holder: analyst });
    expect((await postForm(analyst, `/cases/${held.id}/assessment`, { verdict: 'baseline', ...CLASSIFICATION_FORM })).status).toBe(303);
    expect((await postForm(seniorA, `/cases/${held.id}/review`, { verdict: 'baseline', ...CLASSIFICATION_FORM })).status).toBe(303);
    expect((await caseRow(held.id)).status).toBe('confirmed');
    // What the actions stage and the exchange would have done after confirmation.
    await db.query(
      `INSERT INTO action (id, case_id, kind, channel, status, reason) VALUES ($1, $3, 'police_referral', 'national_police', 'sent', 'hosted here: police-${tag}'),
                                                                           ($2, $3, 'notice', 'hosting_provider', 'pending', 'hosted here: notice-${tag}')`,
      [uuidv7(), uuidv7(), held.id],
    );
    await db.query(`INSERT INTO case_event (case_id, kind, detail) VALUES ($1, 'actions_decided', '{"actions": 2}')`, [held.id]);
    const partnerId = uuidv7();
    await db.query(
      `INSERT INTO partner (id, name, countries, base_url, status, their_key_id, their_public_key, our_key_id, our_public_key, our_private_key_encrypted)
       VALUES ($1, $2, '{XX}', 'http://127.0.0.1:9', 'disabled', $3, 'unused', $4, 'unused', '\\x00')`,
      [partnerId, `case-page-${tag}`, `theirs-${tag}`, `ours-${tag}`],
    );
    await db.query(
      `INSERT INTO exchange_message (id, partner_id, direction, message_id, type, case_id, payload, status, delivered_at)
       VALUES ($1, $2, 'out', $3, 'case.forward', $4, '{}', 'delivered', now())`,
      [uuidv7(), partnerId, `forward-${tag}`, held.id],
    );
    const appellant = await signIn(consoleApp, 'senior_analyst');
    expect((await postForm(appellant, `/cases/${held.id}/appeal`, { reason: 'the classification looks wrong to me' })).status).toBe(303);

    // seniorB took no part: blind
    const blind = (await page(seniorB, `/cases/${held.id}`).expect(200)).text;
    expectNoContent(blind, held.url, held.host);
    expect(blind).toContain(`action="/cases/${held.id}/review"`);
    for (const hidden of [
      'id="actions-title"',
      'id="exchange-title"',
      'Report to police',
      'Notice to the host',
      'national_police',
      `police-${tag}`,
      'case.forward',
      'Actions decided',
      'Confirmed illegal',
      'Second review',
      'Appeal review',
    ]) {
      expect(blind).not.toContain(hidden);
    }
    expect(blind).not.toMatch(/<th scope="row">\s*(Assessment|Appeal)\s*<\/th>/);
    expect(blind.match(/<th scope="row">An earlier decision<\/th>/g)).toHaveLength(3);
    // the first entry into review (before the appeal) said the first verdict was illegal
    expect(blind).not.toContain('to “Waiting for a second review”');

    // the JSON view withholds the same
    const blindApi = (await request(server()).get(`/api/v1/cases/${held.id}`).set('authorization', seniorB.bearer).expect(200)).body;
    expect(blindApi).toMatchObject({ blindReview: true, verdict: null, settledBy: null, actions: [], exchange: [] });
    expect(blindApi.assessments.map((row: { kind: string | null }) => row.kind)).toEqual([null, null, 'appeal']);
    expect(blindApi.timeline.map((event: { kind: string | null }) => event.kind)).not.toContain('actions_decided');
    expect(blindApi.timeline.filter((event: { toStatus: string | null }) => event.toStatus === 'pending_review')).toHaveLength(1);
    expect(JSON.stringify(blindApi)).not.toMatch(/police|hosting_provider|case\.forward|"review"|confirmed/);

    // the earlier reviewer took part: they see it all
    const sighted = (await page(seniorA, `/cases/${held.id}`).expect(200)).text;
    for (const shown of [
      'id="actions-title"',
      'Report to police',
      'Notice to the host',
      `police-${tag}`,
      'Exchange with partner hotlines',
      'case.forward',
      'Actions decided',
      'Second review',
    ]) {
      expect(sighted).toContain(shown);
    }
    expect(sighted).toMatch(/<th scope="row">\s*Assessment\s*<\/th>/);
    expect(sighted).not.toContain('An earlier decision');
    const sightedApi = (await request(server()).get(`/api/v1/cases/${held.id}`).set('authorization', seniorA.bearer).expect(200)).body;
    expect(sightedApi).toMatchObject({ blindReview: false, verdict: 'baseline' });
    expect(sightedApi.actions).toHaveLength(2);
    expect(sightedApi.exchange).toHaveLength(1);
    expect(sightedApi.assessments.map((row: { kind: string }) => row.kind)).toEqual(['assessment', 'review', 'appeal']);

    // a verdict from a known-URL list: its settlement is hidden from the blind reviewer too
    const listed = uuidv7();
    const listedHost = `listed-${tag}.example.com`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, report_count, first_reported_at, last_reported_at, settled_by, verdict)
       VALUES ($1, $2, $3, $4, $4, 'confirmed', 1, now(), now(), 'known_url', 'baseline')`,
      [listed, randomBytes(32).toString('hex'), `http://${listedHost}/listed`, listedHost],
    );
    await recordFixtureCreated(db, listed);
    expect((await postForm(appellant, `/cases/${listed}/appeal`, { reason: 'the listed page has changed hands' })).status).toBe(303);
    const listedBlind = await page(seniorB, `/cases/${listed}`).expect(200);
    expect(listedBlind.text).not.toContain('Settled without viewing');
    expect(listedBlind.text).not.toContain('known-URL');
    expect((await request(server()).get(`/api/v1/cases/${listed}`).set('authorization', seniorB.bearer).expect(200)).body).toMatchObject({ settledBy: null });
    expect((await page(appellant, `/cases/${listed}`).expect(200)).text).toContain('A known-URL list of another hotline');
  });

  it('keeps the typed verdict on a 409 case page when the lease lapsed, with claim next and the way back', async () => {
    const held = await fixtureCase('lapsed', { holder: otherAnalyst });
    const typed = { verdict: 'national', ...CLASSIFICATION_FORM, notes: `typed while the lease lapsed ${tag}`, then: 'next' };
    const expectUnsaved = (response: request.Response, reason: RegExp) => {
      expect(response.status).toBe(409);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('Your assessment was not saved');
      expect(response.text).toMatch(reason);
      expect(response.text).toContain(`typed while the lease lapsed ${tag}</textarea>`);
      expect(response.text).toContain('Illegal under national law');
      expect(response.text).toContain('href="/queues"');
      // no form to send without a lease
      expect(response.text).not.toContain(`action="/cases/${held.id}/assessment"`);
      expectNoContent(response.text, held.url, held.host);
    };

    // lapsed, not swept yet
    await db.query(`UPDATE "case" SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [held.id]);
    const lapsed = await postForm(otherAnalyst, `/cases/${held.id}/assessment`, typed);
    expectUnsaved(lapsed, /Your lease lapsed while you were away from this page, so the case is going back to its queue/);
    expect(lapsed.text).toMatch(new RegExp(`<form method="post" action="/queues/${QUEUE}/claim"[\\s\\S]*?data-key="n"`));
    expect(await caseRow(held.id)).toMatchObject({ status: 'in_assessment', verdict: null, lease_holder: otherAnalyst.id });

    // swept back to its queue
    await forceCaseStatus(db, held.id, 'queued', 'lease_holder = NULL, lease_expires_at = NULL');
    await db.query(`UPDATE case_lease SET ended_at = now(), end_reason = 'lapsed' WHERE case_id = $1 AND ended_at IS NULL`, [held.id]);
    expectUnsaved(await postForm(otherAnalyst, `/cases/${held.id}/assessment`, typed), /the case went back to its queue/);

    // claimed by a colleague since
    await forceCaseStatus(db, held.id, 'in_assessment', `lease_holder = '${analyst.id}', lease_expires_at = now() + interval '15 minutes'`);
    expectUnsaved(await postForm(otherAnalyst, `/cases/${held.id}/assessment`, typed), /another analyst has claimed the case since/);
    expect(await caseRow(held.id)).toMatchObject({ status: 'in_assessment', verdict: null, lease_holder: analyst.id });
    await db.query(`UPDATE "case" SET queue = NULL WHERE id = $1`, [held.id]);
  });

  it('refuses admins and regulators with the page that says it is not for their role', async () => {
    const held = await fixtureCase('refused', { holder: analyst });
    for (const who of [admin, regulator]) {
      const response = await page(who, `/cases/${held.id}`);
      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('Not for your role');
      expect(response.text).not.toContain('example');
      const reveal = await postForm(who, `/cases/${held.id}/reveal`, { reason: 'want to see this one' });
      expect(reveal.status).toBe(403);
      expect(reveal.text).not.toContain(held.url);
    }
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE actor_id = $1 AND action = 'access.denied'`, [admin.id]);
    expect(rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it('answers a case that does not exist with the not-found page, whatever the body', async () => {
    expect((await page(analyst, `/cases/${uuidv7()}`)).status).toBe(404);
    expect((await page(analyst, `/cases/not-a-uuid`)).status).toBe(404);
    const empty = await request(server()).post(`/cases/${uuidv7()}/assessment`).set('authorization', analyst.bearer).set('content-type', 'application/json').send('{}');
    expect(empty.status).toBe(404);
  });
});
