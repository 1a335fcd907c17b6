import { isStaffRole, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, StaffDirectoryError, type StaffRole } from '@hotline/security';
import type { ConsoleMessageKey } from '../i18n';

/**
 * The users page's forms checked before StaffDirectory sees them, so every problem is shown in
 * the user's language next to its field. StaffDirectory checks the same rules again (it is also
 * the CLI's), and its refusals are mapped to the same texts (directoryProblem).
 */

/** A problem with a form: the id of the field it is about (null: the whole form) and its text. */
export interface FormProblem {
  field: string | null;
  key: ConsoleMessageKey;
  params?: Record<string, string | number>;
}

export interface NewUserForm {
  email: string;
  role: string;
  agency: string;
  password: string;
}

export interface NewUserInput {
  email: string;
  role: StaffRole;
  agency: string | null;
  password: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FormProblem[] };

/** The ids of the create form's fields (the role form's are the same names without the prefix). */
export const NEW_USER_FIELDS = { email: 'new-email', role: 'new-role', agency: 'new-agency', password: 'new-password' } as const;
export const ROLE_FIELDS = { email: 'email', role: 'role', agency: 'agency', password: 'password' } as const;

type FieldIds = Record<'email' | 'role' | 'agency' | 'password', string>;

/** Local part @ a domain with a dot; no spaces. Stricter than the directory's own check. */
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_EMAIL = 320;
const MAX_AGENCY = 100;
export const MAX_PASSWORD = MAX_PASSWORD_LENGTH;

export function checkNewUser(form: NewUserForm, ids: FieldIds = NEW_USER_FIELDS): Checked<NewUserInput> {
  const problems: FormProblem[] = [];
  const email = form.email.trim();
  if (email.length > MAX_EMAIL || !EMAIL.test(email)) problems.push({ field: ids.email, key: 'users.error.email' });
  const role = checkRoleAndAgency(form, ids);
  problems.push(...role.problems);
  if (form.password.length < MIN_PASSWORD_LENGTH || form.password.length > MAX_PASSWORD) {
    problems.push({ field: ids.password, key: 'users.error.password', params: { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD } });
  }
  if (problems.length || !role.role) return { ok: false, problems };
  return { ok: true, value: { email, role: role.role, agency: role.agency, password: form.password } };
}

export function checkRoleChange(form: { role: string; agency: string }, ids: FieldIds = ROLE_FIELDS): Checked<{ role: StaffRole; agency: string | null }> {
  const checked = checkRoleAndAgency(form, ids);
  if (checked.problems.length || !checked.role) return { ok: false, problems: checked.problems };
  return { ok: true, value: { role: checked.role, agency: checked.agency } };
}

/** An agency only, and always, for a law-enforcement liaison: the police agency they work for. */
function checkRoleAndAgency(form: { role: string; agency: string }, ids: FieldIds): { role: StaffRole | null; agency: string | null; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const role = isStaffRole(form.role) ? form.role : null;
  if (!role) problems.push({ field: ids.role, key: 'users.error.role' });
  const agency = form.agency.trim().replace(/\s+/g, ' ');
  if (role === 'le_liaison' && agency === '') problems.push({ field: ids.agency, key: 'users.error.agencyRequired' });
  else if (role && role !== 'le_liaison' && agency !== '') problems.push({ field: ids.agency, key: 'users.error.agencyNotAllowed' });
  else if (agency.length > MAX_AGENCY) problems.push({ field: ids.agency, key: 'users.error.agencyTooLong', params: { max: MAX_AGENCY } });
  return { role, agency: agency === '' ? null : agency, problems };
}

/**
 * A refusal of StaffDirectory as a form problem (its messages are English, for the CLI). Null for
 * "no such user", which the page answers with its not-found page.
 */
export function directoryProblem(error: StaffDirectoryError, ids: FieldIds = NEW_USER_FIELDS): FormProblem | null {
  const message = error.message;
  if (/^no staff user /.test(message)) return null;
  if (/^a user with email .* exists$/.test(message)) return { field: ids.email, key: 'users.error.emailTaken' };
  if (/^not an email address/.test(message)) return { field: ids.email, key: 'users.error.email' };
  if (/^unknown role /.test(message)) return { field: ids.role, key: 'users.error.role' };
  if (/needs --agency/.test(message)) return { field: ids.agency, key: 'users.error.agencyRequired' };
  if (/^only an le_liaison has an agency/.test(message)) return { field: ids.agency, key: 'users.error.agencyNotAllowed' };
  if (/password/.test(message)) return { field: ids.password, key: 'users.error.password', params: { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD } };
  return { field: null, key: 'users.error.refused' };
}

/** A staff user id as the directory writes them (UUID); anything else names nobody. */
export function isUserId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** The notices after a change (`?done=`), by what was done. */
export const DONE_NOTICES = {
  created: 'users.done.created',
  role: 'users.done.role',
  disabled: 'users.done.disabled',
  totp: 'users.done.totp',
} as const satisfies Record<string, ConsoleMessageKey>;

export type DoneNotice = keyof typeof DONE_NOTICES;

export function isDoneNotice(value: unknown): value is DoneNotice {
  return typeof value === 'string' && Object.hasOwn(DONE_NOTICES, value);
}
