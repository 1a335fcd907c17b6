import { API_KEY_SCOPES, apiKeyRepository, type ApiKeyScope } from '@hotline/persistence';
import { newApiKey, PERMISSIONS, STAFF_ROLES, StaffRole, uuidv7 } from '@hotline/security';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { QUEUE_DASHBOARD_PATH } from '../../apps/console-api/src/queue-dashboard/queue-dashboard';
import { testConfig } from '../support/config';
import { concretePath, consoleAppWithRoutes, RouteUnderTest } from '../support/console-routes';
import { SignedInStaff, signIn } from '../support/staff';

/**
 * Route by role, over EVERY route the console-api's Fastify instance has at run time (whoever
 * added it): no token is 401 on every non-public route (a console page's GET instead sends the
 * browser to sign in: 303 to `/login?next=<the page>`); each role gets 403 exactly where the
 * permission matrix does not list it (and everywhere on a route that names no permission), and
 * otherwise neither 401 nor 403, and never a 5xx.
 */
describe('route access by role', () => {
  const staff = new Map<StaffRole, SignedInStaff>();
  let consoleApp: NestFastifyApplication;
  let routes: RouteUnderTest[] = [];

  beforeAll(async () => {
    // Bull Board acts on queues under this file's own Redis prefix, which no worker reads.
    ({ app: consoleApp, routes } = await consoleAppWithRoutes(
      testConfig({ BULL_BOARD_ENABLED: 'true', OPENAPI_UI: 'true', REDIS_PREFIX: `{hotline-routes-${randomBytes(4).toString('hex')}}` }),
    ));
    for (const role of STAFF_ROLES) staff.set(role, await signIn(consoleApp, role, { label: `routes-${role}` }));
  });

  afterAll(async () => {
    await consoleApp?.close();
  });

  /** A concrete request for a route pattern: path parameters filled, an empty JSON body. */
  function send(route: RouteUnderTest, bearer?: string) {
    const path = concretePath(route.url, randomUUID, () => `no-such-queue-${randomBytes(3).toString('hex')}`);
    const server = consoleApp.getHttpServer();
    let call = request(server)[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    if (bearer) call = call.set('Authorization', bearer);
    return ['POST', 'PUT', 'PATCH'].includes(route.method) ? call.set('Content-Type', 'application/json').send('{}') : call;
  }

  /** Logging out (here or everywhere) ends the session: each such route gets a session of its own. */
  const endsSession = (route: RouteUnderTest) => /\/logout(-everywhere)?$/.test(route.url);

  /** A public console page's form that signs in answers a refused sign-in with the sign-in page again, status 401: not the guard's refusal. */
  const signInRefused = (route: RouteUnderTest, response: request.Response) =>
    route.page && route.access.kind === 'public' && route.method === 'POST' && response.status === 401 && /<form[^>]*action="\/login"/.test(response.text);

  const said = (response: request.Response) =>
    (/^text\/html/.test(response.headers['content-type'] ?? '') ? response.text.replace(/\s+/g, ' ') : JSON.stringify(response.body)).slice(0, 200);

  it('finds every route, including the contract, the console pages and the Bull Board ones', () => {
    const keys = routes.map((route) => `${route.method} ${route.url}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /api/v1/cases/:id',
        'GET /api/v1/cases',
        'GET /api/v1/queues',
        'POST /api/v1/auth/login',
        'GET /api/v1/audit/verify',
        'GET /api/v1/audit',
        'GET /login',
        'GET /queues',
      ]),
    );
    const pages = routes.filter((route) => route.page).map((route) => `${route.method} ${route.url}`);
    expect(pages).toEqual(expect.arrayContaining(['GET /login', 'POST /login', 'GET /queues', 'POST /queues/:name/claim', 'POST /logout']));
    expect(pages).not.toEqual(expect.arrayContaining(['GET /api/v1/queues']));
    expect(routes.find((route) => route.url === '/console-assets/:file')?.access).toEqual({ kind: 'public' });
    expect(routes.some((route) => route.url.startsWith(QUEUE_DASHBOARD_PATH))).toBe(true);
    expect(routes.filter((route) => route.access.kind !== 'public').length).toBeGreaterThanOrEqual(8);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('answers 401 without a token on every route that is not public, and sends a browser from a page to sign in', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const response = await send(route);
      const path = response.request.url.replace(/^https?:\/\/[^/]+/, '');
      let ok: boolean;
      if (route.access.kind === 'public') ok = (signInRefused(route, response) || (response.status !== 401 && response.status !== 403)) && response.status < 500;
      else if (route.page && route.method === 'GET') ok = response.status === 303 && response.headers.location === `/login?next=${encodeURIComponent(path)}`;
      else ok = response.status === 401;
      if (!ok) wrong.push(`${route.method} ${route.url} (${route.access.kind}${route.page ? ', page' : ''}): ${response.status} ${response.headers.location ?? ''}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(STAFF_ROLES.map((role) => [role]))('lets %s reach exactly the routes its permissions name', async (role) => {
    const wrong: string[] = [];
    for (const route of routes) {
      const bearer = endsSession(route) ? (await signIn(consoleApp, role, { label: `routes-logout-${role}` })).bearer : staff.get(role)!.bearer;
      const response = await send(route, bearer);
      const allowed =
        route.access.kind === 'public' || (route.access.kind === 'permission' && (PERMISSIONS[route.access.permission] as readonly string[]).includes(role));
      // Partner routes take a partner's signature, API-key routes an organisation's key, never a staff token: 401 for every role.
      const ok =
        route.access.kind === 'partner' || route.access.kind === 'api_key'
          ? response.status === 401
          : allowed
            ? (signInRefused(route, response) || (response.status !== 401 && response.status !== 403)) && response.status < 500
            : response.status === 403;
      if (!ok) {
        const what = route.access.kind === 'permission' ? route.access.permission : route.access.kind;
        wrong.push(`${route.method} ${route.url} (${what}${route.page ? ', page' : ''}): ${response.status} ${said(response)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets an API key onto exactly the routes of its scopes, and onto no staff route', async () => {
    const db = consoleApp.get(DataSource);
    async function key(scopes: ApiKeyScope[]): Promise<string> {
      const made = newApiKey();
      await apiKeyRepository.create(db, {
        id: uuidv7(),
        name: `routes-${scopes.join('-')}`,
        prefix: made.prefix,
        secretHash: made.secretHash,
        scopes,
        dailyQuota: null,
        createdBy: null,
      });
      return `Bearer ${made.key}`;
    }
    const keys = new Map<ApiKeyScope, string>();
    for (const scope of API_KEY_SCOPES) keys.set(scope, await key([scope]));
    const keyRoutes = routes.filter((route) => route.access.kind === 'api_key');
    expect(keyRoutes.map((route) => `${route.method} ${route.url}`)).toEqual(expect.arrayContaining(['GET /api/v1/url-list', 'GET /api/v1/url-list/hashes']));
    const wrong: string[] = [];
    for (const route of routes) {
      for (const [scope, bearer] of keys) {
        const response = await send(route, bearer);
        let ok: boolean;
        if (route.access.kind === 'public') ok = (signInRefused(route, response) || (response.status !== 401 && response.status !== 403)) && response.status < 500;
        else if (route.access.kind !== 'api_key') ok = route.page && route.method === 'GET' ? response.status === 303 : response.status === 401;
        else if (route.access.scopes.includes(scope)) ok = response.status !== 401 && response.status !== 403 && response.status < 500;
        else ok = response.status === 403;
        if (!ok) wrong.push(`${route.method} ${route.url} (${route.access.kind}) with a ${scope} key: ${response.status} ${said(response)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
