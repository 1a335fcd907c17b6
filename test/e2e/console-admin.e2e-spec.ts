import { generateExchangeKeyPair } from '@hotline/exchange';
import { RoutingRulesRepository } from '@hotline/persistence';
import { StaffDirectory, StaffRole, totpCode } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { stringify } from 'node:querystring';
import { Client } from 'pg';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { QUEUE_DASHBOARD_CSP, QUEUE_DASHBOARD_PATH } from '../../apps/console-api/src/queue-dashboard/queue-dashboard';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';
import { waitFor } from '../support/wait';

const tag = randomBytes(3).toString('hex');
const prefix = `{hotline-console-admin-${tag}}`;

type Form = Record<string, string | string[]>;

const unescape = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const found = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return found ? unescape(found[1]) : null;
};

/** What a browser would post for the form whose action is `action`: its text and hidden inputs, ticked boxes and selected options. */
function formFields(page: string, action: string): Form {
  const start = page.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const body = page.slice(start, page.indexOf('</form>', start));
  const fields: Form = {};
  const add = (name: string, value: string) => {
    const had = fields[name];
    fields[name] = had === undefined ? value : [had].flat().concat(value);
  };
  for (const [input] of body.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(input, 'name');
    const type = attr(input, 'type') ?? 'text';
    if (!name) continue;
    if (type === 'checkbox' || type === 'radio') {
      if (/\schecked\b/.test(input)) add(name, attr(input, 'value') ?? 'on');
    } else add(name, attr(input, 'value') ?? '');
  }
  for (const [, open, options] of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option\b[^>]*\sselected\b[^>]*>/.exec(options)?.[0] ?? /<option\b[^>]*>/.exec(options)?.[0];
    add(attr(open, 'name')!, chosen ? (attr(chosen, 'value') ?? '') : '');
  }
  return fields;
}

/** The markup of the element with this id, up to its end tag (good enough for fieldsets and inputs). */
function element(page: string, id: string, end = '</fieldset>'): string {
  const at = page.indexOf(`id="${id}"`);
  if (at < 0) throw new Error(`no element #${id}`);
  const open = page.lastIndexOf('<', at);
  return page.slice(open, page.indexOf(end, at) + end.length);
}

/**
 * The administrators' pages (routing rules, partners, dead letters) and the queue dashboard in a
 * browser session, through console-api against a real database and Redis. Routing changes are
 * harmless to tests running at the same time (a rule no case matches) and undone; dead letters
 * are redriven one by one into this file's own Redis prefix, which no worker reads.
 */
