import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@hotline/security';
import type { FormProblem } from './users-form';

/**
 * The password form checked before anything is verified, so each problem is shown next to its
 * field in the user's language. StaffSessions.changePassword checks the new password's rules
 * again and, only then, the current password (which counts as a failed login when wrong).
 */

/** The ids of the password form's fields. */
export const PASSWORD_FIELDS = { current: 'current-password', next: 'new-password', confirm: 'confirm-password' } as const;

export interface PasswordForm {
  current: string;
  next: string;
  confirm: string;
}

export type CheckedPasswordChange = { ok: true; value: { current: string; next: string } } | { ok: false; problems: FormProblem[] };

/**
 * A current password (not checked here: it costs an attempt), a new one of MIN_PASSWORD_LENGTH
 * to MAX_PASSWORD_LENGTH characters that is not the current one as typed, and the same new one
 * typed again. Passwords are taken as typed (spaces count), as at sign-in.
 */
export function checkPasswordChange(form: PasswordForm): CheckedPasswordChange {
  const problems: FormProblem[] = [];
  if (form.current === '') problems.push({ field: PASSWORD_FIELDS.current, key: 'account.error.currentMissing' });
  if (form.next.length < MIN_PASSWORD_LENGTH || form.next.length > MAX_PASSWORD_LENGTH) {
    problems.push({ field: PASSWORD_FIELDS.next, key: 'account.error.newLength', params: { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH } });
  } else if (form.next === form.current) {
    problems.push({ field: PASSWORD_FIELDS.next, key: 'account.error.newSame' });
  } else if (form.confirm !== form.next) {
    problems.push({ field: PASSWORD_FIELDS.confirm, key: 'account.error.confirm' });
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: { current: form.current, next: form.next } };
}
