import { API_KEY_LENGTH, hashApiKey, parseApiKey } from '@hotline/persistence';
import { randomPool } from './random-pool';

// The key's shape is checked by the repository too, so it lives in @hotline/persistence.
export { API_KEY_LENGTH, hashApiKey, parseApiKey } from '@hotline/persistence';

// RFC 4648 base32, lower case: the prefix is read out and pasted into support tickets.
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface NewApiKey {
  /** The whole key, shown once to the admin who creates it and never stored. */
  key: string;
  /** The public part, stored and listed, to find the key. */
  prefix: string;
  /** SHA-256 (hex) of the whole key: all that is kept of it. */
  secretHash: string;
}

/**
 * An organisation's API key `hlk_<prefix>_<secret>`: a 12-character base32 prefix (60 random
 * bits, unique per key, to find it) and 256 random bits of secret (base64url). Only the SHA-256
 * of the whole key is stored; a plain hash is enough as there is nothing guessable to brute-force.
 */
export function newApiKey(): NewApiKey {
  // 256 is a multiple of 32, so each byte's low five bits are a uniform symbol.
  const prefix = [...randomPool.take(12)].map((byte) => BASE32[byte & 31]).join('');
  const key = `hlk_${prefix}_${randomPool.take(32).toString('base64url')}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

/** The API key of an `Authorization: Bearer hlk_...` header, or null (no header, another scheme, not a key's shape). */
export function bearerApiKey(header: string | undefined): string | null {
  if (typeof header !== 'string' || header.length > 7 + API_KEY_LENGTH || !header.startsWith('Bearer ')) return null;
  const key = header.slice(7);
  return parseApiKey(key) ? key : null;
}
