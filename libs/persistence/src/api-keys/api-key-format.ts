import { hash } from 'node:crypto';

// The shape of an organisation's API key, here rather than in @hotline/security so that the
// repository can check a presented key without a cycle (@hotline/security uses this library);
// @hotline/security re-exports these with newApiKey.

/** `hlk_` + 12-character base32 prefix + `_` + 43 base64url characters (32 bytes). */
export const API_KEY_PATTERN = /^hlk_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
export const API_KEY_LENGTH = 4 + 12 + 1 + 43;

/** SHA-256 (hex) of the whole key: all that is stored of it. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** The prefix and hash of a presented key, or null when it is not exactly of the key's shape. */
export function parseApiKey(presented: string): { prefix: string; secretHash: string } | null {
  // Length first: nothing longer than a key reaches the regex.
  if (typeof presented !== 'string' || presented.length !== API_KEY_LENGTH) return null;
  const match = API_KEY_PATTERN.exec(presented);
  if (!match) return null;
  // 43 base64url characters carry 258 bits; the canonical encoding of 32 bytes has the last 2 at zero.
  if (Buffer.from(match[2], 'base64url').toString('base64url') !== match[2]) return null;
  return { prefix: match[1], secretHash: hashApiKey(presented) };
}
