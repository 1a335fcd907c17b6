import { METRIC_DEFINITIONS, type SeriesPeriod, type StatMetric } from '@hotline/domain';
import { intlLocale } from '@hotline/http';
import type { ConsoleLanguage } from '../i18n';

/** The statistics page's numbers and dates in the page's language (Intl; Arabic with Latin digits, as the console writes them). */

/** Whether a metric has a test (a rate of hits) and a clock (durations). */
export const hasRate = (metric: StatMetric) => METRIC_DEFINITIONS[metric].hit !== null;
export const hasClock = (metric: StatMetric) => METRIC_DEFINITIONS[metric].duration !== null;

export function formatCount(lang: ConsoleLanguage, value: number): string {
  return new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: 0 }).format(value);
}

export function formatRate(lang: ConsoleLanguage, value: number): string {
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

export function formatHours(lang: ConsoleLanguage, hours: number): string {
  return new Intl.NumberFormat(intlLocale(lang), { style: 'unit', unit: 'hour', unitDisplay: 'long', maximumFractionDigits: 1 }).format(hours);
}

export function formatDay(lang: ConsoleLanguage, day: string): string {
  return new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** A period's name: short under a chart's axis ("Mar", "Mar 26" when the series spans years), long in words ("March 2026"). */
export function periodLabel(lang: ConsoleLanguage, start: string, period: SeriesPeriod, form: 'short' | 'long', spansYears = false): string {
  const options: Intl.DateTimeFormatOptions =
    period === 'year'
      ? { year: 'numeric' }
      : period === 'month'
        ? form === 'long'
          ? { month: 'long', year: 'numeric' }
          : spansYears
            ? { month: 'short', year: '2-digit' }
            : { month: 'short' }
        : form === 'long'
          ? { day: 'numeric', month: 'long', year: 'numeric' }
          : { day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(intlLocale(lang), { ...options, timeZone: 'UTC' }).format(new Date(`${start}T00:00:00Z`));
}
