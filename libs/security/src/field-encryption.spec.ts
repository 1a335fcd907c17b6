import { randomBytes } from 'node:crypto';
import { FieldDecryptionError, FieldEncryption } from './field-encryption';

describe('FieldEncryption', () => {
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };

  it('round-trips and never contains the plaintext', () => {
    const box = new FieldEncryption([k1]);
    const sealed = box.encrypt('reporter@example.org', 'report-1:contact');
    expect(sealed.includes(Buffer.from('reporter@example.org'))).toBe(false);
    expect(box.decrypt(sealed, 'report-1:contact')).toBe('reporter@example.org');
  });

  it('uses a fresh IV each time', () => {
    const box = new FieldEncryption([k1]);
    expect(box.encrypt('same', 'a').equals(box.encrypt('same', 'a'))).toBe(false);
  });

  it('decrypts with an older key after rotation and encrypts with the new one', () => {
    const old = new FieldEncryption([k1]).encrypt('secret', 'r:description');
    const rotated = new FieldEncryption([k2, k1]);
    expect(rotated.decrypt(old, 'r:description')).toBe('secret');
    expect(FieldEncryption.keyIdOf(rotated.encrypt('x', 'r'))).toBe('k2');
    expect(FieldEncryption.keyIdOf(old)).toBe('k1');
  });

  it('refuses a ciphertext moved to another row or field, tampered, or under an unknown key', () => {
    const box = new FieldEncryption([k1]);
    const sealed = box.encrypt('secret', 'report-1:contact');
    expect(() => box.decrypt(sealed, 'report-2:contact')).toThrow(FieldDecryptionError);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => box.decrypt(tampered, 'report-1:contact')).toThrow(FieldDecryptionError);
    expect(() => new FieldEncryption([k2]).decrypt(sealed, 'report-1:contact')).toThrow('no key with id k1');
  });
});
