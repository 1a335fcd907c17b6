import { ExchangeKeyPair, generateExchangeKeyPair, PartnerDirectory, signRequest } from '@hotline/exchange';
import { PinoNestLogger } from '@hotline/observability';
import { PERMISSIONS, STAFF_ROLES, StaffRole } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { createIntakeApp } from '../../apps/intake-api/src/intake-app';
import { testConfig } from '../support/config';
import { concretePath, consoleAppWithRoutes, RouteUnderTest } from '../support/console-routes';
import { SignedInStaff, signIn } from '../support/staff';

const tag = randomBytes(3).toString('hex');
const EXCHANGE_PATH = '/api/v1/exchange/messages';

/** JSON texts (not objects: `{ __proto__: ... }` in code is no key at all) with a reserved name where class-transformer or a merge would trip on it. */
const HOSTILE_BODIES: { name: string; json: string; field: string }[] = [
  { name: '__proto__ at the top', json: '{"__proto__":{"polluted":true}}', field: '__proto__' },
  { name: 'constructor at the top', json: '{"constructor":"x"}', field: 'constructor' },
  { name: 'prototype at the top', json: '{"prototype":{"polluted":true}}', field: 'prototype' },
  { name: 'constructor.prototype', json: '{"constructor":{"prototype":{"polluted":true}}}', field: 'constructor' },
  { name: 'constructor one level down', json: '{"email":"a@example.org","password":{"constructor":"x"},"totp":"123456"}', field: 'password.constructor' },
  { name: '__proto__ in an array', json: '{"urls":[{"__proto__":{"polluted":true}}]}', field: 'urls[0].__proto__' },
  { name: 'prototype five levels down', json: '{"classification":{"a":{"b":{"c":{"prototype":1}}}}}', field: 'classification.a.b.c.prototype' },
  { name: 'constructor in an array body', json: '[{"constructor":{"name":"x"}}]', field: '[0].constructor' },
];

/**
 * Hostile input is cheap and harmless: bodies with `__proto__`, `constructor` or `prototype` keys
 * at any depth, sent to EVERY console-api route that takes a body (found at run time, so new
 * routes are covered), with and without a token of a role the route permits, and to the
 * intake's POST routes, get a 4xx problem+json, never a 5xx, and nothing is logged as an error.
 */
