import { abuseContactRepository } from '@hotline/persistence';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { testConfig, testEnv } from '../support/config';
import { connectDatabase } from '../support/database';
import { AppProcess, ensureBuilt, ROOT } from '../support/processes';
import { SignedInStaff, signIn } from '../support/staff';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The abuse-contact directory through the staff API (admins only, audited, conflicts 409) and the
 * CLI's CSV and RDAP-file imports (all or nothing, bad lines named), against the run's database.
 * Domains and AS numbers are this file's own (a tag, a private-use ASN range).
 */
describe('abuse-contact directory', () => {
  const tag = randomBytes(4).toString('hex');
  // Private-use 32-bit ASNs (RFC 6996), a block of this run's own.
  const asnBase = 4_200_000_000 + randomInt(0, 90_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'hotline-abuse-'));
  let consoleApp: NestFastifyApplication;
  let db: Client;
  let admin: SignedInStaff;
  let analyst: SignedInStaff;

  const server = () => consoleApp.getHttpServer();
  const api = (who: SignedInStaff) => ({
    get: (path: string) => request(server()).get(path).set('authorization', who.bearer),
    post: (path: string, body: unknown) =>
      request(server())
        .post(path)
        .set('authorization', who.bearer)
        .send(body as object),
    put: (path: string, body: unknown) =>
      request(server())
        .put(path)
        .set('authorization', who.bearer)
        .send(body as object),
    delete: (path: string) => request(server()).delete(path).set('authorization', who.bearer),
    csv: (text: string | Buffer, type = 'text/csv') =>
      request(server()).post('/api/v1/abuse-contacts/import').set('authorization', who.bearer).set('content-type', type).send(text),
  });
  const audit = async (action: string) => (await db.query(`SELECT actor_id, target_id, detail FROM audit_event WHERE action = $1 ORDER BY seq`, [action])).rows;

  async function cli(...args: string[]): Promise<CliResult> {
    const proc = await AppProcess.start('cli', testEnv(), undefined, args);
    let stdout = '';
    let stderr = '';
    proc.child.stdout!.on('data', (chunk) => (stdout += chunk));
    proc.child.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => proc.child.once('close', (exitCode) => resolve(exitCode)));
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    ensureBuilt();
    consoleApp = await createConsoleApp(testConfig());
    db = await connectDatabase();
    admin = await signIn(consoleApp, 'admin', { label: 'abuse-admin' });
    analyst = await signIn(consoleApp, 'analyst', { label: 'abuse-analyst' });
  });

  afterAll(async () => {
    await consoleApp?.close();
    await db?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, finds, pages, updates and deletes a contact, each change audited', async () => {
    const created = await api(admin)
      .post('/api/v1/abuse-contacts', { organisation: `Bücher Hosting ${tag}`, email: 'Abuse@Bücher.example', language: 'de-AT', domain: `BÜCHER-${tag}.example` })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      organisation: `Bücher Hosting ${tag}`,
      email: 'Abuse@xn--bcher-kva.example',
      language: 'de',
      domain: new URL(`http://bücher-${tag}.example`).hostname,
      asn: null,
      source: 'manual',
      note: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id;
    expect(await audit('abuse_contact.created')).toEqual(
      expect.arrayContaining([{ actor_id: admin.id, target_id: id, detail: expect.objectContaining({ domain: created.body.domain, asn: null }) }]),
    );

    const network = await api(admin)
      .post('/api/v1/abuse-contacts', { organisation: `Net ${tag}`, email: 'noc@net.example', asn: `AS${asnBase}` })
      .expect(201);
    expect(network.body.asn).toBe(asnBase);

    // What a notice is addressed from: the domain's own desk first, else the network's.
    const trace = { registrableDomain: created.body.domain, asn: asnBase };
    const dataSource = consoleApp.get(DataSource);
    expect((await abuseContactRepository.findForHost(dataSource, trace))?.id).toBe(id);
    expect((await abuseContactRepository.findForHost(dataSource, { registrableDomain: `other-${tag}.example`, asn: asnBase }))?.id).toBe(network.body.id);
    expect(await abuseContactRepository.findForHost(dataSource, { registrableDomain: `other-${tag}.example`, asn: null })).toBeNull();

    const found = await api(admin)
      .get(`/api/v1/abuse-contacts?q=${encodeURIComponent(`hosting ${tag}`)}`)
      .expect(200);
    expect(found.body).toEqual({ contacts: [expect.objectContaining({ id })], nextCursor: null });
    const byAsn = await api(admin).get(`/api/v1/abuse-contacts?q=${asnBase}`).expect(200);
    expect(byAsn.body.contacts.map((c: { id: string }) => c.id)).toEqual([network.body.id]);
    // LIKE's wildcards are text like any other.
    expect(
      (
        await api(admin)
          .get(`/api/v1/abuse-contacts?q=${encodeURIComponent(`%_${tag}`)}`)
          .expect(200)
      ).body.contacts,
    ).toEqual([]);
    expect((await api(admin).get(`/api/v1/abuse-contacts/${id}`).expect(200)).body.id).toBe(id);

    const updated = await api(admin)
      .put(`/api/v1/abuse-contacts/${id}`, {
        organisation: `Bücher Hosting ${tag}`,
        email: 'abuse@buecher.example',
        language: 'fr',
        domain: created.body.domain,
        note: 'answers in 4h',
      })
      .expect(200);
    expect(updated.body).toEqual(expect.objectContaining({ id, email: 'abuse@buecher.example', language: 'fr', note: 'answers in 4h' }));

    await api(admin).delete(`/api/v1/abuse-contacts/${id}`).expect(204);
    await api(admin).get(`/api/v1/abuse-contacts/${id}`).expect(404);
    await api(admin).delete(`/api/v1/abuse-contacts/${id}`).expect(404);
    await api(admin).put(`/api/v1/abuse-contacts/${id}`, { organisation: 'x', email: 'a@b.example', asn: 1 }).expect(404);
    await api(admin).get('/api/v1/abuse-contacts/not-a-uuid').expect(404);
    expect((await audit('abuse_contact.deleted')).map((row) => row.target_id)).toContain(id);
  });

  it('pages by organisation with a cursor', async () => {
    for (let i = 0; i < 53; i++) {
      await api(admin)
        .post('/api/v1/abuse-contacts', { organisation: `Pager ${tag} ${String(i).padStart(2, '0')}`, email: 'a@p.example', domain: `pager${i}-${tag}.example` })
        .expect(201);
    }
    const first = await api(admin)
      .get(`/api/v1/abuse-contacts?q=${encodeURIComponent(`pager ${tag}`)}`)
      .expect(200);
    expect(first.body.contacts).toHaveLength(50);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api(admin)
      .get(`/api/v1/abuse-contacts?q=${encodeURIComponent(`pager ${tag}`)}&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.contacts.map((c: { organisation: string }) => c.organisation)).toEqual([50, 51, 52].map((i) => `Pager ${tag} ${i}`));
    expect(second.body.nextCursor).toBeNull();
    const bad = await api(admin).get('/api/v1/abuse-contacts?cursor=nonsense').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('answers bad fields 400 and a domain or ASN already taken 409, never 500', async () => {
    const bad = await api(admin).post('/api/v1/abuse-contacts', { organisation: '', email: 'Abuse <a@b.example>', domain: 'https://x.example/', asn: 5 }).expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['organisation', 'email', 'domain', 'domain']);
    const sub = await api(admin)
      .post('/api/v1/abuse-contacts', { organisation: 'x', email: 'a@b.example', domain: `img.cdn-${tag}.example` })
      .expect(400);
    expect(sub.body.errors).toEqual([{ field: 'domain', message: `a subdomain: give the registrable domain cdn-${tag}.example` }]);
    await api(admin).post('/api/v1/abuse-contacts', { organisation: 'x', email: 'a@b.example', asn: 4294967296 }).expect(400);
    await api(admin).post('/api/v1/abuse-contacts', { organisation: 'x', email: 'a@b.example', asn: true }).expect(400);
    await api(admin).post('/api/v1/abuse-contacts', { organisation: 'x', email: 'a@b.example', asn: 7, extra: 1 }).expect(400);

    const domain = `taken-${tag}.example`;
    const one = await api(admin).post('/api/v1/abuse-contacts', { organisation: 'First', email: 'a@first.example', domain }).expect(201);
    const clash = await api(admin).post('/api/v1/abuse-contacts', { organisation: 'Second', email: 'a@second.example', domain: domain.toUpperCase() }).expect(409);
    expect(clash.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(clash.body).toMatchObject({ type: '/problems/abuse-contact-taken', title: 'Contact already in the directory' });
    expect(clash.body.errors).toEqual([{ field: 'domain', message: 'another abuse contact already answers for this domain' }]);
    await api(admin)
      .post('/api/v1/abuse-contacts', { organisation: 'Net A', email: 'a@n.example', asn: asnBase + 1 })
      .expect(201);
    const other = await api(admin)
      .post('/api/v1/abuse-contacts', { organisation: 'Net B', email: 'a@n.example', asn: asnBase + 2 })
      .expect(201);
    const asnClash = await api(admin)
      .put(`/api/v1/abuse-contacts/${other.body.id}`, { organisation: 'Net B', email: 'a@n.example', asn: asnBase + 1 })
      .expect(409);
    expect(asnClash.body.errors).toEqual([{ field: 'asn', message: 'another abuse contact already answers for this AS number' }]);
    expect((await api(admin).get(`/api/v1/abuse-contacts/${one.body.id}`).expect(200)).body.organisation).toBe('First');
  });

  it('imports CSV all or nothing: created and updated counted, bad lines named, nothing written', async () => {
    const domain = `csv-${tag}.example`;
    const good = [
      'organisation,email,language,domain,asn,note',
      `"CSV Hosting, ${tag}",abuse@csv.example,es,${domain},,first import`,
      `CSV Net ${tag},noc@csv.example,,,AS${asnBase + 10},`,
    ].join('\r\n');
    expect((await api(admin).csv(good).expect(200)).body).toEqual({ created: 2, updated: 0, errors: [] });
    const again = good.replace('first import', 'second import') + `\nCSV Three ${tag},a@three.example,en,three-${tag}.example,,`;
    expect((await api(admin).csv(again, 'text/csv; charset=utf-8').expect(200)).body).toEqual({ created: 1, updated: 2, errors: [] });
    const listed = (await api(admin).get(`/api/v1/abuse-contacts?q=${domain}`).expect(200)).body.contacts;
    expect(listed).toEqual([expect.objectContaining({ organisation: `CSV Hosting, ${tag}`, language: 'es', note: 'second import', source: 'csv' })]);
    expect((await audit('abuse_contacts.imported')).map((row) => row.detail)).toEqual(
      expect.arrayContaining([expect.objectContaining({ source: 'csv', created: 1, updated: 2 })]),
    );

    const bad = [
      'organisation,email,language,domain,asn,note',
      `Fine ${tag},abuse@fine.example,en,fine-${tag}.example,,`,
      `Broken ${tag},nobody,en,broken-${tag}.example,,`,
      `Twice ${tag},abuse@fine.example,en,FINE-${tag}.example,,`,
    ].join('\n');
    const refused = await api(admin).csv(bad).expect(400);
    expect(refused.body.errors).toEqual([
      { field: 'line 3', message: expect.stringContaining('email: not an email address') },
      { field: 'line 4', message: `the same domain fine-${tag}.example as line 2` },
    ]);
    expect((await api(admin).get(`/api/v1/abuse-contacts?q=fine-${tag}`).expect(200)).body.contacts).toEqual([]);

    expect((await api(admin).csv('organisation,email,domain\n').expect(400)).body.errors).toEqual([{ field: 'line 1', message: 'the file holds no contacts' }]);
    expect(
      (
        await api(admin)
          .csv(Buffer.from([0x6f, 0xff, 0xfe, 0x0a]))
          .expect(400)
      ).body.errors,
    ).toEqual([{ field: 'body', message: 'the file is not UTF-8 text' }]);
    await api(admin).csv('organisation,email\n', 'application/json').expect(400);
    await request(server()).post('/api/v1/abuse-contacts/import').set('authorization', admin.bearer).send({ organisation: 'x' }).expect(415);
    const big = `organisation,email,language,domain,asn,note\n${'x'.repeat(5 * 1024 * 1024)}`;
    expect((await api(admin).csv(big).expect(413)).headers['content-type']).toMatch(/^application\/problem\+json/);
    // CSV goes to the import only.
    await request(server()).post('/api/v1/abuse-contacts').set('authorization', admin.bearer).set('content-type', 'text/csv').send('a,b\n').expect(415);
  });

  it('is for admins only', async () => {
    await api(analyst).get('/api/v1/abuse-contacts').expect(403);
    await api(analyst).post('/api/v1/abuse-contacts', { organisation: 'x', email: 'a@b.example', asn: 9 }).expect(403);
    await api(analyst).csv('organisation,email,asn\nx,a@b.example,9\n').expect(403);
    await request(server()).get('/api/v1/abuse-contacts').expect(401);
  });

  it('imports from the CLI: CSV and RDAP files, counts printed, bad input exit 2 naming the line, audited', async () => {
    const csv = join(dir, 'contacts.csv');
    writeFileSync(csv, `organisation,email,language,domain,asn,note\nCLI Host ${tag},abuse@cli.example,ar,cli-${tag}.example,,\n`);
    expect(await cli('abuse-contacts:import', csv)).toEqual({ code: 0, stdout: 'imported 1 abuse contacts (1 new, 0 updated)\n', stderr: '' });
    const badCsv = join(dir, 'bad.csv');
    writeFileSync(badCsv, `organisation,email,language,domain,asn,note\nOK ${tag},a@ok.example,en,ok-${tag}.example,,\nBad,a@b.example,klingon,,${asnBase + 20},\n`);
    const refused = await cli('abuse-contacts:import', badCsv);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`1 bad line in ${badCsv}, nothing imported`);
    expect(refused.stderr).toContain('line 3: language: not a supported language');
    expect((await api(admin).get(`/api/v1/abuse-contacts?q=ok-${tag}`).expect(200)).body.contacts).toEqual([]);

    // Saved RDAP responses, as an operator fetched them elsewhere: this run's ASNs in the fixture's shapes.
    const fixture = (name: string) => readFileSync(join(ROOT, 'test/fixtures/rdap', name), 'utf8') as string;
    const rdap = join(dir, 'rdap.jsonl');
    writeFileSync(
      rdap,
      [fixture('autnum-arin-style.json').replace(/\s*\n\s*/g, ''), fixture('ripe-style.jsonl').trim()]
        .join('\n')
        .replace(/6450([0-2])/g, (_, d) => String(asnBase + 30 + Number(d))),
    );
    const imported = await cli('abuse-contacts:import-rdap', rdap, '--json');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      created: 3,
      updated: 0,
      skipped: { ipNetworkWithoutAsn: 1, noAbuseContact: 0, badEmail: 0, rangeTooLarge: 0, duplicates: 0, errorResponses: 1, otherObjects: 0 },
    });
    const dataSource = consoleApp.get(DataSource);
    expect(await abuseContactRepository.findForHost(dataSource, { registrableDomain: null, asn: asnBase + 31 })).toEqual(
      expect.objectContaining({ organisation: 'Exemple Réseaux SAS', email: 'abuse@exemple-reseaux.example', language: 'fr', source: 'rdap' }),
    );
    const text = await cli('abuse-contacts:import-rdap', rdap);
    expect(text.stdout).toBe(
      'imported 3 abuse contacts from RDAP (0 new, 3 updated)\n' +
        'skipped 1 ip networks naming no origin AS (a contact answers for a domain or an AS number, not an address range)\n' +
        'skipped 1 RDAP error responses\n',
    );
    const bad = await cli('abuse-contacts:import-rdap', join(ROOT, 'test/fixtures/rdap/bad-line.jsonl'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2: not JSON/);
    expect((await cli('abuse-contacts:import-rdap', join(dir, 'missing.json'))).code).toBe(2);
    expect((await audit('abuse_contacts.imported')).filter((row) => row.actor_id === null).map((row) => row.detail.source)).toEqual(
      expect.arrayContaining(['csv', 'rdap', 'rdap']),
    );
  });
});
