/**
 * Working days of the hotline's country: weekends and public holidays, from a calendar an admin
 * can edit (see libs/domain/src/stats/calendar-file.ts and docs/statistics.md). Days are UTC
 * dates, like every clock of the statistics.
 */
export interface WorkingCalendar {
  /** ISO 3166-1 alpha-2 of the country whose days these are. */
  readonly country: string;
  /** Days of the week that are not worked: 0 = Sunday … 6 = Saturday. */
  readonly weekend: readonly number[];
  /** Public holidays, `YYYY-MM-DD`. */
  readonly holidays: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;

export function isWorkingDay(calendar: WorkingCalendar, dayStartMs: number): boolean {
  const date = new Date(dayStartMs);
  if (calendar.weekend.includes(date.getUTCDay())) return false;
  return !calendar.holidays.has(date.toISOString().slice(0, 10));
}

/**
 * Whether `endMs` is within `days` working days of `startMs`. Working time is counted as each
 * working day's part between the two instants: a report received on Friday at 17:00 is within 3
 * working days until Wednesday 17:00 (Saturday and Sunday do not count), one received on Saturday
 * until Wednesday midnight. The walk stops as soon as the limit is passed.
 */
export function withinWorkingDays(calendar: WorkingCalendar, startMs: number, endMs: number, days: number): boolean {
  if (!(endMs > startMs)) return true;
  let total = 0;
  const limit = days * DAY_MS;
  for (let day = Math.floor(startMs / DAY_MS) * DAY_MS; day < endMs; day += DAY_MS) {
    if (!isWorkingDay(calendar, day)) continue;
    total += Math.min(endMs, day + DAY_MS) - Math.max(startMs, day);
    if (total > limit) return false;
  }
  return true;
}

/** Weekend days by country where they are not Saturday and Sunday (the default). */
const WEEKENDS: Record<string, readonly number[]> = {
  AF: [4, 5],
  BH: [5, 6],
  DZ: [5, 6],
  EG: [5, 6],
  IL: [5, 6],
  IQ: [5, 6],
  IR: [5],
  JO: [5, 6],
  KW: [5, 6],
  LY: [5, 6],
  NP: [6],
  OM: [5, 6],
  QA: [5, 6],
  SA: [5, 6],
  SD: [5, 6],
  SY: [5, 6],
  YE: [5, 6],
};

export function defaultWeekend(country: string): readonly number[] {
  return WEEKENDS[country.toUpperCase()] ?? [6, 0];
}
