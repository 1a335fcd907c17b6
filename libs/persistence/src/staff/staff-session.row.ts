import type { StaffUserRow } from './staff-user.row';

/** One row of staff_session: a signed-in staff user. Only the SHA-256 of the access token is stored. */
export interface StaffSessionRow {
  id: string;
  staff_user_id: string;
  token_hash: Buffer;
  created_at: Date;
  /** Lapses when unused this long (extended on use)... */
  expires_at: Date;
  /** ...and at the latest at this time after login. */
  max_expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

/** A live session with its user, as each request authenticates it. */
export type LiveStaffSession = Pick<StaffSessionRow, 'expires_at' | 'max_expires_at'> & { session_id: string } & Pick<
    StaffUserRow,
    'id' | 'email' | 'role' | 'agency' | 'language' | 'password_change_required'
  >;
