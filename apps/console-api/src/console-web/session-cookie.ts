import type { HotlineConfig } from '@hotline/config';
import { parse, serialize } from 'cookie';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The console's session: the same opaque access token the API hands out, in a cookie the page's
 * scripts cannot read (HttpOnly) and that no other site's request carries (SameSite=Strict). Its
 * lifetime is the browser's: the server decides idle lapse and logout, the cookie only carries it.
 */
export const SESSION_COOKIE = 'hotline_console';

/** The header (fetch) or form field (pages) that carries the CSRF token of a cookie session. */
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

export function sessionTokenOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header || header.length > 8192) return null;
  const token = parse(header)[SESSION_COOKIE];
  return token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null;
}

/** `auto`: always in production (behind a TLS proxy the request may look like plain HTTP), else over HTTPS. */
function secure(config: HotlineConfig, request: FastifyRequest): boolean {
  if (config.consoleCookieSecure !== 'auto') return config.consoleCookieSecure;
  return config.env === 'production' || request.protocol === 'https';
}

export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, config: HotlineConfig, token: string): void {
  // No Max-Age: the cookie goes when the browser closes (shared workstations); the session itself
  // lapses on the server after STAFF_SESSION_IDLE unused and STAFF_SESSION_MAX at the latest.
  reply.header('set-cookie', serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: secure(config, request) }));
}

export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest, config: HotlineConfig): void {
  reply.header('set-cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: '/', secure: secure(config, request), maxAge: 0 }));
}

/**
 * A cookie session's CSRF token: a keyed digest of the session id, so it needs no storage, is the
 * same on every page of a session and is void once the session ends. SameSite=Strict already keeps
 * other sites' requests from carrying the cookie; this covers what it does not (older browsers,
 * a sibling subdomain under attacker control).
 */
export function csrfToken(key: Buffer, sessionId: string): string {
  return createHmac('sha256', key).update(`console-csrf|${sessionId}`).digest('base64url');
}

export function csrfTokenMatches(key: Buffer, sessionId: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length > 100) return false;
  const expected = Buffer.from(csrfToken(key, sessionId));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The CSRF token a request carries: the header (scripts) or the form field (pages). */
export function csrfTokenOf(request: FastifyRequest): unknown {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  const body = request.body;
  return body && typeof body === 'object' && !Buffer.isBuffer(body) ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
}
