import { randomBytes } from 'node:crypto';
import { ENROLMENT_TICKET_MS, enrolmentTicket, ticketUserId, verifyEnrolmentTicket } from './enrolment-ticket';

describe('enrolment ticket', () => {
  const key = randomBytes(32);
  const secret = randomBytes(40);
  const userId = '0190a8f2-7c4e-7000-8000-000000000001';
  const now = 1_800_000_000_000;

  it('is good for its user and secret until it expires', () => {
    const ticket = enrolmentTicket(key, userId, secret, now);
    expect(ticketUserId(ticket)).toBe(userId);
    expect(verifyEnrolmentTicket(key, ticket, secret, now + ENROLMENT_TICKET_MS - 1)).toBe(true);
    expect(verifyEnrolmentTicket(key, ticket, secret, now + ENROLMENT_TICKET_MS)).toBe(false);
  });

  it('is void for another secret (a reset), another key, another user or a changed expiry', () => {
    const ticket = enrolmentTicket(key, userId, secret, now);
    expect(verifyEnrolmentTicket(key, ticket, randomBytes(40), now)).toBe(false);
    expect(verifyEnrolmentTicket(randomBytes(32), ticket, secret, now)).toBe(false);
    const [, expires, mac] = ticket.split('.');
    expect(verifyEnrolmentTicket(key, `0190a8f2-7c4e-7000-8000-000000000002.${expires}.${mac}`, secret, now)).toBe(false);
    expect(verifyEnrolmentTicket(key, `${userId}.${Number(expires) + 60_000}.${mac}`, secret, now)).toBe(false);
  });

  it('refuses what is not a ticket', () => {
    for (const bad of [undefined, 42, '', 'a.b', 'a.12x.c', 'x'.repeat(201)]) {
      expect(ticketUserId(bad)).toBeNull();
      expect(verifyEnrolmentTicket(key, bad, secret, now)).toBe(false);
    }
  });
});
