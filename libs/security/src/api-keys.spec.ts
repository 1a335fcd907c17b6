import { createHash } from 'node:crypto';
import { API_KEY_LENGTH, bearerApiKey, newApiKey, parseApiKey } from './api-keys';

describe('API keys', () => {
  it('makes keys hlk_<prefix>_<secret> whose stored hash is the SHA-256 of the whole key', () => {
    const { key, prefix, secretHash } = newApiKey();
    expect(key).toMatch(/^hlk_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key.length).toBe(API_KEY_LENGTH);
    expect(key.slice(4, 16)).toBe(prefix);
    expect(Buffer.from(key.slice(17), 'base64url')).toHaveLength(32);
    expect(secretHash).toBe(createHash('sha256').update(key, 'utf8').digest('hex'));
    expect(secretHash).not.toContain(key.slice(17));
  });

  it('makes distinct prefixes and secrets', () => {
    const keys = Array.from({ length: 2000 }, newApiKey);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(2000);
    expect(new Set(keys.map((k) => k.key.slice(17))).size).toBe(2000);
    // Every base32 symbol turns up: the prefix is not biased to a part of the alphabet.
    expect(new Set(keys.flatMap((k) => [...k.prefix])).size).toBe(32);
  });

  it('parses a key it made into its prefix and hash', () => {
    const made = newApiKey();
    expect(parseApiKey(made.key)).toEqual({ prefix: made.prefix, secretHash: made.secretHash });
  });

  it('refuses anything not exactly of the key shape', () => {
    const { key } = newApiKey();
    const bad = [
      '',
      'hlk_',
      key.slice(0, -1),
      `${key}A`,
      ` ${key}`.slice(0, API_KEY_LENGTH),
      key.replace('hlk_', 'hlx_'),
      key.toUpperCase(),
      key.slice(0, 16) + '-' + key.slice(17),
      key.slice(0, 4) + 'abcdefghijk1' + key.slice(16), // 1 is not base32
      key.slice(0, 17) + '!'.repeat(43),
      'x'.repeat(10_000),
      key.slice(0, -1) + 'B', // a non-canonical last symbol: 32 bytes end in ...A/E/I/... only
    ];
    for (const presented of bad) expect(parseApiKey(presented)).toBeNull();
    expect(parseApiKey(undefined as unknown as string)).toBeNull();
  });

  it('reads a key from a Bearer header only', () => {
    const { key } = newApiKey();
    expect(bearerApiKey(`Bearer ${key}`)).toBe(key);
    for (const header of [undefined, '', key, `bearer ${key}`, `Basic ${key}`, `Bearer  ${key}`, `Bearer ${key} `, `Bearer hls_${'a'.repeat(43)}`]) {
      expect(bearerApiKey(header)).toBeNull();
    }
  });
});
