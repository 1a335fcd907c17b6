import { CalendarFileError, parseCalendarFile } from './calendar-file';

describe('parseCalendarFile', () => {
  it('reads the country, the weekend and holidays given as dates or { date, name }', () => {
    const calendar = parseCalendarFile(
      JSON.stringify({ country: 'NL', weekend: [6, 0], holidays: [{ date: '2026-04-27', name: 'Koningsdag' }, '2026-12-25', { date: '2026-12-25' }] }),
    );
    expect(calendar.country).toBe('NL');
    expect(calendar.weekend).toEqual([6, 0]);
    expect([...calendar.holidays].sort()).toEqual(['2026-04-27', '2026-12-25']);
  });

  it('takes an empty weekend and no holidays', () => {
    const calendar = parseCalendarFile('{"country": "ZZ", "weekend": [], "holidays": []}');
    expect(calendar.weekend).toEqual([]);
    expect(calendar.holidays.size).toBe(0);
  });

  it.each([
    ['{ country: "NL" }', /^not JSON: /],
    ['[]', /must be an object with country, weekend and holidays/],
    ['null', /must be an object/],
    ['{"country": "Netherlands", "weekend": [6, 0], "holidays": []}', /country must be an ISO 3166-1 alpha-2 code/],
    ['{"country": "nl", "weekend": [6, 0], "holidays": []}', /country must be/],
    ['{"weekend": [6, 0], "holidays": []}', /country must be/],
    ['{"country": "NL", "weekend": [7], "holidays": []}', /weekend must list distinct days of the week, 0 \(Sunday\) to 6 \(Saturday\)/],
    ['{"country": "NL", "weekend": [6, 6], "holidays": []}', /weekend must list distinct days/],
    ['{"country": "NL", "weekend": [0, 1, 2, 3, 4, 5, 6], "holidays": []}', /weekend must list distinct days/],
    ['{"country": "NL", "weekend": ["sat"], "holidays": []}', /weekend must list distinct days/],
    ['{"country": "NL", "weekend": "6,0", "holidays": []}', /weekend must list/],
    ['{"country": "NL", "weekend": [6, 0], "holidays": "2026-12-25"}', /holidays must be a list/],
    ['{"country": "NL", "weekend": [6, 0]}', /holidays must be a list/],
    ['{"country": "NL", "weekend": [6, 0], "holidays": ["2026-12-25", "25/12/2026"]}', /^holidays\[1\] must be a date YYYY-MM-DD/],
    ['{"country": "NL", "weekend": [6, 0], "holidays": [{"name": "Kerst"}]}', /^holidays\[0\] must be a date/],
    ['{"country": "NL", "weekend": [6, 0], "holidays": [null]}', /^holidays\[0\]/],
    ['{"country": "NL", "weekend": [6, 0], "holidays": ["2026-13-45"]}', /^holidays\[0\]/],
  ])('refuses %s, saying what is wrong', (text, message) => {
    expect(() => parseCalendarFile(text)).toThrow(CalendarFileError);
    expect(() => parseCalendarFile(text)).toThrow(message);
  });
});
