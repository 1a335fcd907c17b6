import { HotlineConfig } from '@hotline/config';
import type { ApiKeyScope } from '@hotline/persistence';
import { PUBLIC_ROUTE } from '@hotline/observability';
import { Permission } from '@hotline/security';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createConsoleApp } from '../../apps/console-api/src/console-app';
import { QUEUE_DASHBOARD_PATH } from '../../apps/console-api/src/queue-dashboard/queue-dashboard';
import { CONSOLE_PAGE } from '../../apps/console-api/src/console-web/page-access';
import { API_KEY_SCOPES, REQUIRED_PERMISSION } from '../../apps/console-api/src/staff-access/access.decorators';

/** What a route asks of its caller: nothing (public), a partner's signature, an organisation's API key with a scope (@ApiKeyScope), one permission, or none named (refused to all). */
export type Access =
  { kind: 'public' } | { kind: 'partner' } | { kind: 'api_key'; scopes: ApiKeyScope[] } | { kind: 'permission'; permission: Permission } | { kind: 'unnamed' };

export interface RouteUnderTest {
  method: string;
  url: string;
  access: Access;
  /**
   * A console page (its controller is `@ConsolePages()`): HTML for browsers. Without a session a
   * GET is sent to sign in (303 to `/login?next=...`) instead of a 401.
   */
  page: boolean;
}

/**
 * A console-api and EVERY route its Fastify instance has at run time (whoever added it: Nest's
 * and the ones plugins such as Bull Board and Swagger add directly), collected by an onRoute hook
 * on the instance before anything is registered; one per method and pattern, HEAD and OPTIONS
 * left out (Fastify adds them).
 */
export async function consoleAppWithRoutes(config: HotlineConfig): Promise<{ app: NestFastifyApplication; routes: RouteUnderTest[] }> {
  const registered: { method: string; url: string }[] = [];
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
  let app: NestFastifyApplication;
  try {
    app = await createConsoleApp(config);
  } finally {
    spy.mockRestore();
  }
  return { app, routes: routesUnderTest(app, registered) };
}

function routesUnderTest(app: NestFastifyApplication, registered: { method: string; url: string }[]): RouteUnderTest[] {
  const nest = nestRoutes(app);
  const seen = new Set<string>();
  const routes: RouteUnderTest[] = [];
  for (const { method, url } of registered) {
    if (method === 'HEAD' || method === 'OPTIONS') continue;
    const key = `${method} ${url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const route = nest.get(key);
    let access: Access;
    if (url === QUEUE_DASHBOARD_PATH || url.startsWith(`${QUEUE_DASHBOARD_PATH}/`)) access = { kind: 'permission', permission: 'queue-dashboard.use' };
    else if (url === '/api/docs' || url.startsWith('/api/docs/') || url.startsWith('/api/docs-')) access = { kind: 'public' };
    // Open to partners only, by request signature (docs/exchange-protocol.md): unsigned is 401.
    else if (url.startsWith('/api/v1/exchange/') && route?.access.kind === 'public') access = { kind: 'partner' };
    // A route that is neither Nest's nor a known plugin's passes no guard: it must be refused to all.
    else access = route?.access ?? { kind: 'unnamed' };
    routes.push({ method, url, access, page: route?.page ?? false });
  }
  return routes;
}

/** Nest's routes ("METHOD /path"), what their decorators ask (@Public, @Requires) and whether they are console pages (@ConsolePages). */
function nestRoutes(app: NestFastifyApplication): Map<string, { access: Access; page: boolean }> {
  const routes = new Map<string, { access: Access; page: boolean }>();
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
          : metadata(API_KEY_SCOPES)
            ? { kind: 'api_key', scopes: metadata(API_KEY_SCOPES) }
            : metadata(REQUIRED_PERMISSION)
              ? { kind: 'permission', permission: metadata(REQUIRED_PERMISSION) }
              : { kind: 'unnamed' };
        const page = metadata(CONSOLE_PAGE) === true;
        for (const prefix of base) {
          for (const path of [Reflect.getMetadata(PATH_METADATA, handler)].flat() as string[]) {
            const url = `/${[prefix, path]
              .map((part) => part.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`;
            for (const verb of method === 'ALL' ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] : [method]) routes.set(`${verb} ${url}`, { access, page });
          }
        }
      }
    }
  }
  return routes;
}

/** A concrete path for a route pattern: parameters filled (names that end in "name" get a queue-like name, others a UUID). */
export function concretePath(url: string, uuid: () => string, name: () => string): string {
  return url.replace(/:(\w+)/g, (_, param: string) => (/name$/i.test(param) ? name() : uuid())).replace(/\*/g, 'x');
}
