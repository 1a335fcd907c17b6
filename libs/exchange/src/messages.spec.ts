import { parseExchangeMessage } from './messages';
import { checkBaseUrl, checkCountries, checkName, checkPublicKey, PartnerDirectoryError } from './partner-directory';
import { generateExchangeKeyPair } from './request-signing';

describe('exchange messages', () => {
  const forward = {
    messageId: 'm-1',
    type: 'case.forward',
    sentAt: '2026-11-23T10:00:00Z',
    reference: 'case-42',
    url: 'http://example.com/a',
    hosting: { ip: '203.0.113.7', country: 'DE', asn: 64501, organisation: 'CDN GmbH' },
    classification: { verdict: 'baseline', ageGroup: 'prepubescent', gender: 'female', contentType: 'image', siteType: 'image_host', commercial: false },
    hashes: [],
  };

  it('accepts the three message types, keeping only the fields the protocol knows', () => {
    expect(parseExchangeMessage(JSON.stringify({ ...forward, extra: 'ignored' }))).toEqual({ ok: true, message: forward });
    const ack = { messageId: 'm-2', type: 'case.ack', sentAt: '2026-11-23T10:00:01.123+01:00', inReplyTo: 'm-1', reference: 'case-42', theirReference: 'r-9' };
    expect(parseExchangeMessage(ack)).toEqual({ ok: true, message: ack });
    const status = { messageId: 'm-3', type: 'case.status', sentAt: '2026-11-23T10:00:00Z', reference: 'case-42', status: 'removed', at: '2026-11-23T09:00:00Z' };
    expect(parseExchangeMessage(Buffer.from(JSON.stringify(status)))).toEqual({ ok: true, message: status });
  });

  it('fills what a forward may leave out', () => {
    const { hosting, classification, hashes, ...bare } = forward;
    expect(parseExchangeMessage(bare)).toEqual({
      ok: true,
      message: { ...bare, hosting: { ip: null, country: null, asn: null, organisation: null }, classification: {}, hashes: [] },
    });
  });

  it.each([
    ['not JSON', '{"a"', 'body'],
    ['an array', '[]', 'body'],
    ['an unknown type', { ...forward, type: 'case.delete' }, 'type'],
    ['a long message id', { ...forward, messageId: 'x'.repeat(101) }, 'messageId'],
    ['a message id with spaces', { ...forward, messageId: 'a b' }, 'messageId'],
    ['no sentAt', { ...forward, sentAt: undefined }, 'sentAt'],
    ['a date without zone', { ...forward, sentAt: '2026-11-23T10:00:00' }, 'sentAt'],
    ['an impossible date', { ...forward, sentAt: '2026-13-45T10:00:00Z' }, 'sentAt'],
    ['a private URL', { ...forward, url: 'http://10.0.0.1/' }, 'url'],
    ['a javascript: URL', { ...forward, url: 'javascript:alert(1)' }, 'url'],
    ['a lower-case country', { ...forward, hosting: { country: 'de' } }, 'hosting.country'],
    ['a fractional ASN', { ...forward, hosting: { asn: 1.5 } }, 'hosting.asn'],
    ['an unknown age group', { ...forward, classification: { ageGroup: 'adult' } }, 'classification.ageGroup'],
    ['a hash that is no hash', { ...forward, hashes: [{}] }, 'hashes[0]'],
    ['a NUL character', { ...forward, reference: 'a\u0000b' }, 'reference'],
    ['a lone surrogate in a key', { ...forward, ['\uD800']: 1 }, '\uD800'],
    ['an unknown status', { messageId: 'm', type: 'case.status', sentAt: '2026-11-23T10:00:00Z', reference: 'r', status: 'gone', at: '2026-11-23T10:00:00Z' }, 'status'],
    ['an ack without inReplyTo', { messageId: 'm', type: 'case.ack', sentAt: '2026-11-23T10:00:00Z', reference: 'r', theirReference: 't' }, 'inReplyTo'],
  ])('refuses %s', (_, value, field) => {
    const result = parseExchangeMessage(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toContain(field);
  });

  it('refuses a body nested too deep with one error, never a RangeError', () => {
    // 64 KB of brackets, 32k levels: JSON.parse takes it, a recursive walk would overflow.
    const levels = 32_000;
    const body = `{"messageId":"m","type":"case.forward","hashes":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    expect(() => parseExchangeMessage(body)).not.toThrow();
    expect(parseExchangeMessage(body)).toEqual({ ok: false, errors: [{ field: 'body', detail: 'must not nest deeper than 32 levels' }] });
    // An ordinary message is nowhere near the limit.
    expect(parseExchangeMessage({ ...forward, hashes: [] }).ok).toBe(true);
  });
});

describe('partner directory input', () => {
  const refused = (check: () => unknown, field: string) => {
    try {
      check();
    } catch (error) {
      expect(error).toBeInstanceOf(PartnerDirectoryError);
      expect((error as PartnerDirectoryError).field).toBe(field);
      return;
    }
    throw new Error('not refused');
  };

  it('checks names, countries, base URLs and keys', () => {
    expect(checkName('hotline-de')).toBe('hotline-de');
    for (const name of ['', 'Hotline', '-de', 'a'.repeat(64), 'de\u0000']) refused(() => checkName(name), 'name');
    expect(checkCountries(['DE', 'AT', 'DE'])).toEqual(['DE', 'AT']);
    for (const countries of [[], ['de'], ['DEU'], 'Germany']) refused(() => checkCountries(countries), 'countries');
    expect(checkBaseUrl('https://hotline.example/')).toBe('https://hotline.example');
    expect(checkBaseUrl('http://hotline.example:8443/exchange/')).toBe('http://hotline.example:8443/exchange');
    for (const url of ['ftp://x.example', 'https://u:p@x.example', 'https://x.example/?a=1', 'not a url', 'https://x.example/#f'])
      refused(() => checkBaseUrl(url), 'baseUrl');
    const pair = generateExchangeKeyPair();
    expect(checkPublicKey(` ${pair.publicKey} `)).toBe(pair.publicKey);
    for (const key of ['', 'AAAA', Buffer.from('x'.repeat(44)).toString('base64')]) refused(() => checkPublicKey(key), 'publicKey');
  });
});
