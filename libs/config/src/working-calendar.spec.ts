import { isWorkingDay } from '@hotline/domain';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config';
import { generatedCalendar, loadWorkingCalendar, statsRules } from './working-calendar';

const dir = mkdtempSync(join(tmpdir(), 'hotline-calendar-'));
const fileWith = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const configOf = (hotlineCountry: string, workingDaysFile: string | null) => ({
  hotlineCountry,
  stats: { minCell: 5, workingDaysFile, assessmentTargets: [{ minPriority: 0, withinMs: 259_200_000 }] },
  exposureDailyLimitMs: 14_400_000,
});

describe('generatedCalendar', () => {
  it("holds a country's public holidays and its weekend", () => {
    const fr = generatedCalendar('FR', 2026, 2026);
    const dates = fr.holidays.map((h) => (typeof h === 'string' ? h : h.date));
    expect(dates).toEqual(expect.arrayContaining(['2026-01-01', '2026-05-01', '2026-07-14', '2026-12-25']));
    expect(dates.every((d) => d.startsWith('2026-'))).toBe(true);
    expect(new Set(dates).size).toBe(dates.length);
    expect(fr.holidays.every((h) => typeof h === 'object' && (h.name ?? '').length > 0)).toBe(true);
    expect([...fr.weekend].sort()).toEqual([0, 6]);
    expect(fr.country).toBe('FR');
  });

  it('covers the years from 2015 to five years ahead by default', () => {
    const dates = generatedCalendar('FR').holidays.map((h) => (typeof h === 'string' ? h : h.date));
    expect(dates).toEqual(expect.arrayContaining(['2015-07-14', '2026-07-14', `${new Date().getUTCFullYear() + 5}-07-14`]));
  });

  it('keeps only the days offices close (public holidays, not observances)', () => {
    // Mother's Day, 31 May 2026, an observance in date-holidays, is not a day off.
    const dates = generatedCalendar('FR', 2026, 2026).holidays.map((h) => (typeof h === 'string' ? h : h.date));
    expect(dates).not.toContain('2026-05-31');
  });

  it('gives the weekend of the country', () => {
    expect([...generatedCalendar('SA', 2026, 2026).weekend].sort()).toEqual([5, 6]);
  });

  it('has weekends only for ZZ (no country set)', () => {
    expect(generatedCalendar('ZZ', 2026, 2026)).toEqual({ country: 'ZZ', weekend: [6, 0], holidays: [] });
  });
});

describe('loadWorkingCalendar', () => {
  it('generates the calendar of HOTLINE_COUNTRY without a file', () => {
    const calendar = loadWorkingCalendar(configOf('FR', null));
    expect(calendar.country).toBe('FR');
    expect(calendar.holidays.has('2026-07-14')).toBe(true);
    expect(isWorkingDay(calendar, Date.parse('2026-07-14T00:00:00Z'))).toBe(false);
    expect(isWorkingDay(calendar, Date.parse('2026-07-15T00:00:00Z'))).toBe(true);
  });

  it('reads WORKING_DAYS_FILE when set, and nothing else', () => {
    const file = fileWith('nl.json', JSON.stringify({ country: 'NL', weekend: [6, 0], holidays: ['2026-04-27'] }));
    const calendar = loadWorkingCalendar(configOf('FR', file));
    expect(calendar).toEqual({ country: 'NL', weekend: [6, 0], holidays: new Set(['2026-04-27']) });
  });

  it('takes back what calendar:export writes', () => {
    const file = fileWith('fr.json', JSON.stringify(generatedCalendar('FR', 2026, 2026), null, 2));
    expect(loadWorkingCalendar(configOf('ZZ', file)).holidays.has('2026-12-25')).toBe(true);
  });

  it.each([
    ['not JSON', '{ holidays: ', /^Invalid configuration: WORKING_DAYS_FILE .*bad-json\.json: not JSON/],
    ['a bad weekend', '{"country": "NL", "weekend": [7], "holidays": []}', /^Invalid configuration: WORKING_DAYS_FILE .*: weekend must list distinct days/],
    ['a bad holiday', '{"country": "NL", "weekend": [6, 0], "holidays": ["27-04-2026"]}', /^Invalid configuration: WORKING_DAYS_FILE .*: holidays\[0\] must be a date/],
  ])('stops with a ConfigError naming WORKING_DAYS_FILE on %s', (what, text, message) => {
    const file = fileWith(what === 'not JSON' ? 'bad-json.json' : `${what.replace(/ /g, '-')}.json`, text);
    expect(() => loadWorkingCalendar(configOf('NL', file))).toThrow(ConfigError);
    expect(() => loadWorkingCalendar(configOf('NL', file))).toThrow(message);
  });

  it('stops with a ConfigError naming WORKING_DAYS_FILE when the file cannot be read', () => {
    const missing = join(dir, 'missing.json');
    expect(() => loadWorkingCalendar(configOf('NL', missing))).toThrow(ConfigError);
    expect(() => loadWorkingCalendar(configOf('NL', missing))).toThrow(`Invalid configuration: WORKING_DAYS_FILE ${missing} cannot be read (ENOENT)`);
  });
});

describe('statsRules', () => {
  it('joins the calendar, the assessment targets and the viewing cap', () => {
    const rules = statsRules(configOf('ZZ', null));
    expect(rules.calendar).toEqual({ country: 'ZZ', weekend: [6, 0], holidays: new Set() });
    expect(rules.assessmentTargets).toEqual([{ minPriority: 0, withinMs: 259_200_000 }]);
    expect(rules.viewingCapMs).toBe(14_400_000);
  });
});
