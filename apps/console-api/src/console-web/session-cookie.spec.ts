import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { csrfToken, csrfTokenMatches, csrfTokenOf, SESSION_COOKIE, sessionTokenOf } from './session-cookie';

const request = (headers: Record<string, string>, body?: unknown) => ({ headers, body }) as unknown as FastifyRequest;

describe('console session cookie', () => {
  it('reads the token from its cookie among others, and nothing that is not a token', () => {
    const token = 'A'.repeat(43);
    expect(sessionTokenOf(request({ cookie: `other=1; ${SESSION_COOKIE}=${token}; x=y` }))).toBe(token);
    expect(sessionTokenOf(request({ cookie: `${SESSION_COOKIE}=short` }))).toBeNull();
    expect(sessionTokenOf(request({ cookie: `${SESSION_COOKIE}=${'A'.repeat(30)}%3Cscript` }))).toBeNull();
    expect(sessionTokenOf(request({}))).toBeNull();
    expect(sessionTokenOf(request({ cookie: 'x'.repeat(9000) }))).toBeNull();
  });
});

describe('CSRF token', () => {
  const key = randomBytes(32);

  it('is the same for a session, different for another session or key, and compared in constant time', () => {
    const token = csrfToken(key, 'session-1');
    expect(csrfToken(key, 'session-1')).toBe(token);
    expect(csrfTokenMatches(key, 'session-1', token)).toBe(true);
    expect(csrfTokenMatches(key, 'session-2', token)).toBe(false);
    expect(csrfTokenMatches(randomBytes(32), 'session-1', token)).toBe(false);
    for (const bad of [undefined, '', 42, ['x'], token.slice(1), 'x'.repeat(101)]) expect(csrfTokenMatches(key, 'session-1', bad)).toBe(false);
  });

  it('comes from the header (scripts) before the form field (pages)', () => {
    expect(csrfTokenOf(request({ 'x-csrf-token': 'from-header' }, { _csrf: 'from-form' }))).toBe('from-header');
    expect(csrfTokenOf(request({}, { _csrf: 'from-form' }))).toBe('from-form');
    expect(csrfTokenOf(request({}, Buffer.from('raw')))).toBeUndefined();
    expect(csrfTokenOf(request({}))).toBeUndefined();
  });
});
