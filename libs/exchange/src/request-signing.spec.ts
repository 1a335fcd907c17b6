import { contentDigest, generateExchangeKeyPair, keyIdOf, parsePublicKey, SIGNATURE_HEADERS, signRequest, verifyRequest } from './request-signing';

describe('exchange request signing', () => {
  const ours = generateExchangeKeyPair();
  const publicKey = parsePublicKey(ours.publicKey)!;
  const now = new Date('2026-11-23T10:00:00Z');
  const request = { method: 'POST', path: '/api/v1/exchange/messages', body: '{"messageId":"m1","type":"case.ack"}' };
  const signed = (overrides: Partial<typeof request> = {}, at = now) => {
    const r = { ...request, ...overrides };
    return { ...r, headers: signRequest(r, ours, at) };
  };

  it('verifies what it signed, and names the key by its fingerprint', () => {
    const r = signed();
    expect(r.headers[SIGNATURE_HEADERS.keyId]).toBe(keyIdOf(ours.publicKey));
    expect(verifyRequest(r, publicKey, now)).toBeNull();
  });

  it('refuses a changed body, method or path', () => {
    const r = signed();
    expect(verifyRequest({ ...r, body: request.body.replace('m1', 'm2') }, publicKey, now)).toBe('bad_digest');
    expect(verifyRequest({ ...r, method: 'PUT' }, publicKey, now)).toBe('bad_signature');
    expect(verifyRequest({ ...r, path: '/api/v1/exchange/other' }, publicKey, now)).toBe('bad_signature');
  });

  it('refuses a body re-digested without the private key', () => {
    const r = signed();
    const body = request.body.replace('m1', 'm2');
    expect(verifyRequest({ ...r, body, headers: { ...r.headers, [SIGNATURE_HEADERS.digest]: contentDigest(body) } }, publicKey, now)).toBe('bad_signature');
  });

  it('refuses a request outside the five-minute window, either way', () => {
    expect(verifyRequest(signed({}, new Date(now.getTime() - 301_000)), publicKey, now)).toBe('stale_timestamp');
    expect(verifyRequest(signed({}, new Date(now.getTime() + 301_000)), publicKey, now)).toBe('stale_timestamp');
    expect(verifyRequest(signed({}, new Date(now.getTime() - 299_000)), publicKey, now)).toBeNull();
  });

  it('refuses another key, and missing or malformed headers', () => {
    const other = parsePublicKey(generateExchangeKeyPair().publicKey)!;
    expect(verifyRequest(signed(), other, now)).toBe('bad_signature');
    const r = signed();
    const { [SIGNATURE_HEADERS.nonce]: _nonce, ...withoutNonce } = r.headers;
    expect(verifyRequest({ ...r, headers: withoutNonce }, publicKey, now)).toBe('missing_headers');
    expect(verifyRequest({ ...r, headers: { ...r.headers, [SIGNATURE_HEADERS.timestamp]: 'soon' } }, publicKey, now)).toBe('missing_headers');
  });

  it('accepts only Ed25519 public keys', () => {
    expect(parsePublicKey('not a key')).toBeNull();
    expect(parsePublicKey(ours.publicKey)?.asymmetricKeyType).toBe('ed25519');
  });
});