describe('console admin pages', () => {
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let redis: Redis;
  let admin: SignedInStaff;
  let analyst: SignedInStaff;

  beforeAll(async () => {
    consoleApp = await createConsoleApp(testConfig({ BULL_BOARD_ENABLED: 'true', REDIS_PREFIX: prefix, NODE_ENV: 'test' }));
    db = await connectDatabase();
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
    admin = await signIn(consoleApp, 'admin', { label: 'admin-pages' });
    analyst = await signIn(consoleApp, 'analyst', { label: 'admin-pages' });
  });

  afterAll(async () => {
    await consoleApp?.close();
    await db?.end();
    redis?.disconnect();
  });

  const server = () => consoleApp.getHttpServer();
  const page = (who: SignedInStaff, path: string) => request(server()).get(path).set('authorization', who.bearer);
  const post = (who: SignedInStaff, path: string, form: Form) => request(server()).post(path).set('authorization', who.bearer).type('form').send(stringify(form));
  const rulesNow = async () =>
    (await page(admin, '/api/v1/routing-rules').expect(200)).body as { rules: { name: string; match: object; queue: string }[]; version: number };

  describe('routing rules', () => {
    it('shows each current rule as its own fieldset with its fields', async () => {
      const current = await rulesNow();
      const shown = await page(admin, '/admin/routing').expect(200);
      expect(shown.headers['content-type']).toMatch(/^text\/html/);
      expect(shown.text.match(/<fieldset\s+class="rule[^"]*"\s+id="rule-\d+"/g)).toHaveLength(current.rules.length);
      const form = formFields(shown.text, '/admin/routing');
      current.rules.forEach((rule, i) => {
        expect(form[`r${i}.name`]).toBe(rule.name);
        expect(form[`r${i}.queue`]).toBe(rule.queue);
        expect(form[`r${i}.order`]).toBe(String(i + 1));
      });
      expect(form.version).toBe(String(current.version));
      expect(shown.text).toContain('data-key="s"');
    });

    it('refuses a set with one invalid field (400), the error next to that rule’s field, as typed, and changes nothing', async () => {
      const before = await rulesNow();
      const form = formFields((await page(admin, '/admin/routing').expect(200)).text, '/admin/routing');
      form['r0.minPriority'] = '101';
      const refused = await post(admin, '/admin/routing', { ...form, intent: 'save' }).expect(400);
      const rule = element(refused.text, 'rule-0');
      const input = /<input\b[^>]*id="rule-0-minPriority"[^>]*>/.exec(rule)![0];
      expect(input).toMatch(/aria-invalid="true"/);
      expect(attr(input, 'aria-describedby')).toContain('rule-0-minPriority-error');
      expect(attr(input, 'value')).toBe('101');
      expect(rule).toMatch(/id="rule-0-minPriority-error">Enter a whole number from 0 to 100, or leave it empty\.</);
      expect(refused.text).toContain('href="#rule-0-minPriority"');
      // Only that field is marked, and the other rules come back as they were.
      expect(refused.text.match(/aria-invalid="true"/g)).toHaveLength(1);
      expect(formFields(refused.text, '/admin/routing')).toEqual({ ...form, 'r0.minPriority': '101' });
      expect(await rulesNow()).toEqual(before);
    });

    it('saves a valid set (303 back with a notice), added from the page, through the validator of the API', async () => {
      const before = await rulesNow();
      const loaded = formFields((await page(admin, '/admin/routing').expect(200)).text, '/admin/routing');
      const added = await post(admin, '/admin/routing', { ...loaded, intent: 'add' }).expect(200);
      const form = formFields(added.text, '/admin/routing');
      const fresh = before.rules.length; // the new rule's key
      expect(form[`r${fresh}.order`]).toBe(String(before.rules.length));
      expect(added.text).toMatch(new RegExp(`id="rule-${fresh}-name"[^>]*autofocus`));
      const catchAll = before.rules[before.rules.length - 1];
      // A rule no case of a running test matches: Zulu reports at the highest priority.
      const name = `pages-e2e-${tag}`;
      Object.assign(form, { [`r${fresh}.name`]: name, [`r${fresh}.languages`]: 'zu', [`r${fresh}.minPriority`]: '100', [`r${fresh}.queue`]: catchAll.queue });
      try {
        const saved = await post(admin, '/admin/routing', { ...form, intent: 'save' }).expect(303);
        expect(saved.headers.location).toBe(`/admin/routing?saved=${before.version + 1}`);
        const after = await rulesNow();
        expect(after.version).toBe(before.version + 1);
        expect(after.rules).toEqual([...before.rules.slice(0, -1), { name, match: { minPriority: 100, languages: ['zu'] }, queue: catchAll.queue }, catchAll]);
        const shown = await page(admin, saved.headers.location).expect(200);
        expect(shown.text).toContain(`The routing rules are saved (version ${before.version + 1})`);
        // Removing it again from the page, too.
        const again = formFields(shown.text, '/admin/routing');
        const key = after.rules.findIndex((rule) => rule.name === name);
        await post(admin, '/admin/routing', { ...again, [`r${key}.remove`]: '1', intent: 'save' }).expect(303);
        expect((await rulesNow()).rules).toEqual(before.rules);
      } finally {
        const now = await rulesNow();
        if (now.rules.some((rule) => rule.name === name))
          await request(server()).put('/api/v1/routing-rules').set('authorization', admin.bearer).send(before.rules).expect(200);
      }
    });

    it('does not overwrite a set saved by someone else meanwhile (409, the edits kept)', async () => {
      const form = formFields((await page(admin, '/admin/routing').expect(200)).text, '/admin/routing');
      form['r0.name'] = 'renamed-by-me';
      const stale = { ...form, version: String(Number(form.version) - 1), intent: 'save' };
      const refused = await post(admin, '/admin/routing', stale).expect(409);
      expect(refused.text).toContain('while you were editing');
      expect(formFields(refused.text, '/admin/routing')['r0.name']).toBe('renamed-by-me');
      expect((await rulesNow()).rules[0].name).not.toBe('renamed-by-me');
    });

    it('does not overwrite a save from the same version that came in between (409, the first save kept)', async () => {
      const repository = consoleApp.get(RoutingRulesRepository);
      const before = await repository.current();
      const catchAll = before.rules[before.rules.length - 1];
      const loaded = formFields((await page(admin, '/admin/routing').expect(200)).text, '/admin/routing');
      /** The loaded form with one more rule, no case of a running test matches (Zulu at the highest priority), saved. */
      const saving = async (from: Form, count: number, name: string): Promise<Form> => {
        const added = formFields((await post(admin, '/admin/routing', { ...from, intent: 'add' }).expect(200)).text, '/admin/routing');
        return {
          ...added,
          [`r${count}.name`]: name,
          [`r${count}.languages`]: 'zu',
          [`r${count}.minPriority`]: '100',
          [`r${count}.queue`]: catchAll.queue,
          intent: 'save',
        };
      };
      const names = async () => (await rulesNow()).rules.map((rule) => rule.name);
      try {
        const first = await saving(loaded, before.rules.length, `race-first-${tag}`);
        const second = await saving(loaded, before.rules.length, `race-second-${tag}`);
        expect([first.version, second.version]).toEqual([String(before.version), String(before.version)]);
        await post(admin, '/admin/routing', first).expect(303);
        // The second save read the rules before the first one wrote them: its own check passes,
        // the UPDATE's does not.
        const read = jest.spyOn(repository, 'current').mockResolvedValueOnce(before);
        let refused: request.Response;
        try {
          refused = await post(admin, '/admin/routing', second).expect(409);
          expect(read).toHaveBeenCalled();
        } finally {
          read.mockRestore();
        }
        expect(refused.text).toContain('while you were editing');
        const kept = formFields(refused.text, '/admin/routing');
        expect(kept[`r${before.rules.length}.name`]).toBe(`race-second-${tag}`);
        expect(kept.version).toBe(String(before.version + 1));
        const afterFirst = await rulesNow();
        expect(afterFirst.version).toBe(before.version + 1);
        expect(afterFirst.rules.map((rule) => rule.name)).toEqual([...before.rules.slice(0, -1).map((rule) => rule.name), `race-first-${tag}`, catchAll.name]);

        // Both at once, from the same version: one is saved, the other refused, and the rules are the saved one's.
        const again = formFields((await page(admin, '/admin/routing').expect(200)).text, '/admin/routing');
        const [a, b] = [await saving(again, afterFirst.rules.length, `race-a-${tag}`), await saving(again, afterFirst.rules.length, `race-b-${tag}`)];
        const answers = await Promise.all([post(admin, '/admin/routing', a), post(admin, '/admin/routing', b)]);
        expect(answers.map((answer) => answer.status).sort()).toEqual([303, 409]);
        const [won, lost] = answers[0].status === 303 ? [`race-a-${tag}`, `race-b-${tag}`] : [`race-b-${tag}`, `race-a-${tag}`];
        expect(await names()).toContain(won);
        expect(await names()).not.toContain(lost);
        expect((await rulesNow()).version).toBe(before.version + 2);
      } finally {
        if ((await names()).some((name) => name.endsWith(`-${tag}`)))
          await request(server()).put('/api/v1/routing-rules').set('authorization', admin.bearer).send(before.rules).expect(200);
      }
      expect(await names()).toEqual(before.rules.map((rule) => rule.name));
    });
  });

  describe('partners', () => {
    it('adds a partner through the form, shows it with its keys, and disables it after a confirmation', async () => {
      const name = `pages-${tag}`;
      const theirs = generateExchangeKeyPair();
      const added = await post(admin, '/admin/partners', {
        name,
        countries: 'de, at',
        baseUrl: 'https://hotline.example',
        publicKey: theirs.publicKey,
        rateLimitPerMinute: '30',
      }).expect(303);
      expect(added.headers.location).toBe(`/admin/partners?done=added&partner=${name}#partner-${name}`);
      const listed = (await page(admin, '/api/v1/partners').expect(200)).body.find((partner: { name: string }) => partner.name === name);
      expect(listed).toMatchObject({
        countries: ['DE', 'AT'],
        baseUrl: 'https://hotline.example',
        status: 'active',
        rateLimitPerMinute: 30,
        theirPublicKey: theirs.publicKey,
      });

      const shown = await page(admin, added.headers.location).expect(200);
      const section = element(shown.text, `partner-${name}`, '</section>');
      expect(shown.text).toContain(`Partner ${name} is added.`);
      expect(section).toContain(listed.ourPublicKey);
      expect(section).toContain(listed.theirKeyId);
      expect(section).toContain('Active');
      expect(section).not.toMatch(/<a\s[^>]*href="https:\/\/hotline\.example/);

      // The same name again: refused next to the name, what was typed kept.
      const taken = await post(admin, '/admin/partners', {
        name,
        countries: 'fr',
        baseUrl: 'https://other.example',
        publicKey: generateExchangeKeyPair().publicKey,
      }).expect(400);
      expect(taken.text).toMatch(/id="partner-new-name-error">A partner of this name exists\.</);
      expect(/<input\b[^>]*id="partner-new-name"[^>]*>/.exec(taken.text)![0]).toMatch(/aria-invalid="true"/);
      expect(formFields(taken.text, '/admin/partners').countries).toBe('fr');

      // Our key, rotated without a gap: prepared, then activated.
      await post(admin, `/admin/partners/${name}/rotate-key`, {}).expect(303);
      const prepared = (await page(admin, '/api/v1/partners').expect(200)).body.find((partner: { name: string }) => partner.name === name);
      expect(prepared.nextKeyId).toEqual(expect.any(String));
      await post(admin, `/admin/partners/${name}/activate-key`, {}).expect(303);
      const rotated = (await page(admin, '/api/v1/partners').expect(200)).body.find((partner: { name: string }) => partner.name === name);
      expect(rotated).toMatchObject({ ourKeyId: prepared.nextKeyId, nextKeyId: null });
      const noNext = await post(admin, `/admin/partners/${name}/activate-key`, {}).expect(409);
      expect(noNext.text).toContain('There is no next key to activate.');

      // Their key: a bad one refused next to the field, a good one installed.
      const bad = await post(admin, `/admin/partners/${name}/key`, { publicKey: 'not-a-key' }).expect(400);
      expect(bad.text).toMatch(new RegExp(`id="partner-${name}-publicKey-error">This is not an Ed25519 public key`));
      expect(attr(/<input\b[^>]*id="partner-[^"]*-publicKey"[^>]*>/.exec(element(bad.text, `partner-${name}`, '</section>'))![0], 'value')).toBe('not-a-key');
      const next = generateExchangeKeyPair();
      await post(admin, `/admin/partners/${name}/key`, { publicKey: next.publicKey }).expect(303);

      const unconfirmed = await post(admin, `/admin/partners/${name}/disable`, {}).expect(400);
      expect(unconfirmed.text).toMatch(new RegExp(`id="partner-${name}-confirm-error">Tick the box to confirm`));
      await post(admin, `/admin/partners/${name}/disable`, { confirm: 'yes' }).expect(303);
      const disabled = (await page(admin, '/api/v1/partners').expect(200)).body.find((partner: { name: string }) => partner.name === name);
      expect(disabled).toMatchObject({ status: 'disabled', theirPublicKey: next.publicKey });
      const after = element((await page(admin, '/admin/partners').expect(200)).text, `partner-${name}`, '</section>');
      expect(after).toContain('Disabled');
      expect(after).not.toContain(`/admin/partners/${name}/disable`);

      const actions = await db.query(`SELECT action FROM audit_event WHERE actor_id = $1 AND action LIKE 'partner.%'`, [admin.id]);
      expect(actions.rows.map((row) => row.action)).toEqual(
        expect.arrayContaining(['partner.added', 'partner.key_prepared', 'partner.key_activated', 'partner.key_set', 'partner.disabled']),
      );
    });

    it('answers a partner that does not exist with the not-found page', async () => {
      const missing = await post(admin, `/admin/partners/no-such-${tag}/disable`, { confirm: 'yes' }).expect(404);
      expect(missing.text).toContain('Not found');
    });
  });

  describe('dead letters', () => {
    it('lists an open dead letter without its payload or host, and redrives it into its queue', async () => {
      const jobId = `resolve-hosting-pages-${tag}`;
      const caseId = randomUUID();
      const host = `secret-host-${tag}.example.org`;
      const {
        rows: [{ id }],
      } = await db.query(
        `INSERT INTO dead_letter (queue, job_name, job_id, payload, error, attempts)
         VALUES ('hosting', 'resolve-hosting', $1, $2, $3, 10) RETURNING id::text`,
        [jobId, JSON.stringify({ caseId }), `HostingLookupError: hosting lookup for ${host}: timeout (queryA ETIMEOUT ${host})`],
      );
      const listed = await page(admin, '/admin/dead-letters').expect(200);
      const row = element(listed.text, `dead-letter-${id}`, '</tr>');
      expect(row).toContain('<code dir="ltr">hosting</code>');
      expect(row).toContain('resolve-hosting');
      expect(row).toContain('<span dir="ltr">HostingLookupError: hosting lookup for …</span>');
      expect(row).toContain(`<code>${jobId}</code>`);
      expect(row).toMatch(/<td class="num"[^>]*>10<\/td>/);
      expect(listed.text).not.toContain(caseId);
      expect(listed.text).not.toContain(host);
      expect(row).toContain(`action="/admin/dead-letters/${id}/redrive"`);

      const redriven = await post(admin, `/admin/dead-letters/${id}/redrive`, {}).expect(303);
      expect(redriven.headers.location).toBe(`/admin/dead-letters?redriven=${id}`);
      expect((await db.query(`SELECT redriven_at FROM dead_letter WHERE id = $1`, [id])).rows[0].redriven_at).toBeInstanceOf(Date);
      const notice = await page(admin, redriven.headers.location).expect(200);
      expect(notice.text).toContain(`Dead letter ${id} is back in its queue.`);
      expect(notice.text).not.toContain(`id="dead-letter-${id}"`);

      const queue = new Queue('hosting', { connection: redis, prefix });
      try {
        const job = await queue.getJob(jobId);
        expect(job?.data).toEqual({ caseId });
        await job!.remove();
      } finally {
        await queue.close();
      }

      const again = await post(admin, `/admin/dead-letters/${id}/redrive`, {}).expect(303);
      expect(again.headers.location).toBe(`/admin/dead-letters?notOpen=${id}`);
      expect((await page(admin, again.headers.location).expect(200)).text).toContain(`Dead letter ${id} is not open`);
      expect((await post(admin, `/admin/dead-letters/${randomUUID()}/redrive`, {}).expect(303)).headers.location).toBe('/admin/dead-letters?notOpen');
    });

    it('redrives nothing on a post to redrive-all that does not say so', async () => {
      const {
        rows: [{ id }],
      } = await db.query(
        `INSERT INTO dead_letter (queue, job_name, job_id, payload, error, attempts) VALUES ('hosting', 'resolve-hosting', $1, '{}', 'Error: x', 3) RETURNING id::text`,
        [`resolve-hosting-pages-all-${tag}`],
      );
      try {
        const refused = await post(admin, '/admin/dead-letters/redrive-all', {}).expect(400);
        expect(refused.text).toContain('Nothing was redriven');
        expect((await db.query(`SELECT redriven_at FROM dead_letter WHERE id = $1`, [id])).rows[0].redriven_at).toBeNull();
      } finally {
        await db.query(`UPDATE dead_letter SET redriven_at = now() WHERE id = $1`, [id]);
      }
    });
  });

  it.each([
    ['GET', '/admin/routing'],
    ['POST', '/admin/routing'],
    ['GET', '/admin/partners'],
    ['POST', '/admin/partners'],
    ['GET', '/admin/dead-letters'],
    ['POST', '/admin/dead-letters/1/redrive'],
  ])('shows an analyst the refusal page on %s %s', async (method, path) => {
    const refused = await (method === 'GET' ? page(analyst, path) : post(analyst, path, {})).expect(403);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.text).toContain('Not for your role');
  });

  describe('queue dashboard in a browser session', () => {
    /** A new user of `role` signed in through the sign-in page: the session cookie's header value. */
    async function cookieSession(role: StaffRole): Promise<{ cookie: string; id: string }> {
      const email = `dashboard-${role}-${randomBytes(4).toString('hex')}@hotline.test`;
      const password = `pw-${randomBytes(12).toString('hex')}`;
      const user = await consoleApp.get(StaffDirectory).create({ email, role, agency: null, password }, { id: null, role: 'cli' });
      const signedIn = await request(server())
        .post('/login')
        .set('sec-fetch-site', 'same-origin')
        .type('form')
        .send(stringify({ email, password, totp: totpCode(user.totpSecret), next: QUEUE_DASHBOARD_PATH }))
        .expect(303);
      expect(signedIn.headers.location).toBe(QUEUE_DASHBOARD_PATH);
      const cookie = [signedIn.headers['set-cookie']].flat().find((line: string) => line.startsWith('hotline_console='));
      return { cookie: cookie!.split(';')[0], id: user.id };
    }

    it('sends a browser without a session to sign in, and back', async () => {
      const opened = await request(server()).get(QUEUE_DASHBOARD_PATH).set('accept', 'text/html,application/xhtml+xml').set('sec-fetch-mode', 'navigate').expect(303);
      expect(opened.headers.location).toBe(`/login?next=${encodeURIComponent(QUEUE_DASHBOARD_PATH)}`);
      await request(server()).get(`${QUEUE_DASHBOARD_PATH}/api/queues`).expect(401);
    });

    it('opens for an admin’s session cookie, with its own strict CSP and nothing from another origin', async () => {
      const { cookie, id } = await cookieSession('admin');
      const opened = await request(server()).get(QUEUE_DASHBOARD_PATH).set('cookie', cookie).set('accept', 'text/html').expect(200);
      expect(opened.headers['content-security-policy']).toBe(QUEUE_DASHBOARD_CSP);
      expect(opened.text).toContain(`<base href="${QUEUE_DASHBOARD_PATH}/" />`);
      expect(opened.text).not.toMatch(/https?:\/\//);
      const queues = await request(server()).get(`${QUEUE_DASHBOARD_PATH}/api/queues`).set('cookie', cookie).expect(200);
      expect(queues.body.queues.map((queue: { name: string }) => queue.name)).toContain('hosting');
      // A change from its own page (same origin) goes through, and is audited.
      await request(server()).put(`${QUEUE_DASHBOARD_PATH}/api/queues/hosting/resume`).set('cookie', cookie).set('sec-fetch-site', 'same-origin').expect(200);
      const audited = await db.query(`SELECT detail FROM audit_event WHERE actor_id = $1 AND action = 'queue-dashboard PUT'`, [id]);
      expect(audited.rows.map((row) => row.detail.path)).toContain(`${QUEUE_DASHBOARD_PATH}/api/queues/hosting/resume`);
    });

    it('refuses a state change another site asks for, even with the admin’s cookie', async () => {
      const { cookie, id } = await cookieSession('admin');
      const refused = await request(server())
        .put(`${QUEUE_DASHBOARD_PATH}/api/queues/hosting/pause`)
        .set('cookie', cookie)
        .set('sec-fetch-site', 'cross-site')
        .expect(403);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      const fromElsewhere = await request(server())
        .put(`${QUEUE_DASHBOARD_PATH}/api/queues/hosting/pause`)
        .set('cookie', cookie)
        .set('origin', 'https://evil.example')
        .expect(403);
      expect(fromElsewhere.body.type).toEqual(expect.any(String));
      const denied = await db.query(`SELECT detail FROM audit_event WHERE actor_id = $1 AND action = 'access.denied'`, [id]);
      expect(denied.rows.map((row) => row.detail.reason)).toEqual(['csrf', 'csrf']);
      const queue = new Queue('hosting', { connection: redis, prefix });
      try {
        expect(await queue.isPaused()).toBe(false);
      } finally {
        await queue.close();
      }
    });

    it('shows no case content: job data, return values, failure texts, stack traces and logs withheld, retry and clean still work', async () => {
      const host = `bad-${tag}.example.co.uk`;
      const url = `https://${host}/teen-abuse/video-${tag}.mp4`;
      const queue = new Queue('reported-urls', { connection: redis, prefix });
      const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
      // This file's own prefix: no worker but this one takes its jobs.
      const worker = new Worker(
        'reported-urls',
        async (job: Job<{ url: string; fail?: boolean }>) => {
          await job.log(`fetching ${job.data.url}`);
          if (job.data.fail) throw new Error(`hosting lookup for ${host}: timeout`);
          return { fetched: job.data.url };
        },
        { connection, prefix },
      );
      const failedId = `board-failed-${tag}`;
      const doneId = `board-done-${tag}`;
      const api = (path: string) => request(server()).get(`${QUEUE_DASHBOARD_PATH}/api${path}`).set('authorization', admin.bearer).expect(200);
      const noContent = (text: string) => {
        expect(text).not.toContain(host);
        expect(text).not.toContain(url);
        expect(text).not.toContain('teen-abuse');
        expect(text).not.toContain(`video-${tag}`);
      };
      try {
        await queue.add('attach-reported-url', { url, fail: true }, { jobId: failedId, attempts: 1 });
        await queue.add('attach-reported-url', { url }, { jobId: doneId, attempts: 1 });
        await waitFor(async () => ((await queue.getJobState(failedId)) === 'failed' && (await queue.getJobState(doneId)) === 'completed' ? true : undefined), {
          what: 'the board jobs to finish',
        });
        await worker.close();
        // What BullMQ keeps does name the host: the board must not pass it on.
        expect((await queue.getJob(failedId))!.failedReason).toContain(host);

        const failed = await api(`/queues?activeQueue=reported-urls&status=failed&page=1&jobsPerPage=50`);
        noContent(failed.text);
        const listed = failed.body.queues.find((one: { name: string }) => one.name === 'reported-urls');
        const job = listed.jobs.find((one: { id: string }) => one.id === failedId);
        expect(job).toMatchObject({
          name: 'attach-reported-url',
          failedReason: 'hosting lookup for …',
          stacktrace: [],
          data: { withheld: 'withheld: may hold reported URLs', keys: ['url', 'fail'] },
        });
        const completed = await api(`/queues?activeQueue=reported-urls&status=completed&page=1&jobsPerPage=50`);
        noContent(completed.text);
        const done = completed.body.queues.find((one: { name: string }) => one.name === 'reported-urls').jobs.find((one: { id: string }) => one.id === doneId);
        expect(done.returnValue).toEqual({ withheld: 'withheld: may hold reported URLs', keys: ['fetched'] });
        noContent((await api(`/queues?activeQueue=reported-urls&status=latest&page=1&jobsPerPage=50`)).text);
        noContent((await api(`/queues/reported-urls/${failedId}`)).text);
        const logs = await api(`/queues/reported-urls/${failedId}/logs`);
        noContent(logs.text);
        expect(logs.body).toEqual(['fetching …']);

        // Still usable: a failed job is retried, a finished one cleaned.
        await request(server()).put(`${QUEUE_DASHBOARD_PATH}/api/queues/reported-urls/${failedId}/retry`).set('authorization', admin.bearer).expect(204);
        expect(await queue.getJobState(failedId)).toBe('waiting');
        await request(server()).put(`${QUEUE_DASHBOARD_PATH}/api/queues/reported-urls/${doneId}/clean`).set('authorization', admin.bearer).expect(204);
        expect(await queue.getJob(doneId)).toBeUndefined();
      } finally {
        await worker.close();
        connection.disconnect();
        await (await queue.getJob(failedId))?.remove();
        await (await queue.getJob(doneId))?.remove();
        await queue.close();
      }
    });

    it('refuses an analyst’s session cookie: the refusal page in a browser, 403 for its API', async () => {
      const { cookie } = await cookieSession('analyst');
      const refused = await request(server()).get(QUEUE_DASHBOARD_PATH).set('cookie', cookie).set('sec-fetch-mode', 'navigate').expect(403);
      expect(refused.text).toContain('Not for your role');
      await request(server()).get(`${QUEUE_DASHBOARD_PATH}/api/queues`).set('cookie', cookie).expect(403);
    });
  });
});
