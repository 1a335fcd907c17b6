import { intlLocale } from '@hotline/http';
import type { ConsoleLanguage } from '../i18n';
import { type AxisFormat, niceStep } from './svg-chart';

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

/** Steps a reader of durations expects: minutes, hours, days, never 2,000 seconds. */
const DURATION_STEPS = [
  1,
  5,
  15,
  30,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/** The smallest duration step of at least `rough` seconds; beyond a month, whole multiples of 10 days. */
export function durationStep(rough: number): number {
  const step = DURATION_STEPS.find((candidate) => candidate >= rough * (1 - 1e-9));
  return step ?? niceStep(rough / DAY) * DAY;
}

/** A rate's axis: 0 to 100 % in quarters. */
export function rateAxis(lang: ConsoleLanguage): AxisFormat {
  const percent = new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 0 });
  return { max: 1, tick: (value) => percent.format(value), step: () => 0.25 };
}

/** A count's axis: whole numbers. */
export function countAxis(lang: ConsoleLanguage): AxisFormat {
  const number = new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: 0 });
  return { max: 4, tick: (value) => number.format(value), step: (rough) => Math.max(1, niceStep(rough)) };
}

/** A duration's axis (seconds), labelled short in the unit that fits each tick: "30 min", "6 h", "2 d". */
export function durationAxis(lang: ConsoleLanguage): AxisFormat {
  const unit = (name: 'second' | 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(intlLocale(lang), { style: 'unit', unit: name, unitDisplay: 'narrow', maximumFractionDigits: 1 });
  const formats = { second: unit('second'), minute: unit('minute'), hour: unit('hour'), day: unit('day') };
  return {
    max: MINUTE,
    step: durationStep,
    tick: (seconds) => {
      if (seconds === 0) return new Intl.NumberFormat(intlLocale(lang)).format(0);
      if (seconds < MINUTE) return formats.second.format(seconds);
      if (seconds < HOUR) return formats.minute.format(seconds / MINUTE);
      if (seconds < 2 * DAY) return formats.hour.format(seconds / HOUR);
      return formats.day.format(seconds / DAY);
    },
  };
}
