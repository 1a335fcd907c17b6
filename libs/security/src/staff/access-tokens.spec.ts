import { bearerToken, hashAccessToken, newAccessToken } from './access-tokens';

describe('staff access tokens', () => {
  it('are 256 random bits, kept only as their SHA-256', () => {
    const { token, tokenHash } = newAccessToken();
    expect(token).toMatch(/^hls_[A-Za-z0-9_-]{43}$/);
    expect(tokenHash).toHaveLength(32);
    expect(hashAccessToken(token).equals(tokenHash)).toBe(true);
    expect(newAccessToken().token).not.toBe(token);
  });

  it('are read only from a well-formed Bearer header', () => {
    const { token } = newAccessToken();
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    for (const header of [undefined, '', token, `bearer ${token}`, `Bearer  ${token}`, `Bearer ${token}x`, `Basic ${token}`, 'Bearer hls_short']) {
      expect(bearerToken(header)).toBeNull();
    }
  });
});
