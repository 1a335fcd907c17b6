/** One row of staff_user: a member of staff who signs in to the console. */
export interface StaffUserRow {
  id: string;
  email: string;
  /** The CHECK constraint of staff_user.role (libs/security StaffRole). */
  role: 'analyst' | 'senior_analyst' | 'le_liaison' | 'regulator' | 'admin';
  /** The police agency of an le_liaison; null for every other role. */
  agency: string | null;
  /** argon2id (libs/security passwords). */
  password_hash: string;
  /** The TOTP secret, encrypted like reporter contacts (it is as good as a password). */
  totp_secret_encrypted: Buffer;
  /** The last TOTP time step accepted (bigint, as text): a code is good once. */
  totp_last_step: string | null;
  /** When the user proved they hold the secret (a code from it); null while enrolment by QR code is pending. */
  totp_enrolled_at: Date | null;
  /** The console language the user chose (staff_user_language_ck); null: their browser's. */
  language: 'en' | 'fr' | 'ar' | null;
  /** The password was chosen by an admin (a user created in the console): the user must choose their own before anything else. */
  password_change_required: boolean;
  failed_logins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
