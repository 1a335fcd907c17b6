import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_CSP, type PageContext, type PageOptions, renderPage } from './layout';

/**
 * A page as a handler's return value (the reply passed through), so the audit interceptor writes
 * its event before the page is sent: no audit, no page.
 */
export function pageReply(reply: FastifyReply, ctx: PageContext, options: PageOptions, status = 200): string {
  void reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CONSOLE_CSP)
    .header('cache-control', 'no-store')
    .header('content-language', ctx.lang);
  return renderPage(ctx, options);
}

/** Post/redirect/get: a form's answer is a 303 to the page that shows the result. */
export function redirectTo(reply: FastifyReply, location: string): string {
  void reply.status(303).header('location', location).header('cache-control', 'no-store');
  return '';
}

/**
 * A form posted from this console, as the browser says (Fetch Metadata, Origin). The session
 * cookie is SameSite=Strict and forms carry a CSRF token; this also covers the sign-in forms,
 * which have no session yet (no one else's site may sign a browser in to an account of theirs).
 */
export function fromThisConsole(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return typeof site === 'string' || origin === undefined;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** A flat form field as a string ('' when absent or not a string), cut to `max` characters. */
export function field(form: unknown, name: string, max = 1000): string {
  const value = form && typeof form === 'object' ? (form as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.slice(0, max) : '';
}
