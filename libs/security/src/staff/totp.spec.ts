import { acceptTotp, newTotpSecret, otpauthUri, totpCode } from './totp';

describe('TOTP (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
  // RFC 6238 appendix B's SHA-1 secret "12345678901234567890", in base32.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

  it('gives the RFC 6238 test vectors (last 6 digits)', () => {
    expect(totpCode(RFC_SECRET, 59_000)).toBe('287082');
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(RFC_SECRET, 1_234_567_890_000)).toBe('005924');
  });

  it('makes 160-bit base32 secrets', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('accepts the current code and one step of drift, each only once', () => {
    const secret = newTotpSecret();
    const at = 1_800_000_000_000;
    const step = Math.floor(at / 30_000);
    expect(acceptTotp(secret, totpCode(secret, at), null, at)).toBe(step);
    expect(acceptTotp(secret, totpCode(secret, at - 30_000), null, at)).toBe(step - 1);
    expect(acceptTotp(secret, totpCode(secret, at + 30_000), null, at)).toBe(step + 1);
    expect(acceptTotp(secret, totpCode(secret, at - 60_000), null, at)).toBeNull();
    expect(acceptTotp(secret, totpCode(secret, at), step, at)).toBeNull();
    expect(acceptTotp(secret, totpCode(secret, at - 30_000), step - 1, at)).toBeNull();
    expect(acceptTotp(secret, totpCode(secret, at + 30_000), step, at)).toBe(step + 1);
  });

  it('refuses anything but six digits', () => {
    const secret = newTotpSecret();
    for (const code of ['', '12345', '1234567', 'abcdef', ' 12345']) expect(acceptTotp(secret, code, null)).toBeNull();
  });

  it('writes an otpauth URI an authenticator app reads', () => {
    const uri = otpauthUri(RFC_SECRET, 'analyst@hotline.example');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Hotline:analyst(%40|@)hotline\.example\?/);
    const params = new URL(uri).searchParams;
    expect(params.get('secret')).toBe(RFC_SECRET);
    expect(params.get('issuer')).toBe('Hotline');
    expect(params.get('algorithm')).toBe('SHA1');
    expect(params.get('digits')).toBe('6');
    expect(params.get('period')).toBe('30');
  });
});
