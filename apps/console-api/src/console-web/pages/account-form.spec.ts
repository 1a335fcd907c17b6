import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@hotline/security';
import { checkPasswordChange, PASSWORD_FIELDS } from './account-form';

const NEW = 'a new and long pass phrase';

describe('the password form', () => {
  it('takes a current password and a new one typed twice, as typed', () => {
    expect(checkPasswordChange({ current: ' old one ', next: NEW, confirm: NEW })).toEqual({ ok: true, value: { current: ' old one ', next: NEW } });
  });

  it('wants the current password', () => {
    expect(checkPasswordChange({ current: '', next: NEW, confirm: NEW })).toEqual({
      ok: false,
      problems: [{ field: PASSWORD_FIELDS.current, key: 'account.error.currentMissing' }],
    });
  });

  it('wants MIN_PASSWORD_LENGTH to MAX_PASSWORD_LENGTH characters', () => {
    const params = { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH };
    for (const next of ['x'.repeat(MIN_PASSWORD_LENGTH - 1), 'x'.repeat(MAX_PASSWORD_LENGTH + 1), '']) {
      expect(checkPasswordChange({ current: 'old', next, confirm: next })).toEqual({
        ok: false,
        problems: [{ field: PASSWORD_FIELDS.next, key: 'account.error.newLength', params }],
      });
    }
    expect(checkPasswordChange({ current: 'old', next: 'x'.repeat(MIN_PASSWORD_LENGTH), confirm: 'x'.repeat(MIN_PASSWORD_LENGTH) }).ok).toBe(true);
    expect(checkPasswordChange({ current: 'old', next: 'x'.repeat(MAX_PASSWORD_LENGTH), confirm: 'x'.repeat(MAX_PASSWORD_LENGTH) }).ok).toBe(true);
  });

  it('refuses the current password as the new one, and a confirmation that differs', () => {
    expect(checkPasswordChange({ current: NEW, next: NEW, confirm: NEW })).toEqual({
      ok: false,
      problems: [{ field: PASSWORD_FIELDS.next, key: 'account.error.newSame' }],
    });
    expect(checkPasswordChange({ current: 'old', next: NEW, confirm: `${NEW} ` })).toEqual({
      ok: false,
      problems: [{ field: PASSWORD_FIELDS.confirm, key: 'account.error.confirm' }],
    });
  });

  it('names every field with a problem at once', () => {
    const checked = checkPasswordChange({ current: '', next: 'short', confirm: '' });
    expect(checked.ok ? [] : checked.problems.map((p) => p.field)).toEqual([PASSWORD_FIELDS.current, PASSWORD_FIELDS.next]);
  });
});
