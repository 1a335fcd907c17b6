import { AssessmentRepository, ReviewQualityCounts } from '@hotline/persistence';
import { totpCode, uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { recordFixtureCreated } from '../support/cases';
import { testConfig } from '../support/config';
import { connectDatabase } from '../support/database';
import { SignedInStaff, signIn } from '../support/staff';

const tag = randomBytes(3).toString('hex');
const CLASSIFICATION = { ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false, legalCategory: 'B' };

/**
 * The senior analysts' review list (blind and not, four eyes, appeals, the disagreement counts)
 * and the administrators' users page (create with QR enrolment, role, disable, reset of the
 * second factor, errors in the page), through console-api's pages with bearer tokens.
 */
describe('console pages: review list and users', () => {
  let consoleApp: NestFastifyApplication;
  let sightedApp: NestFastifyApplication;
  let db: Client;
  let analyst: SignedInStaff;
  let seniorA: SignedInStaff;
  let seniorB: SignedInStaff;
  let seniorC: SignedInStaff;
  let admin: SignedInStaff;

  beforeAll(async () => {
    const common = { REDIS_PREFIX: `{hotline-console-review-${tag}}`, NODE_ENV: 'test', LEGAL_CATEGORIES: 'A,B,C' };
    consoleApp = await createConsoleApp(testConfig(common));
    sightedApp = await createConsoleApp(testConfig({ ...common, REVIEW_BLIND: 'false' }));
    db = await connectDatabase();
    analyst = await signIn(consoleApp, 'analyst');
    [seniorA, seniorB, seniorC] = await Promise.all([1, 2, 3].map(() => signIn(consoleApp, 'senior_analyst')));
    admin = await signIn(consoleApp, 'admin');
  });

  afterAll(async () => {
    await consoleApp?.close();
    await sightedApp?.close();
    await db?.end();
  });

  const server = (app = consoleApp) => app.getHttpServer();
  const get = (who: SignedInStaff, path: string, app = consoleApp) => request(server(app)).get(path).set('authorization', who.bearer);
  const postJson = (who: SignedInStaff, path: string, body: object) => request(server()).post(path).set('authorization', who.bearer).send(body);
  const postForm = (who: SignedInStaff, path: string, form: Record<string, string>) =>
    request(server()).post(path).set('authorization', who.bearer).type('form').send(form);

  /** A case assessed `verdict` by `assessor` (through the API), so waiting for review, at the top of the list. */
  async function pendingCase(assessor: SignedInStaff, name: string, priority = 100): Promise<{ id: string; url: string }> {
    const id = uuidv7();
    const host = `${name}-${tag}.example.com`;
    const url = `http://${host}/gallery/${name}`;
    await db.query(
      `INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, priority, report_count, first_reported_at, last_reported_at, lease_holder, lease_expires_at)
       VALUES ($1, $2, $3, $4, $4, 'in_assessment', $5, 1, now(), now(), $6, now() + interval '15 minutes')`,
      [id, randomBytes(32).toString('hex'), url, host, priority, assessor.id],
    );
    await recordFixtureCreated(db, id);
    await db.query(`INSERT INTO case_lease (case_id, staff_user_id, expires_at) VALUES ($1, $2, now() + interval '15 minutes')`, [id, assessor.id]);
    await postJson(assessor, `/api/v1/cases/${id}/assessment`, { verdict: 'national', classification: CLASSIFICATION }).expect(200);
    return { id, url };
  }

  /** The table row of a case on the review page, or null when it is not listed. */
  function rowOf(page: string, caseId: string): string | null {
    const match = new RegExp(`<tr data-case-id="${caseId}"[\\s\\S]*?</tr>`).exec(page);
    return match ? match[0] : null;
  }

  function tableOf(page: string, id: string): string {
    const match = new RegExp(`<table[^>]*id="${id}"[\\s\\S]*?</table>`).exec(page);
    return match ? match[0] : '';
  }

  describe('the review list', () => {
    let assessed: { id: string; url: string };
    let ownCase: { id: string; url: string };

    beforeAll(async () => {
      assessed = await pendingCase(analyst, 'blind');
      ownCase = await pendingCase(seniorA, 'own');
    });

    it('lists a case waiting for review without its verdict under blind review, defanged, linking to its page', async () => {
      const response = await get(seniorB, '/review').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      const page = response.text;
      const row = rowOf(page, assessed.id);
      expect(row).not.toBeNull();
      expect(row).toContain(`href="/cases/${assessed.id}"`);
      expect(row).toContain(`hxxp://blind-${tag}[.]example[.]com/gallery/blind`);
      expect(page).not.toContain(assessed.url);
      // no first verdict, in the row or as a column, and no classification
      expect(row).not.toMatch(/national|Illegal/i);
      expect(page).not.toContain('First verdict');
      expect(page).not.toContain('prepubescent');
      expect(page).toContain('Blind review is on');
      expect(tableOf(page, 'pending-list')).toContain(assessed.id);
      // never a link to a reported URL, never an image
      expect(page).not.toMatch(/<a [^>]*href="(hxxp|https?):/i);
      expect(page).not.toMatch(/<img|<iframe|<video/i);
      // the page is audited as a view of the cases it listed
      const { rows } = await db.query(`SELECT detail FROM audit_event WHERE actor_id = $1 AND action = 'GET /review' ORDER BY seq DESC LIMIT 1`, [seniorB.id]);
      expect(rows[0].detail.caseIds).toEqual(expect.arrayContaining([assessed.id, ownCase.id]));
    });

    it('shows the first verdict when review is not blind', async () => {
      const page = (await get(seniorB, '/review', sightedApp).expect(200)).text;
      expect(page).toContain('First verdict');
      expect(page).toContain('Blind review is off');
      expect(rowOf(page, assessed.id)).toContain('Illegal under national law');
    });

    it('marks the cases the viewer took part in (four eyes) and opens first one they may review', async () => {
      const forA = (await get(seniorA, '/review').expect(200)).text;
      expect(rowOf(forA, ownCase.id)).toContain('took-part');
      expect(rowOf(forA, ownCase.id)).toContain('You took part in this verdict');
      expect(rowOf(forA, assessed.id)).not.toContain('took-part');
      const open = /<a class="button" href="\/cases\/([0-9a-f-]+)" data-key="o"/.exec(forA);
      expect(open).not.toBeNull();
      expect(open![1]).not.toBe(ownCase.id);
      expect(forA).toContain('aria-keyshortcuts="o"');

      const forB = (await get(seniorB, '/review').expect(200)).text;
      expect(rowOf(forB, ownCase.id)).not.toContain('took-part');
    });

    it('lists a case under appeal in the appeals section, and says how to appeal', async () => {
      const appealed = await pendingCase(analyst, 'appealed');
      await postJson(seniorB, `/api/v1/cases/${appealed.id}/review`, { decision: 'confirm', verdict: 'national', classification: CLASSIFICATION }).expect(200);
      await postJson(seniorA, `/api/v1/cases/${appealed.id}/appeal`, { reason: 'the page shows adults only, look again' }).expect(200);

      const forC = (await get(seniorC, '/review').expect(200)).text;
      expect(tableOf(forC, 'appeals-list')).toContain(appealed.id);
      expect(tableOf(forC, 'pending-list')).not.toContain(appealed.id);
      expect(rowOf(tableOf(forC, 'appeals-list'), appealed.id)).not.toContain('took-part');
      expect(forC).toContain('To appeal, open the decided case’s page');
      expect(forC).toMatch(/data-key="a"/);
      // the reviewer and the appellant took part in the verdict under appeal
      expect(rowOf((await get(seniorB, '/review')).text, appealed.id)).toContain('took-part');
      expect(rowOf((await get(seniorA, '/review')).text, appealed.id)).toContain('took-part');
    });

    it('counts second reviews that overturned and appeals that reversed the verdict', async () => {
      // Fixture rows in a window of their own (1999), so other tests' reviews do not count.
      const caseId = uuidv7();
      await db.query(
        `INSERT INTO "case" (id, dedup_key, canonical_url, host, status, verdict, report_count, first_reported_at, last_reported_at)
         VALUES ($1, $2, $3, $4, 'confirmed', 'national', 1, now(), now())`,
        [caseId, randomBytes(32).toString('hex'), `http://quality-${tag}.example.com/`, `quality-${tag}.example.com`],
      );
      await recordFixtureCreated(db, caseId);
      const rows: [string, string | null, number][] = [
        ['assessment', null, 0],
        ['review', 'confirm', 1],
        ['review', 'overturn', 2],
        ['review', 'confirm', 3],
        ['review', 'confirm', 4],
        ['appeal', null, 5],
        ['appeal_review', 'overturn', 6],
        ['appeal', null, 7],
        ['appeal_review', 'confirm', 8],
        ['appeal', null, 9],
        ['appeal_review', 'confirm', 10],
      ];
      for (const [kind, decision, minute] of rows) {
        await db.query(
          `INSERT INTO assessment (id, case_id, kind, staff_user_id, verdict, decision, created_at) VALUES ($1, $2, $3, $4, 'national', $5, timestamptz '1999-03-01 10:00Z' + $6 * interval '1 minute')`,
          [uuidv7(), caseId, kind, seniorC.id, decision, minute],
        );
      }
      const repository = consoleApp.get(AssessmentRepository);
      const dataSource = consoleApp.get(DataSource);
      const window = { since: new Date('1999-03-01T10:00:00Z'), until: new Date('1999-03-01T11:00:00Z') };
      expect(await repository.reviewQuality(dataSource, window)).toEqual({ reviews: 4, overturned: 1, appealsDecided: 3, appealsReversed: 1 });
      expect(await repository.reviewQuality(dataSource, { since: new Date('1999-03-01T10:02:00Z'), until: new Date('1999-03-01T10:07:00Z') })).toEqual({
        reviews: 3,
        overturned: 1,
        appealsDecided: 1,
        appealsReversed: 1,
      });

      // The page's numbers are the repository's (other tests may review meanwhile: counts only grow).
      const before = await repository.reviewQuality(dataSource, { since: null, until: null });
      const page = (await get(seniorB, '/review').expect(200)).text;
      const after = await repository.reviewQuality(dataSource, { since: null, until: null });
      const cell = (id: string) => {
        const match = new RegExp(`id="${id}" data-changed="(\\d+)" data-decided="(\\d+)"`).exec(page);
        expect(match).not.toBeNull();
        return { changed: Number(match![1]), decided: Number(match![2]) };
      };
      const within = (value: number, key: keyof ReviewQualityCounts) => {
        expect(value).toBeGreaterThanOrEqual(before[key]);
        expect(value).toBeLessThanOrEqual(after[key]);
      };
      const allReviews = cell('disagreement-all');
      within(allReviews.changed, 'overturned');
      within(allReviews.decided, 'reviews');
      const allAppeals = cell('appeals-all');
      within(allAppeals.changed, 'appealsReversed');
      within(allAppeals.decided, 'appealsDecided');
      // the 1999 rows are in "all time", not in the last 30 days
      const recentReviews = cell('disagreement-recent');
      expect(recentReviews.decided).toBeLessThanOrEqual(allReviews.decided - 4);
      expect(cell('appeals-recent').decided).toBeLessThanOrEqual(allAppeals.decided - 3);
      expect(page).toMatch(/\d+ of \d+ \(\d+(\.\d)?%\)/);
    });

    it('is not for an analyst (the 403 page) nor an administrator', async () => {
      const refused = await get(analyst, '/review');
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toMatch(/^text\/html/);
      expect(refused.text).toContain('Not for your role');
      expect(refused.text).not.toContain(assessed.id);
      expect((await get(admin, '/review')).status).toBe(403);
    });
  });

  describe('the users page', () => {
    const password = `initial-${randomBytes(8).toString('hex')}`;
    const email = `new-user-${tag}@hotline.test`;
    let createdId: string;

    async function userRow(id: string): Promise<Record<string, any>> {
      const { rows } = await db.query(`SELECT * FROM staff_user WHERE id = $1`, [id]);
      return rows[0];
    }

    it('lists the staff users with their role, agency, second factor and status', async () => {
      const liaison = await signIn(consoleApp, 'le_liaison', { agency: `Agency ${tag}` });
      const page = (await get(admin, '/admin/users').expect(200)).text;
      const row = new RegExp(`<tr data-user-id="${liaison.id}"[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';
      expect(row).toContain(liaison.email);
      expect(row).toContain('Law-enforcement liaison');
      expect(row).toContain(`Agency ${tag}`);
      expect(row).toContain('Enrolled');
      expect(row).toContain('Active');
      expect(row).toContain(`href="/admin/users/${liaison.id}"`);
      expect(page).toContain('aria-keyshortcuts="c"');
    });

    it('creates a user who enrols by QR code at their first sign-in; the admin never sees the secret', async () => {
      const created = await postForm(admin, '/admin/users', { email, role: 'analyst', agency: '', password });
      expect(created.status).toBe(303);
      const location = created.headers.location as string;
      expect(location).toMatch(/^\/admin\/users\?done=created&id=[0-9a-f-]{36}$/);
      createdId = new URL(location, 'http://console').searchParams.get('id')!;
      const row = await userRow(createdId);
      expect(row).toMatchObject({ email, role: 'analyst', agency: null, totp_enrolled_at: null, disabled_at: null });
      const { rows: audit } = await db.query(`SELECT actor_id, detail FROM audit_event WHERE action = 'user.created' AND target_id = $1`, [createdId]);
      expect(audit).toEqual([{ actor_id: admin.id, detail: expect.objectContaining({ role: 'analyst', totpDelivery: 'qr-code' }) }]);

      const after = (await get(admin, location).expect(200)).text;
      expect(after).toContain(`${email} was created`);
      expect(after).not.toContain('otpauth://');
      expect(after).not.toContain('<svg');
      const listed = new RegExp(`<tr data-user-id="${createdId}"[\\s\\S]*?</tr>`).exec(after)?.[0];
      expect(listed).toContain('Pending: set up at next sign-in');
      expect(listed).toContain('Still to choose their own password');

      // The new user signs in: password, no code yet, and the page shows the QR code.
      const signInPage = await request(server()).post('/login').type('form').send({ email, password, totp: '', next: '/' });
      expect(signInPage.status).toBe(200);
      expect(signInPage.text).toContain('<svg');
      // No language links: they would lead away from this QR code (the form's language is kept).
      expect(signInPage.text).not.toContain('class="langs"');
      const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(signInPage.text)![1].replace(/\s/g, '');
      const ticket = /name="ticket" value="([^"]+)"/.exec(signInPage.text)![1];
      const enrolled = await request(server())
        .post('/enrol')
        .type('form')
        .send({ ticket, code: totpCode(secret), next: '/' });
      expect(enrolled.status).toBe(303);
      expect(String(enrolled.headers['set-cookie'])).toMatch(/HttpOnly/i);
      expect((await userRow(createdId)).totp_enrolled_at).not.toBeNull();
    });

    it('refuses bad input in the page, each error next to its field, keeping what was typed but never the password', async () => {
      const typedPassword = 'short-pw';
      const bad = await postForm(admin, '/admin/users', { email: `not an email ${tag}`, role: 'root', agency: '', password: typedPassword });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('Please correct the following');
      expect(bad.text).toMatch(/<p class="field-error" id="new-email-error">Enter an email address/);
      expect(bad.text).toContain('id="new-role-error"');
      expect(bad.text).toMatch(/id="new-password-error">The password must have 12 to 1024 characters/);
      expect(bad.text).toContain(`value="not an email ${tag}"`);
      expect(bad.text).not.toContain(typedPassword);
      expect(bad.text).toContain('aria-invalid="true"');

      const liaison = await postForm(admin, '/admin/users', { email: `liaison-${tag}@hotline.test`, role: 'le_liaison', agency: ' ', password });
      expect(liaison.status).toBe(400);
      expect(liaison.text).toMatch(/id="new-agency-error">A law-enforcement liaison needs an agency/);

      const taken = await postForm(admin, '/admin/users', { email, role: 'analyst', agency: '', password });
      expect(taken.status).toBe(400);
      expect(taken.text).toMatch(/id="new-email-error">A user with this email already exists/);

      const french = await request(server())
        .post('/admin/users')
        .set('authorization', admin.bearer)
        .set('accept-language', 'fr')
        .type('form')
        .send({ email: 'x', role: 'analyst', password });
      expect(french.status).toBe(400);
      expect(french.text).toContain('Saisissez une adresse e-mail');

      // an empty JSON body (as API clients could send) is bad input, not an error of the server
      expect((await postJson(admin, '/admin/users', {})).status).toBe(400);
    });

    it('changes a role and agency, which signs the user out everywhere', async () => {
      const user = await signIn(consoleApp, 'analyst', { label: 'promoted' });
      const wrong = await postForm(admin, `/admin/users/${user.id}/role`, { role: 'le_liaison', agency: '' });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toMatch(/id="agency-error">A law-enforcement liaison needs an agency/);
      expect((await userRow(user.id)).role).toBe('analyst');

      const changed = await postForm(admin, `/admin/users/${user.id}/role`, { role: 'le_liaison', agency: `Police ${tag}` });
      expect(changed.status).toBe(303);
      expect(changed.headers.location).toBe(`/admin/users?done=role&id=${user.id}`);
      expect(await userRow(user.id)).toMatchObject({ role: 'le_liaison', agency: `Police ${tag}` });
      expect((await request(server()).get('/api/v1/auth/me').set('authorization', user.bearer)).status).toBe(401);
      expect((await get(admin, changed.headers.location).expect(200)).text).toContain('The role was changed');
    });

    it('disables a user after a confirmation: their sessions end at once', async () => {
      const user = await signIn(consoleApp, 'analyst', { label: 'leaving' });
      const page = (await get(admin, `/admin/users/${user.id}`).expect(200)).text;
      expect(page).toContain(`Yes, disable ${user.email}`);
      expect(page).not.toMatch(/confirm\(/);

      const unconfirmed = await postForm(admin, `/admin/users/${user.id}/disable`, {});
      expect(unconfirmed.status).toBe(400);
      expect(unconfirmed.text).toContain('id="disable-confirm-error"');
      expect((await userRow(user.id)).disabled_at).toBeNull();
      expect((await request(server()).get('/queues').set('authorization', user.bearer)).status).toBe(200);

      const disabled = await postForm(admin, `/admin/users/${user.id}/disable`, { confirm: 'yes' });
      expect(disabled.status).toBe(303);
      expect(disabled.headers.location).toBe(`/admin/users?done=disabled&id=${user.id}`);
      expect((await userRow(user.id)).disabled_at).not.toBeNull();
      expect((await request(server()).get('/api/v1/queues').set('authorization', user.bearer)).status).toBe(401);
      const { rows } = await db.query(`SELECT actor_id FROM audit_event WHERE action = 'user.disabled' AND target_id = $1`, [user.id]);
      expect(rows).toEqual([{ actor_id: admin.id }]);
      const after = (await get(admin, `/admin/users/${user.id}`).expect(200)).text;
      expect(after).toContain('This user is disabled');
      expect(after).not.toContain(`/admin/users/${user.id}/disable"`);
    });

    it('refuses to let an administrator disable themselves or change their own role', async () => {
      const self = await postForm(admin, `/admin/users/${admin.id}/disable`, { confirm: 'yes' });
      expect(self.status).toBe(400);
      expect(self.text).toContain('You cannot disable your own account');
      const role = await postForm(admin, `/admin/users/${admin.id}/role`, { role: 'analyst' });
      expect(role.status).toBe(400);
      expect(await userRow(admin.id)).toMatchObject({ role: 'admin', disabled_at: null });
      expect((await get(admin, '/admin/users')).status).toBe(200);
    });

    it('resets the second factor: signed out, and enrolled again by QR code at the next sign-in', async () => {
      const user = await signIn(consoleApp, 'senior_analyst', { label: 'lost-phone' });
      expect((await postForm(admin, `/admin/users/${user.id}/reset-totp`, {})).status).toBe(400);
      const reset = await postForm(admin, `/admin/users/${user.id}/reset-totp`, { confirm: 'yes' });
      expect(reset.status).toBe(303);
      expect(reset.headers.location).toBe(`/admin/users?done=totp&id=${user.id}`);
      expect((await userRow(user.id)).totp_enrolled_at).toBeNull();
      expect((await request(server()).get('/api/v1/auth/me').set('authorization', user.bearer)).status).toBe(401);
      const { rows } = await db.query(`SELECT detail FROM audit_event WHERE action = 'user.totp_reset' AND target_id = $1`, [user.id]);
      expect(rows).toEqual([{ detail: expect.objectContaining({ totpDelivery: 'qr-code' }) }]);
      // the admin's page never shows the new secret
      expect((await get(admin, reset.headers.location).expect(200)).text).not.toContain('otpauth://');

      const again = await request(server())
        .post('/login')
        .type('form')
        .send({ email: user.email, password: user.password, totp: totpCode(user.totpSecret) });
      expect(again.status).toBe(200);
      expect(again.text).toContain('<svg');
      expect(again.text).toContain('id="totp-secret"');
    });

    it('answers the not-found page for an unknown user, and 403 to an analyst', async () => {
      expect((await get(admin, `/admin/users/${uuidv7()}`)).status).toBe(404);
      expect((await get(admin, '/admin/users/not-a-user')).status).toBe(404);
      expect((await postForm(admin, `/admin/users/${uuidv7()}/disable`, { confirm: 'yes' })).status).toBe(404);
      const refused = await get(analyst, '/admin/users');
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('Not for your role');
      expect((await postForm(analyst, '/admin/users', { email: `x-${tag}@hotline.test`, role: 'admin', password })).status).toBe(403);
      expect((await postForm(seniorA, `/admin/users/${createdId}/disable`, { confirm: 'yes' })).status).toBe(403);
      expect((await userRow(createdId)).disabled_at).toBeNull();
    });
  });
});
