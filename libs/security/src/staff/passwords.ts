import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * Staff passwords: argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane),
 * encoded with its salt and parameters so they can be raised later without a migration.
 */
// Algorithm.Argon2id is 2 (a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 12;
/** The longest password taken (argon2 hashes anything, but a form or a body need a bound). */
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verified against when the email is unknown, so that answering takes as long as for a known one.
let dummyHash: Promise<string> | null = null;

/** Whether `password` matches `encoded`; with `encoded` null it still does the work and says no. */
export async function verifyPassword(encoded: string | null, password: string): Promise<boolean> {
  if (encoded === null) {
    dummyHash ??= hashPassword('not a password anyone has');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(encoded, password).catch(() => false);
}
