import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { randomPool } from './random-pool';

// Crockford base32 without I, L, O, U: readable over the phone, no ambiguous characters.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A report reference such as `7KQ3-M2XD-9HPN-4TRA`: 80 random bits, so collisions never matter. */
export function newReportReference(): string {
  // 10 bytes = 80 bits = 16 five-bit symbols, read as two 40-bit halves (exact in a double).
  const bytes = randomPool.take(10);
  let text = '';
  for (const half of [bytes.readUIntBE(0, 5), bytes.readUIntBE(5, 5)]) {
    for (let shift = 35; shift >= 0; shift -= 5) text += CROCKFORD[Math.floor(half / 2 ** shift) % 32];
  }
  return `${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8, 12)}-${text.slice(12)}`;
}

/** Accepts what a person might type: any case, with or without dashes or spaces. */
export function normaliseReportReference(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(compact)) return null;
  return compact.match(/.{4}/g)!.join('-');
}

/** 256 random bits, base64url. Shown once to the reporter; only its hash is stored. */
export function newStatusToken(): string {
  return randomPool.take(32).toString('base64url');
}

/** A plain SHA-256 is enough: the token is random with 256 bits, there is nothing to brute-force. */
export function hashStatusToken(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}

export function statusTokenMatches(token: string, storedHash: Buffer): boolean {
  const candidate = hashStatusToken(token);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}

/**
 * The rate-limit key of a client: HMAC of its address under a key derived per UTC day from the
 * master key. The address itself never leaves the request, and yesterday's keys cannot be linked
 * to today's once the day's key is gone.
 */
export class ClientKeyer {
  private day = '';
  private dayKey = Buffer.alloc(0);

  constructor(
    private readonly masterKey: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  keyFor(clientAddress: string): string {
    const day = this.now().toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.dayKey = createHmac('sha256', this.masterKey).update(`rate-limit:${day}`).digest();
    }
    return createHmac('sha256', this.dayKey).update(clientAddress).digest('base64url').slice(0, 32);
  }
}
