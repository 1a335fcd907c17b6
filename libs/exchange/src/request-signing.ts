import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes, sign, timingSafeEqual, verify } from 'node:crypto';

/**
 * Signed exchange requests between partner hotlines (docs/exchange-protocol.md, ADR 0008).
 *
 * Every request carries:
 *   X-Hotline-Key-Id     the sender's key id (the fingerprint of its Ed25519 public key)
 *   X-Hotline-Timestamp  seconds since the epoch, UTC
 *   X-Hotline-Nonce      16 to 64 URL-safe characters, never reused
 *   Content-Digest       sha-256=:<base64 of the SHA-256 of the body>:  (RFC 9530)
 *   X-Hotline-Signature  base64 Ed25519 signature of the signing string
 * and the signing string is: method, path (with query), timestamp, nonce and digest, one per line.
 */
export const SIGNATURE_HEADERS = {
  keyId: 'x-hotline-key-id',
  timestamp: 'x-hotline-timestamp',
  nonce: 'x-hotline-nonce',
  digest: 'content-digest',
  signature: 'x-hotline-signature',
} as const;

/** How far a request's timestamp may be from the receiver's clock. */
export const SIGNATURE_WINDOW_SECONDS = 300;

export interface ExchangeKeyPair {
  keyId: string;
  /** SPKI DER, base64: what the partner registers. */
  publicKey: string;
  /** PKCS#8 DER, base64: kept encrypted. */
  privateKey: string;
}

export function generateExchangeKeyPair(): ExchangeKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { keyId: keyIdOf(spki), publicKey: spki.toString('base64'), privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64') };
}

/** The key id of a public key: base64url of the first 16 bytes of the SHA-256 of its SPKI DER. */
export function keyIdOf(publicKey: string | Buffer): string {
  const der = typeof publicKey === 'string' ? Buffer.from(publicKey, 'base64') : publicKey;
  return createHash('sha256').update(der).digest().subarray(0, 16).toString('base64url');
}

/** A public key as a partner gives it (base64 SPKI DER), checked to be Ed25519; null if not. */
export function parsePublicKey(base64: string): KeyObject | null {
  try {
    const key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

export function contentDigest(body: string | Buffer): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

export function signingString(method: string, path: string, timestamp: string, nonce: string, digest: string): string {
  return `${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n${digest}`;
}

/** The headers that sign a request with our private key. */
export function signRequest(
  request: { method: string; path: string; body: string },
  key: { keyId: string; privateKey: string },
  now: Date = new Date(),
  nonce: string = randomBytes(16).toString('base64url'),
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const digest = contentDigest(request.body);
  const privateKey = createPrivateKey({ key: Buffer.from(key.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  const signature = sign(null, Buffer.from(signingString(request.method, request.path, timestamp, nonce, digest)), privateKey).toString('base64');
  return {
    [SIGNATURE_HEADERS.keyId]: key.keyId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.digest]: digest,
    [SIGNATURE_HEADERS.signature]: signature,
  };
}

export type SignatureRefusal = 'missing_headers' | 'bad_digest' | 'stale_timestamp' | 'bad_signature';

/**
 * Checks a request's signature with the sender's public key: the digest matches the body, the
 * timestamp is within the window, and the signature covers method, path, timestamp, nonce and
 * digest. Returns null when it holds, else why not. (Whether the nonce was seen before is the
 * caller's check: it needs storage.)
 */
export function verifyRequest(
  request: { method: string; path: string; body: string | Buffer; headers: Record<string, string | string[] | undefined> },
  publicKey: KeyObject,
  now: Date = new Date(),
): SignatureRefusal | null {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const timestamp = header(SIGNATURE_HEADERS.timestamp);
  const nonce = header(SIGNATURE_HEADERS.nonce);
  const digest = header(SIGNATURE_HEADERS.digest);
  const signature = header(SIGNATURE_HEADERS.signature);
  if (!timestamp || !nonce || !digest || !signature || !/^\d{1,12}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return 'missing_headers';
  const expected = Buffer.from(contentDigest(request.body));
  const given = Buffer.from(digest);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad_digest';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return 'stale_timestamp';
  const ok = verify(null, Buffer.from(signingString(request.method, request.path, timestamp, nonce, digest)), publicKey, Buffer.from(signature, 'base64'));
  return ok ? null : 'bad_signature';
}
