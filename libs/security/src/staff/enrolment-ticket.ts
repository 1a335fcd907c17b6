import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** How long the QR code page of a first sign-in stays usable. */
export const ENROLMENT_TICKET_MS = 10 * 60_000;

/**
 * The proof, carried by the enrolment page's form, that this browser gave the right password of a
 * user whose second factor is not enrolled yet: `<user id>.<expiry ms>.<mac>`. It is bound to the
 * encrypted secret, so a reset (a new secret) voids every ticket of the old one. Keyed by
 * TOKEN_SIGNING_KEY; nothing is stored.
 */
export function enrolmentTicket(key: Buffer, userId: string, encryptedSecret: Buffer, now: number = Date.now()): string {
  const expires = now + ENROLMENT_TICKET_MS;
  return `${userId}.${expires}.${mac(key, userId, expires, encryptedSecret)}`;
}

/** The user id of a ticket that is well formed, unexpired and whose mac matches; else null. */
export function ticketUserId(ticket: unknown): string | null {
  if (typeof ticket !== 'string' || ticket.length > 200) return null;
  const [userId, expires, given] = ticket.split('.');
  return userId && expires && given && /^\d{1,16}$/.test(expires) ? userId : null;
}

export function verifyEnrolmentTicket(key: Buffer, ticket: unknown, encryptedSecret: Buffer, now: number = Date.now()): boolean {
  const userId = ticketUserId(ticket);
  if (userId === null) return false;
  const [, expires, given] = (ticket as string).split('.');
  if (Number(expires) <= now) return false;
  const expected = Buffer.from(mac(key, userId, Number(expires), encryptedSecret));
  const actual = Buffer.from(given!);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function mac(key: Buffer, userId: string, expires: number, encryptedSecret: Buffer): string {
  const secretDigest = createHash('sha256').update(encryptedSecret).digest('hex');
  return createHmac('sha256', key).update(`totp-enrolment|${userId}|${expires}|${secretDigest}`).digest('base64url');
}
