import { MIN_PASSWORD_LENGTH, StaffDirectoryError } from '@hotline/security';
import { checkNewUser, checkRoleChange, directoryProblem, isDoneNotice, isUserId, NEW_USER_FIELDS, ROLE_FIELDS } from './users-form';

const GOOD = { email: ' new.analyst@hotline.example ', role: 'analyst', agency: '', password: 'x'.repeat(MIN_PASSWORD_LENGTH) };

describe('the users page forms', () => {
  it('accepts a new user, the email trimmed and no agency', () => {
    expect(checkNewUser(GOOD)).toEqual({ ok: true, value: { email: 'new.analyst@hotline.example', role: 'analyst', agency: null, password: GOOD.password } });
  });

  it('names every broken field by its id, with its text', () => {
    const checked = checkNewUser({ email: 'not an email', role: 'root', agency: '', password: 'short' });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.map((p) => [p.field, p.key])).toEqual([
      [NEW_USER_FIELDS.email, 'users.error.email'],
      [NEW_USER_FIELDS.role, 'users.error.role'],
      [NEW_USER_FIELDS.password, 'users.error.password'],
    ]);
    expect(checked.problems[2].params).toMatchObject({ min: MIN_PASSWORD_LENGTH });
  });

  it('wants a dot in the email domain and at most one @', () => {
    for (const email of ['a@localhost', 'a@b@c.org', '@hotline.example', 'a b@hotline.example']) {
      expect(checkNewUser({ ...GOOD, email }).ok).toBe(false);
    }
  });

  it('asks an agency of a law-enforcement liaison, and of nobody else', () => {
    const liaison = checkNewUser({ ...GOOD, role: 'le_liaison', agency: '  National   Police ' });
    expect(liaison).toMatchObject({ ok: true, value: { role: 'le_liaison', agency: 'National Police' } });
    expect(checkNewUser({ ...GOOD, role: 'le_liaison', agency: '   ' })).toMatchObject({
      ok: false,
      problems: [{ field: NEW_USER_FIELDS.agency, key: 'users.error.agencyRequired' }],
    });
    expect(checkRoleChange({ role: 'analyst', agency: 'National Police' })).toMatchObject({
      ok: false,
      problems: [{ field: ROLE_FIELDS.agency, key: 'users.error.agencyNotAllowed' }],
    });
    expect(checkRoleChange({ role: 'le_liaison', agency: 'x'.repeat(101) })).toMatchObject({ ok: false, problems: [{ key: 'users.error.agencyTooLong' }] });
    expect(checkRoleChange({ role: 'senior_analyst', agency: '' })).toEqual({ ok: true, value: { role: 'senior_analyst', agency: null } });
  });

  it('maps the directory’s refusals (English, for the CLI) to translated texts next to their field', () => {
    const problem = (message: string) => directoryProblem(new StaffDirectoryError(message));
    expect(problem('a user with email a@hotline.example exists')).toEqual({ field: NEW_USER_FIELDS.email, key: 'users.error.emailTaken' });
    expect(problem('not an email address: x')).toMatchObject({ field: NEW_USER_FIELDS.email, key: 'users.error.email' });
    expect(problem('unknown role x: one of analyst, ...')).toMatchObject({ field: NEW_USER_FIELDS.role });
    expect(problem('an le_liaison needs --agency (the police agency they work for)')).toMatchObject({ key: 'users.error.agencyRequired' });
    expect(problem('only an le_liaison has an agency')).toMatchObject({ key: 'users.error.agencyNotAllowed' });
    expect(problem('the password must have at least 12 characters')).toMatchObject({ field: NEW_USER_FIELDS.password });
    expect(problem('something new')).toEqual({ field: null, key: 'users.error.refused' });
    expect(problem('no staff user 0190')).toBeNull();
    expect(directoryProblem(new StaffDirectoryError('only an le_liaison has an agency'), ROLE_FIELDS)).toMatchObject({ field: 'agency' });
  });

  it('knows user ids and notices', () => {
    expect(isUserId('0b0e2f52-5a4c-4d1e-9a55-3c2b1a0f9e8d')).toBe(true);
    expect(isUserId('no-such-user')).toBe(false);
    expect(isDoneNotice('created')).toBe(true);
    expect(isDoneNotice('toString')).toBe(false);
  });
});
