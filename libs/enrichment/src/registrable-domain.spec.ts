import { registrableDomain } from './registrable-domain';

const ONION = 'duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion';

describe('registrableDomain', () => {
  it.each([
    ['a.b.example.co.uk', 'example.co.uk'],
    ['example.co.uk', 'example.co.uk'],
    ['www.example.com', 'example.com'],
    ['example.com', 'example.com'],
    ['WWW.Example.COM.', 'example.com'],
    // IDN hosts arrive in punycode from URL canonicalisation
    ['www.xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
    ['shop.xn--80ak6aa92e.xn--p1ai', 'xn--80ak6aa92e.xn--p1ai'],
    // The PSL's private section counts: each github.io name is a different user's site
    ['user.github.io', 'user.github.io'],
    ['cdn.user.github.io', 'user.github.io'],
    [ONION, ONION],
    [`forum.${ONION}`, ONION],
  ])('%s -> %s', (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });

  it.each([['1.2.3.4'], ['[2001:db8::1]'], ['2001:db8::1'], ['co.uk'], ['com'], ['github.io'], ['onion'], ['a..b.example.com'], ['']])('%s -> null', (host) => {
    expect(registrableDomain(host)).toBeNull();
  });
});
