import { StaffRole } from '@hotline/security';

/** Who is calling, as the guard established it from the access token. */
export interface StaffPrincipal {
  id: string;
  email: string;
  role: StaffRole;
  agency: string | null;
  sessionId: string;
  sessionExpiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffPrincipal;
    /** Set when the handler wrote its own audit event, in its transaction. */
    audited?: boolean;
  }
}
