import type { WorkingCalendar } from './working-days';

/**
 * The working-day calendar file an admin edits (WORKING_DAYS_FILE; `cli calendar:export` writes a
 * starting point from the public holidays of HOTLINE_COUNTRY):
 *
 *   { "country": "NL", "weekend": [6, 0],
 *     "holidays": [{ "date": "2026-04-27", "name": "Koningsdag" }, "2026-12-25"] }
 *
 * `weekend` lists days of the week (0 = Sunday); each holiday is a date or { date, name }.
 */
export interface CalendarFile {
  country: string;
  weekend: number[];
  holidays: ({ date: string; name?: string } | string)[];
}

export class CalendarFileError extends Error {}

export function parseCalendarFile(text: string): WorkingCalendar {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CalendarFileError(`not JSON: ${(error as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new CalendarFileError('must be an object with country, weekend and holidays');
  const { country, weekend, holidays } = data as Record<string, unknown>;
  if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) throw new CalendarFileError('country must be an ISO 3166-1 alpha-2 code, e.g. "NL"');
  if (!Array.isArray(weekend) || !weekend.every((d) => Number.isInteger(d) && d >= 0 && d <= 6) || new Set(weekend).size !== weekend.length || weekend.length > 6) {
    throw new CalendarFileError('weekend must list distinct days of the week, 0 (Sunday) to 6 (Saturday)');
  }
  if (!Array.isArray(holidays)) throw new CalendarFileError('holidays must be a list');
  const dates = new Set<string>();
  holidays.forEach((h, i) => {
    const date = typeof h === 'string' ? h : h && typeof h === 'object' ? (h as { date?: unknown }).date : undefined;
    if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new CalendarFileError(`holidays[${i}] must be a date YYYY-MM-DD or { "date": "YYYY-MM-DD", "name": "..." }`);
    }
    dates.add(date);
  });
  return { country, weekend: weekend as number[], holidays: dates };
}
