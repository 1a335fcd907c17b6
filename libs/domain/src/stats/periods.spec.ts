import { addDays, isStatDate, periodStart, SERIES_PERIODS, splitRange } from './periods';

describe('splitRange', () => {
  it('reads a whole year from its 12 month cells and no day cells', () => {
    expect(splitRange('2026-01-01', '2027-01-01')).toEqual({ months: ['2026-01-01', '2027-01-01'], days: [] });
  });

  it('reads the days at mid-month edges from the day cells, the months between from the month cells', () => {
    // 15 March to 10 June (exclusive): 15-31 March as days, April and May as months, 1-9 June as days.
    expect(splitRange('2026-03-15', '2026-06-10')).toEqual({
      months: ['2026-04-01', '2026-06-01'],
      days: [
        ['2026-03-15', '2026-04-01'],
        ['2026-06-01', '2026-06-10'],
      ],
    });
    // A start on the 1st needs no leading days; an end on the 1st no trailing ones.
    expect(splitRange('2026-04-01', '2026-06-10')).toEqual({ months: ['2026-04-01', '2026-06-01'], days: [['2026-06-01', '2026-06-10']] });
    expect(splitRange('2026-03-15', '2026-06-01')).toEqual({ months: ['2026-04-01', '2026-06-01'], days: [['2026-03-15', '2026-04-01']] });
  });

  it('crosses a year end', () => {
    expect(splitRange('2025-12-20', '2026-02-03')).toEqual({
      months: ['2026-01-01', '2026-02-01'],
      days: [
        ['2025-12-20', '2026-01-01'],
        ['2026-02-01', '2026-02-03'],
      ],
    });
  });

  it('reads a range without a whole month from the day cells only', () => {
    expect(splitRange('2026-03-05', '2026-03-20')).toEqual({ months: null, days: [['2026-03-05', '2026-03-20']] });
    // Across two months but no whole one.
    expect(splitRange('2026-03-20', '2026-04-10')).toEqual({ months: null, days: [['2026-03-20', '2026-04-10']] });
    // One whole month, exactly.
    expect(splitRange('2026-02-01', '2026-03-01')).toEqual({ months: ['2026-02-01', '2026-03-01'], days: [] });
    // One day.
    expect(splitRange('2026-03-05', '2026-03-06')).toEqual({ months: null, days: [['2026-03-05', '2026-03-06']] });
  });

  it('gives nothing to read for an empty or reversed range', () => {
    expect(splitRange('2026-03-05', '2026-03-05')).toEqual({ months: null, days: [] });
    expect(splitRange('2026-04-01', '2026-03-01')).toEqual({ months: null, days: [] });
  });

  it('covers every day of the range exactly once', () => {
    const days = (from: string, to: string) => {
      const out: string[] = [];
      for (let d = from; d < to; d = addDays(d, 1)) out.push(d);
      return out;
    };
    for (const [from, to] of [
      ['2025-11-17', '2026-03-02'],
      ['2026-01-31', '2026-03-01'],
      ['2024-02-28', '2024-03-02'],
    ]) {
      const split = splitRange(from, to);
      const covered = [...(split.months ? days(...split.months) : []), ...split.days.flatMap(([a, b]) => days(a, b))].sort();
      expect(covered).toEqual(days(from, to));
    }
  });
});

describe('periodStart', () => {
  it('starts weeks on Monday (ISO 8601)', () => {
    // Wednesday 11 March 2026 -> Monday 9 March; a Monday is its own start; a Sunday belongs to the week before.
    expect(periodStart('2026-03-11', 'week')).toBe('2026-03-09');
    expect(periodStart('2026-03-09', 'week')).toBe('2026-03-09');
    expect(periodStart('2026-03-15', 'week')).toBe('2026-03-09');
  });

  it('lets a week cross the year end', () => {
    // Friday 1 January 2027 is in the week of Monday 28 December 2026; Sunday 3 January 2027 too.
    expect(periodStart('2027-01-01', 'week')).toBe('2026-12-28');
    expect(periodStart('2027-01-03', 'week')).toBe('2026-12-28');
    expect(periodStart('2027-01-04', 'week')).toBe('2027-01-04');
  });

  it('gives the day, the first of the month and the first of the year', () => {
    expect(periodStart('2026-03-11', 'day')).toBe('2026-03-11');
    expect(periodStart('2026-03-11', 'month')).toBe('2026-03-01');
    expect(periodStart('2026-03-11', 'year')).toBe('2026-01-01');
    expect(SERIES_PERIODS).toEqual(['day', 'week', 'month', 'year']);
  });
});

describe('isStatDate', () => {
  it.each(['2026-03-11', '2024-02-29', '2026-12-31', '2027-01-01', '1970-01-01', '9998-12-31'])('takes %s', (day) => expect(isStatDate(day)).toBe(true));
  it.each([
    '2026-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-3-1',
    '20260311',
    '2026-03-11T00:00:00Z',
    '',
    'yesterday',
    '0000-01-01',
    '1969-12-31',
    '9999-12-31',
  ])('refuses %p', (day) => expect(isStatDate(day)).toBe(false));
});

describe('addDays', () => {
  it('moves by UTC days across months, years and leap days', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
