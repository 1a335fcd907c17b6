import { hash, randomBytes } from 'node:crypto';

/** A staff access token: 256 random bits; the server keeps only its SHA-256. */
export function newAccessToken(): { token: string; tokenHash: Buffer } {
  const token = `hls_${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: hashAccessToken(token) };
}

export function hashAccessToken(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = typeof header === 'string' ? /^Bearer (hls_[A-Za-z0-9_-]{43})$/.exec(header) : null;
  return match ? match[1] : null;
}
