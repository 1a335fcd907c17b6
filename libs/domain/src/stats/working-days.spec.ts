import { defaultWeekend, isWorkingDay, type WorkingCalendar, withinWorkingDays } from './working-days';

const at = (iso: string) => Date.parse(iso);
const plain: WorkingCalendar = { country: 'NL', weekend: [6, 0], holidays: new Set() };
// 2026: Friday 6 March, Wednesday 11 March; Thursday 2 April, Good Friday 3 April, Easter Monday 6 April.
const easter: WorkingCalendar = { country: 'NL', weekend: [6, 0], holidays: new Set(['2026-04-03', '2026-04-06']) };

describe('withinWorkingDays', () => {
  it('gives a Friday 17:00 report until Wednesday 17:00 (the weekend does not count)', () => {
    const friday = at('2026-03-06T17:00:00Z');
    // Fri 7 h + Mon 24 h + Tue 24 h + Wed 17 h = 72 h.
    expect(withinWorkingDays(plain, friday, at('2026-03-11T17:00:00Z'), 3)).toBe(true);
    expect(withinWorkingDays(plain, friday, at('2026-03-11T16:59:59Z'), 3)).toBe(true);
    expect(withinWorkingDays(plain, friday, at('2026-03-11T17:00:01Z'), 3)).toBe(false);
    // Counting calendar days, Monday 17:00 would be the limit.
    expect(withinWorkingDays(plain, friday, at('2026-03-09T17:00:01Z'), 3)).toBe(true);
  });

  it('gives a Saturday report until Wednesday midnight', () => {
    const saturday = at('2026-03-07T10:00:00Z');
    expect(withinWorkingDays(plain, saturday, at('2026-03-11T23:59:59Z'), 3)).toBe(true);
    expect(withinWorkingDays(plain, saturday, at('2026-03-12T00:00:00Z'), 3)).toBe(true);
    expect(withinWorkingDays(plain, saturday, at('2026-03-12T00:00:01Z'), 3)).toBe(false);
    // Anything over the weekend itself is within: no working time has passed.
    expect(withinWorkingDays(plain, saturday, at('2026-03-08T23:00:00Z'), 0)).toBe(true);
  });

  it('skips public holidays', () => {
    const thursday = at('2026-04-02T10:00:00Z');
    // Thu 14 h, Good Friday, weekend, Easter Monday, Tue 24 h, Wed 24 h, Thu 10 h = 72 h.
    expect(withinWorkingDays(easter, thursday, at('2026-04-09T10:00:00Z'), 3)).toBe(true);
    expect(withinWorkingDays(easter, thursday, at('2026-04-09T10:00:01Z'), 3)).toBe(false);
    // Without the holidays: Thu 14 h, Fri 24 h, Mon 24 h, Tue 10 h.
    expect(withinWorkingDays(plain, thursday, at('2026-04-07T10:00:00Z'), 3)).toBe(true);
    expect(withinWorkingDays(plain, thursday, at('2026-04-07T10:00:01Z'), 3)).toBe(false);
  });

  it('counts a Friday-Saturday weekend for the countries that keep one', () => {
    const saudi: WorkingCalendar = { country: 'SA', weekend: defaultWeekend('SA'), holidays: new Set() };
    // Sunday 8 March 10:00 is a working day there: Sun 14 h, Mon 24 h, Tue 24 h, Wed 10 h = 72 h.
    const sunday = at('2026-03-08T10:00:00Z');
    expect(withinWorkingDays(saudi, sunday, at('2026-03-11T10:00:00Z'), 3)).toBe(true);
    expect(withinWorkingDays(saudi, sunday, at('2026-03-11T10:00:01Z'), 3)).toBe(false);
    // In a Saturday-Sunday country the same report has until Wednesday midnight.
    expect(withinWorkingDays(plain, sunday, at('2026-03-11T10:00:01Z'), 3)).toBe(true);
    expect(isWorkingDay(saudi, at('2026-03-06T00:00:00Z'))).toBe(false);
    expect(isWorkingDay(saudi, at('2026-03-08T00:00:00Z'))).toBe(true);
  });

  it('takes an end at or before the start as within (clock skew, not a late action)', () => {
    const t = at('2026-03-06T17:00:00Z');
    expect(withinWorkingDays(plain, t, t, 3)).toBe(true);
    expect(withinWorkingDays(plain, t, t - 86_400_000, 3)).toBe(true);
  });

  it('stops walking once the limit is passed, however far the end', () => {
    const started = performance.now();
    expect(withinWorkingDays(plain, at('2026-01-01T00:00:00Z'), at('2126-01-01T00:00:00Z'), 3)).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('isWorkingDay', () => {
  it('is false on the weekend and on holidays, true otherwise', () => {
    expect(isWorkingDay(easter, at('2026-04-02T00:00:00Z'))).toBe(true);
    expect(isWorkingDay(easter, at('2026-04-03T00:00:00Z'))).toBe(false);
    expect(isWorkingDay(easter, at('2026-04-04T00:00:00Z'))).toBe(false);
    expect(isWorkingDay(easter, at('2026-04-05T00:00:00Z'))).toBe(false);
    expect(isWorkingDay(easter, at('2026-04-06T00:00:00Z'))).toBe(false);
    expect(isWorkingDay(easter, at('2026-04-07T00:00:00Z'))).toBe(true);
  });
});

describe('defaultWeekend', () => {
  it('is Saturday and Sunday unless the country keeps another', () => {
    expect(defaultWeekend('NL')).toEqual([6, 0]);
    expect(defaultWeekend('ZZ')).toEqual([6, 0]);
    expect(defaultWeekend('SA')).toEqual([5, 6]);
    expect(defaultWeekend('ae')).toEqual([6, 0]);
    expect(defaultWeekend('ir')).toEqual([5]);
  });
});
