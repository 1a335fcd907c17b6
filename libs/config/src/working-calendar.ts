import { type CalendarFile, CalendarFileError, defaultWeekend, type ObservationRules, parseCalendarFile, type WorkingCalendar } from '@hotline/domain';
import Holidays from 'date-holidays';
import { readFileSync } from 'node:fs';
import { ConfigError } from './config';
import type { HotlineConfig } from './hotline-config';

/** Years the generated calendar covers: enough for any statistics this installation will compute. */
const FIRST_YEAR = 2015;
const YEARS_AHEAD = 5;

/**
 * The public holidays of a country (date-holidays, type `public`: the days offices close) and its
 * usual weekend, as a calendar file an admin can edit. `ZZ` (no country set) has weekends only.
 */
export function generatedCalendar(country: string, fromYear = FIRST_YEAR, toYear = new Date().getUTCFullYear() + YEARS_AHEAD): CalendarFile {
  const holidays: { date: string; name: string }[] = [];
  const known = new Holidays().getCountries();
  if (known[country]) {
    const source = new Holidays(country);
    for (let year = fromYear; year <= toYear; year++) {
      for (const h of source.getHolidays(year)) if (h.type === 'public') holidays.push({ date: h.date.slice(0, 10), name: h.name });
    }
  }
  return { country, weekend: [...defaultWeekend(country)], holidays };
}

/** The calendar the statistics count working days with: WORKING_DAYS_FILE when set, else the generated one. */
export function loadWorkingCalendar(config: Pick<HotlineConfig, 'hotlineCountry' | 'stats'>): WorkingCalendar {
  const file = config.stats.workingDaysFile;
  if (!file) return parseCalendarFile(JSON.stringify(generatedCalendar(config.hotlineCountry)));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid configuration: WORKING_DAYS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return parseCalendarFile(text);
  } catch (error) {
    if (error instanceof CalendarFileError) throw new ConfigError(`Invalid configuration: WORKING_DAYS_FILE ${file}: ${error.message}`);
    throw error;
  }
}

/** The rules the statistics keep their rollups by (libs/persistence/src/stats). */
export interface StatsRules extends ObservationRules {
  /** EXPOSURE_DAILY_LIMIT: the analyst-days over it are counted per day (stats_viewing_day). */
  viewingCapMs: number;
}

/** The rules the statistics observe cases by (the working-day calendar and the assessment targets), and the viewing cap. */
export function statsRules(config: Pick<HotlineConfig, 'hotlineCountry' | 'stats' | 'exposureDailyLimitMs'>): StatsRules {
  return { calendar: loadWorkingCalendar(config), assessmentTargets: config.stats.assessmentTargets, viewingCapMs: config.exposureDailyLimitMs };
}
