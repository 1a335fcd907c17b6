import { PUBLIC_ROUTE } from '@hotline/observability';
import { PERMISSIONS, Permission, STAFF_ROLES, StaffRole } from '@hotline/security';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { QUEUE_DASHBOARD_PATH } from '../../apps/console-api/src/queue-dashboard/queue-dashboard';
import { REQUIRED_PERMISSION } from '../../apps/console-api/src/staff-access/access.decorators';
import { testConfig } from '../support/config';
import { SignedInStaff, signIn } from '../support/staff';

/** What a route asks of its caller: nothing (public), one permission, or none named (refused to all). */
type Access = { kind: 'public' } | { kind: 'partner' } | { kind: 'permission'; permission: Permission } | { kind: 'unnamed' };

interface RouteUnderTest {
  method: string;
  url: string;
  access: Access;
}

/**
 * Route by role, over EVERY route the console-api's Fastify instance has at run time (whoever
 * added it): no token is 401 on every non-public route; each role gets 403 exactly where the
 * permission matrix does not list it (and everywhere on a route that names no permission), and
 * otherwise neither 401 nor 403, and never a 5xx.
 */
describe('route access by role', () => {
  const registered: { method: string; url: string }[] = [];
  const staff = new Map<StaffRole, SignedInStaff>();
  let consoleApp: NestFastifyApplication;
  let routes: RouteUnderTest[] = [];

  beforeAll(async () => {
    // Every route Fastify registers, Nest's and the ones plugins (Bull Board, Swagger) add
    // directly, collected by an onRoute hook on the instance before anything is registered.
    const create = NestFactory.create.bind(NestFactory);
    const spy = jest.spyOn(NestFactory, 'create').mockImplementation((async (...args: Parameters<typeof create>) => {
      const app = await create(...args);
      app
        .getHttpAdapter()
        .getInstance()
        .addHook('onRoute', (route: { method: string | string[]; url: string }) => {
          for (const method of [route.method].flat()) registered.push({ method, url: route.url });
        });
      return app;
    }) as never);
    try {
      // Bull Board acts on queues under this file's own Redis prefix, which no worker reads.
      consoleApp = await createConsoleApp(
        testConfig({ BULL_BOARD_ENABLED: 'true', OPENAPI_UI: 'true', REDIS_PREFIX: `{hotline-routes-${randomBytes(4).toString('hex')}}` }),
      );
    } finally {
      spy.mockRestore();
    }
    routes = routesUnderTest(consoleApp, registered);
    for (const role of STAFF_ROLES) staff.set(role, await signIn(consoleApp, role, { label: `routes-${role}` }));
  });

  afterAll(async () => {
    await consoleApp?.close();
  });

  /** A concrete request for a route pattern: path parameters filled, an empty JSON body. */
  function send(route: RouteUnderTest, bearer?: string) {
    const path = route.url
      .replace(/:(\w+)/g, (_, name: string) => (/name$/i.test(name) ? `no-such-queue-${randomBytes(3).toString('hex')}` : randomUUID()))
      .replace(/\*/g, 'x');
    const server = consoleApp.getHttpServer();
    let call = request(server)[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    if (bearer) call = call.set('Authorization', bearer);
    return ['POST', 'PUT', 'PATCH'].includes(route.method) ? call.set('Content-Type', 'application/json').send('{}') : call;
  }

  it('finds every route, including the contract and the Bull Board ones', () => {
    const keys = routes.map((route) => `${route.method} ${route.url}`);
    expect(keys).toEqual(
      expect.arrayContaining(['GET /api/v1/cases/:id', 'GET /api/v1/cases', 'GET /api/v1/queues', 'POST /api/v1/auth/login', 'GET /api/v1/audit/verify', 'GET /api/v1/audit']),
    );
    expect(routes.some((route) => route.url.startsWith(QUEUE_DASHBOARD_PATH))).toBe(true);
    expect(routes.filter((route) => route.access.kind !== 'public').length).toBeGreaterThanOrEqual(8);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('answers 401 without a token on every route that is not public', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const response = await send(route);
      const ok = route.access.kind === 'public' ? response.status !== 401 && response.status !== 403 && response.status < 500 : response.status === 401;
      if (!ok) wrong.push(`${route.method} ${route.url} (${route.access.kind}): ${response.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(STAFF_ROLES.map((role) => [role]))('lets %s reach exactly the routes its permissions name', async (role) => {
    const bearer = staff.get(role)!.bearer;
    const wrong: string[] = [];
    // Logging out ends the session the other requests use, so it goes last.
    const ordered = [...routes].sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
    for (const route of ordered) {
      const response = await send(route, bearer);
      const allowed = route.access.kind === 'public' || (route.access.kind === 'permission' && (PERMISSIONS[route.access.permission] as readonly string[]).includes(role));
      // Partner routes take a partner's signature, never a staff token: 401 for every role.
      const ok = route.access.kind === 'partner' ? response.status === 401 : allowed ? response.status !== 401 && response.status !== 403 && response.status < 500 : response.status === 403;
      if (!ok) {
        const what = route.access.kind === 'permission' ? route.access.permission : route.access.kind;
        wrong.push(`${route.method} ${route.url} (${what}): ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** The routes to try: one per method and pattern, HEAD and OPTIONS left out (Fastify adds them). */
function routesUnderTest(app: NestFastifyApplication, registered: { method: string; url: string }[]): RouteUnderTest[] {
  const nest = nestRoutes(app);
  const seen = new Set<string>();
  const routes: RouteUnderTest[] = [];
  for (const { method, url } of registered) {
    if (method === 'HEAD' || method === 'OPTIONS') continue;
    const key = `${method} ${url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let access: Access;
    if (url === QUEUE_DASHBOARD_PATH || url.startsWith(`${QUEUE_DASHBOARD_PATH}/`)) access = { kind: 'permission', permission: 'queue-dashboard.use' };
    else if (url === '/api/docs' || url.startsWith('/api/docs/') || url.startsWith('/api/docs-')) access = { kind: 'public' };
    // Open to partners only, by request signature (docs/exchange-protocol.md): unsigned is 401.
    else if (url.startsWith('/api/v1/exchange/') && nest.get(key)?.kind === 'public') access = { kind: 'partner' };
    // A route that is neither Nest's nor a known plugin's passes no guard: it must be refused to all.
    else access = nest.get(key) ?? { kind: 'unnamed' };
    routes.push({ method, url, access });
  }
  return routes;
}

/** Nest's routes ("METHOD /path") and what their decorators ask (@Public, @Requires). */
function nestRoutes(app: NestFastifyApplication): Map<string, Access> {
  const routes = new Map<string, Access>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat() as string[];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const metadata = (key: string) => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
        const access: Access = metadata(PUBLIC_ROUTE)
          ? { kind: 'public' }
          : metadata(REQUIRED_PERMISSION)
            ? { kind: 'permission', permission: metadata(REQUIRED_PERMISSION) }
            : { kind: 'unnamed' };
        for (const prefix of base) {
          for (const path of [Reflect.getMetadata(PATH_METADATA, handler)].flat() as string[]) {
            const url = `/${[prefix, path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
            for (const verb of method === 'ALL' ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] : [method]) routes.set(`${verb} ${url}`, access);
          }
        }
      }
    }
  }
  return routes;
}
