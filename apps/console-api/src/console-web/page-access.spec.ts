import type { FastifyRequest } from 'fastify';
import { safeReturnPath } from './page-access';
import { fromThisConsole } from './page-reply';

describe('safeReturnPath', () => {
  it('keeps a path of this console', () => {
    expect(safeReturnPath('/queues')).toBe('/queues');
    expect(safeReturnPath('/cases/0190a8f2-7c4e-7000-8000-000000000001?x=1')).toBe('/cases/0190a8f2-7c4e-7000-8000-000000000001?x=1');
  });

  it('never leads to another origin, back to sign-in, or anywhere odd', () => {
    for (const bad of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/login?next=/x',
      '/a b',
      '',
      undefined,
      42,
      `/${'a'.repeat(500)}`,
    ]) {
      expect(safeReturnPath(bad)).toBe('/');
    }
  });
});

describe('fromThisConsole', () => {
  const request = (headers: Record<string, string>) => ({ headers: { host: 'console.hotline.example', ...headers } }) as unknown as FastifyRequest;

  it('accepts same-origin form posts and requests of tools that send no browser headers', () => {
    expect(fromThisConsole(request({ 'sec-fetch-site': 'same-origin', origin: 'https://console.hotline.example' }))).toBe(true);
    expect(fromThisConsole(request({ origin: 'https://console.hotline.example' }))).toBe(true);
    expect(fromThisConsole(request({ 'sec-fetch-site': 'none' }))).toBe(true);
    expect(fromThisConsole(request({}))).toBe(true);
  });

  it('refuses what another site sent', () => {
    expect(fromThisConsole(request({ 'sec-fetch-site': 'cross-site' }))).toBe(false);
    expect(fromThisConsole(request({ 'sec-fetch-site': 'same-site' }))).toBe(false);
    expect(fromThisConsole(request({ origin: 'https://evil.example' }))).toBe(false);
    expect(fromThisConsole(request({ origin: 'null' }))).toBe(false);
    expect(fromThisConsole(request({ origin: 'not a url' }))).toBe(false);
  });
});
