/**
 * Periods of the statistics, as UTC dates `YYYY-MM-DD`; ranges are half-open [from, to).
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export const SERIES_PERIODS = ['day', 'week', 'month', 'year'] as const;
export type SeriesPeriod = (typeof SERIES_PERIODS)[number];

/** Years a statistics date may have: PostgreSQL's dates and the day after the last must both exist. */
const YEARS = { min: 1970, max: 9998 } as const;

export function isStatDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  if (year < YEARS.min || year > YEARS.max) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function firstOfNextMonth(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * A range split into whole months (read from the month cells) and the days at its edges (read
 * from the day cells): a year is 12 month cells per metric, however many cases it holds.
 */
export function splitRange(from: string, to: string): { months: [string, string] | null; days: [string, string][] } {
  if (!(from < to)) return { months: null, days: [] };
  const m0 = from.endsWith('-01') ? from : firstOfNextMonth(from);
  const m1 = `${to.slice(0, 7)}-01`;
  if (!(m0 < m1)) return { months: null, days: [[from, to]] };
  const days: [string, string][] = [];
  if (from < m0) days.push([from, m0]);
  if (m1 < to) days.push([m1, to]);
  return { months: [m0, m1], days };
}

/** The start of the period of `period` that holds `day` (weeks start on Monday, ISO 8601). */
export function periodStart(day: string, period: SeriesPeriod): string {
  switch (period) {
    case 'day':
      return day;
    case 'month':
      return `${day.slice(0, 7)}-01`;
    case 'year':
      return `${day.slice(0, 4)}-01-01`;
    case 'week': {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      return addDays(day, -((weekday + 6) % 7));
    }
  }
}