describe('hostile input', () => {
  let consoleApp: NestFastifyApplication;
  let intakeApp: NestFastifyApplication;
  let routes: RouteUnderTest[] = [];
  const staff = new Map<StaffRole, SignedInStaff>();
  /** A partner of ours, and its key pair: it signs with the private key. */
  let theirs: ExchangeKeyPair;
  let errorLogs: jest.SpyInstance;

  beforeAll(async () => {
    const config = testConfig({ BULL_BOARD_ENABLED: 'true', REDIS_PREFIX: `{hotline-hostile-${tag}}` });
    ({ app: consoleApp, routes } = await consoleAppWithRoutes(config));
    intakeApp = await createIntakeApp(config);
    for (const role of STAFF_ROLES) staff.set(role, await signIn(consoleApp, role, { label: `hostile-${role}` }));
    theirs = generateExchangeKeyPair();
    await consoleApp
      .get(PartnerDirectory)
      .add({ name: `hostile-${tag}`, countries: ['DE'], baseUrl: 'http://127.0.0.1:9', theirPublicKey: theirs.publicKey }, { id: null, role: 'cli' });
    // Every error Nest (and the problem filter, for a 500) logs goes through the app's logger.
    errorLogs = jest.spyOn(PinoNestLogger.prototype, 'error');
  });

  afterEach(() => {
    const logged = errorLogs.mock.calls;
    errorLogs.mockClear();
    expect(logged).toEqual([]);
  });

  afterAll(async () => {
    errorLogs?.mockRestore();
    await intakeApp?.close();
    await consoleApp?.close();
  });

  const takesBody = (route: RouteUnderTest) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method);
  const endsSession = (route: RouteUnderTest) => /\/logout(-everywhere)?$/.test(route.url);

  /** A role the route lets in (none for public and partner routes: they take no staff token). */
  function permittedRole(route: RouteUnderTest): StaffRole | null {
    return route.access.kind === 'permission' ? (PERMISSIONS[route.access.permission] as readonly StaffRole[])[0] : null;
  }

  function send(app: NestFastifyApplication, route: RouteUnderTest, json: string, headers: Record<string, string> = {}) {
    const path = concretePath(route.url, randomUUID, () => `no-such-queue-${randomBytes(3).toString('hex')}`);
    const method = route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete';
    return request(app.getHttpServer())[method](path).set('content-type', 'application/json').set(headers).send(json);
  }

  /** "METHOD url (how): status" for each answer that is not a 4xx problem+json. */
  function unlessProblem4xx(what: string, response: request.Response): string[] {
    const problem = /^application\/problem\+json/.test(response.headers['content-type'] ?? '');
    return response.status >= 400 && response.status < 500 && problem
      ? []
      : [`${what}: ${response.status} ${response.headers['content-type']} ${response.text.slice(0, 160)}`];
  }

  it('finds the console routes that take a body, the contract ones among them', () => {
    const keys = routes.filter(takesBody).map((route) => `${route.method} ${route.url}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/login',
        'POST /api/v1/cases/:id/assessment',
        'POST /api/v1/cases/:id/reveal',
        'PUT /api/v1/routing-rules',
        `POST ${EXCHANGE_PATH}`,
      ]),
    );
  });

  it('answers the login with a nested `constructor` 400 problem+json naming the field, without a token', async () => {
    const response = await request(consoleApp.getHttpServer())
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .set('accept-language', 'fr')
      .send('{"email":"a@example.org","password":{"constructor":"x"},"totp":"123456"}');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['content-language']).toBe('fr');
    expect(response.body).toMatchObject({ type: '/problems/invalid-request', status: 400, title: 'La requête contient des erreurs' });
    expect(response.body.errors).toEqual([{ field: 'password.constructor', message: expect.any(String) }]);
  });

  it.each(HOSTILE_BODIES.map((body) => [body.name, body]))('names the offending key of a body with %s', async (_, body) => {
    const response = await request(consoleApp.getHttpServer()).post('/api/v1/auth/login').set('content-type', 'application/json').send(body.json);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: body.field })]));
  });

  it('refuses a body nested deeper than anything we accept with 400, cheaply', async () => {
    const levels = 30_000;
    const started = Date.now();
    const response = await request(consoleApp.getHttpServer())
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(`{"email":${'['.repeat(levels)}${']'.repeat(levels)}}`);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers 4xx problem+json on every console route that takes a body, without a token and with a permitted one', async () => {
    const wrong: string[] = [];
    // Logging out (here or everywhere) ends the session the other requests use, so it goes last.
    const ordered = routes.filter(takesBody).sort((a, b) => Number(endsSession(a)) - Number(endsSession(b)));
    expect(ordered.length).toBeGreaterThanOrEqual(10);
    for (const route of ordered) {
      const role = permittedRole(route);
      for (const body of HOSTILE_BODIES) {
        const what = (how: string) => `${route.method} ${route.url} ${body.name} (${how})`;
        wrong.push(...unlessProblem4xx(what('no token'), await send(consoleApp, route, body.json)));
        if (role) {
          const response = await send(consoleApp, route, body.json, { authorization: staff.get(role)!.bearer });
          wrong.push(...unlessProblem4xx(what(role), response));
          if (response.status !== 400) wrong.push(`${what(role)}: ${response.status}, not 400`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("answers 4xx problem+json to a hostile form posted to every console page's form, without a token and with a permitted one", async () => {
    const wrong: string[] = [];
    const forms = routes.filter((route) => route.page && takesBody(route)).sort((a, b) => Number(endsSession(a)) - Number(endsSession(b)));
    expect(forms.map((route) => `${route.method} ${route.url}`)).toEqual(expect.arrayContaining(['POST /login', 'POST /enrol', 'POST /logout']));
    for (const route of forms) {
      const role = permittedRole(route);
      for (const form of ['email=a%40example.org&constructor=x', 'prototype=x&language=fr', '__proto__=x']) {
        const what = (how: string) => `${route.method} ${route.url} form ${form} (${how})`;
        const post = (headers: Record<string, string>) =>
          request(consoleApp.getHttpServer())
            .post(concretePath(route.url, randomUUID, () => `no-such-queue-${randomBytes(3).toString('hex')}`))
            .set('content-type', 'application/x-www-form-urlencoded')
            .set(headers)
            .send(form);
        wrong.push(...unlessProblem4xx(what('no token'), await post({})));
        if (role) wrong.push(...unlessProblem4xx(what(role), await post({ authorization: staff.get(role)!.bearer })));
      }
    }
    expect(wrong).toEqual([]);
    // And nothing reached a prototype on the way.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a partner who signed a hostile body 400 problem+json', async () => {
    const wrong: string[] = [];
    for (const body of HOSTILE_BODIES) {
      const headers = signRequest({ method: 'POST', path: EXCHANGE_PATH, body: body.json }, theirs);
      const response = await request(consoleApp.getHttpServer()).post(EXCHANGE_PATH).set('content-type', 'application/json').set(headers).send(body.json);
      wrong.push(...unlessProblem4xx(`signed ${body.name}`, response));
      if (response.status !== 400) wrong.push(`signed ${body.name}: ${response.status}, not 400`);
    }
    expect(wrong).toEqual([]);
  });

  it("answers 4xx problem+json on the intake's POST routes: the report API, and the report page as JSON and as a form", async () => {
    const wrong: string[] = [];
    const server = intakeApp.getHttpServer();
    for (const body of HOSTILE_BODIES) {
      for (const path of ['/api/v1/reports', '/']) {
        wrong.push(...unlessProblem4xx(`POST ${path} ${body.name}`, await request(server).post(path).set('content-type', 'application/json').send(body.json)));
      }
    }
    for (const form of [
      'urls=http%3A%2F%2Fexample.com%2Fa&constructor=x',
      'urls=http%3A%2F%2Fexample.com%2Fa&prototype=x',
      'urls=http%3A%2F%2Fexample.com%2Fa&__proto__=x',
    ]) {
      wrong.push(...unlessProblem4xx(`POST / form ${form}`, await request(server).post('/').set('content-type', 'application/x-www-form-urlencoded').send(form)));
    }
    expect(wrong).toEqual([]);
  });
});
