import type { AuditActor } from '@hotline/audit';
import { StaffRole } from '@hotline/security';

/** Who is calling, as the guard established it from the access token. */
export interface StaffPrincipal {
  id: string;
  email: string;
  role: StaffRole;
  agency: string | null;
  /** The console language the user chose; null: their browser's. */
  language: 'en' | 'fr' | 'ar' | null;
  sessionId: string;
  sessionExpiresAt: Date;
  /**
   * An admin chose this user's password (created in the console): until they choose their own,
   * only the password page, signing out and GET /api/v1/auth/me are open to them (StaffAccessGuard).
   */
  passwordChangeRequired: boolean;
}

/** Who the audit log names for a staff user's change. */
export function actorOf(staff: StaffPrincipal): AuditActor {
  return { id: staff.id, role: staff.role };
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffPrincipal;
    /** Set when the handler wrote its own audit event, in its transaction. */
    audited?: boolean;
    /** Cases a console page showed, for its audit event (a JSON list names them from its body). */
    shownCaseIds?: string[];
  }
}
