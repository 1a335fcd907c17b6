import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class FieldDecryptionError extends Error {}

/**
 * AES-256-GCM for personal data at rest (reporter contact, description).
 * Envelope: version | key-id length | key id | iv | tag | ciphertext. The key id travels with the
 * ciphertext so keys can rotate: the first key encrypts, every listed key can still decrypt.
 * The associated data binds a ciphertext to its row and field, so it cannot be moved elsewhere.
 */
export class FieldEncryption {
  private readonly keys: Map<string, Buffer>;
  private readonly active: EncryptionKey;

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error('FieldEncryption needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`encryption key ${id} must be 32 bytes`);
      if (Buffer.byteLength(id) > 255) throw new Error(`encryption key id ${id} is too long`);
    }
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
    this.active = keys[0];
  }

  encrypt(plaintext: string, associatedData: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const keyId = Buffer.from(this.active.id, 'utf8');
    return Buffer.concat([Buffer.from([VERSION, keyId.length]), keyId, iv, cipher.getAuthTag(), body]);
  }

  decrypt(envelope: Buffer, associatedData: string): string {
    if (envelope.length < 2 || envelope[0] !== VERSION) throw new FieldDecryptionError('unknown envelope version');
    const idEnd = 2 + envelope[1];
    const keyId = envelope.subarray(2, idEnd).toString('utf8');
    const key = this.keys.get(keyId);
    if (!key) throw new FieldDecryptionError(`no key with id ${keyId}`);
    const iv = envelope.subarray(idEnd, idEnd + IV_BYTES);
    const tag = envelope.subarray(idEnd + IV_BYTES, idEnd + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(envelope.subarray(idEnd + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldDecryptionError('ciphertext does not authenticate');
    }
  }

  /** Id of the key a ciphertext was made with (for re-encryption after rotation). */
  static keyIdOf(envelope: Buffer): string {
    return envelope.subarray(2, 2 + envelope[1]).toString('utf8');
  }
}
