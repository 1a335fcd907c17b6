import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8192;

/**
 * Cryptographically random bytes, drawn from a pool refilled in large blocks. One randomBytes()
 * call per report field costs a trip into OpenSSL each time; on the intake hot path that showed
 * up as several percent of CPU (this is what Node's own randomUUID does internally).
 */
class RandomPool {
  private pool = Buffer.alloc(POOL_BYTES);
  private offset = POOL_BYTES;

  take(size: number): Buffer {
    if (size > POOL_BYTES) return randomFillSync(Buffer.alloc(size));
    if (this.offset + size > POOL_BYTES) {
      // A fresh buffer each refill: slices handed out earlier must never change under their holders.
      this.pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
      this.offset = 0;
    }
    const bytes = Buffer.from(this.pool.subarray(this.offset, this.offset + size));
    this.offset += size;
    return bytes;
  }
}

export const randomPool = new RandomPool();

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids that grow with
 * time keep B-tree inserts at the right edge of the index instead of scattered over it.
 */
export function uuidv7(now = Date.now()): string {
  const bytes = randomPool.take(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
