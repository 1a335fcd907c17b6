import { intlLocale, translate, type MessageParams } from '@hotline/http';
import { ACCOUNT_MESSAGES } from './account.messages';
import { ADMIN_MESSAGES } from './admin.messages';
import { ANALYST_MESSAGES } from './analyst.messages';
import { COMMON_MESSAGES } from './common.messages';
import { DIRECTORY_MESSAGES } from './directory.messages';
import { LE_MESSAGES } from './le.messages';
import { REVIEW_MESSAGES } from './review.messages';
import { STATS_MESSAGES } from './stats.messages';
import { USERS_MESSAGES } from './users.messages';
import type { ConsoleLanguage } from './console-languages';

export * from './console-languages';

/**
 * The console's whole catalogue: one file per area, each owning its keys' prefix. A key in two
 * files is a compile error (the spread would hide one), checked in i18n.spec.ts.
 */
export const CONSOLE_CATALOGUES = {
  common: COMMON_MESSAGES,
  analyst: ANALYST_MESSAGES,
  review: REVIEW_MESSAGES,
  users: USERS_MESSAGES,
  admin: ADMIN_MESSAGES,
  account: ACCOUNT_MESSAGES,
  directory: DIRECTORY_MESSAGES,
  le: LE_MESSAGES,
  stats: STATS_MESSAGES,
} as const;

const MESSAGES = Object.assign({}, ...Object.values(CONSOLE_CATALOGUES)) as typeof COMMON_MESSAGES &
  typeof ANALYST_MESSAGES &
  typeof REVIEW_MESSAGES &
  typeof USERS_MESSAGES &
  typeof ADMIN_MESSAGES &
  typeof ACCOUNT_MESSAGES &
  typeof DIRECTORY_MESSAGES &
  typeof LE_MESSAGES &
  typeof STATS_MESSAGES;

export type ConsoleMessageKey = keyof typeof MESSAGES;

export const CONSOLE_MESSAGES: Readonly<Record<ConsoleMessageKey, (typeof MESSAGES)[ConsoleMessageKey]>> = MESSAGES;

/** The console text of `key` in `lang`, its placeholders filled (plain text: escape it in HTML). */
export function ct(lang: ConsoleLanguage, key: ConsoleMessageKey, params?: MessageParams): string {
  return translate(MESSAGES, lang, key, params);
}

/** A time of day in the user's language, 24-hour, in UTC (the console's days are UTC days). */
export function formatTime(lang: ConsoleLanguage, at: Date): string {
  return new Intl.DateTimeFormat(intlLocale(lang), { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(at) + ' UTC';
}

export function formatDateTime(lang: ConsoleLanguage, at: Date): string {
  return (
    new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' } as Intl.DateTimeFormatOptions).format(at) +
    ' UTC'
  );
}

/** A duration such as "1 h 05 min" or "42 s", short, in the user's language. */
export function formatDuration(lang: ConsoleLanguage, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const format = (value: number, unit: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(intlLocale(lang), { style: 'unit', unit, unitDisplay: 'narrow' }).format(value);
  if (s >= 86_400) return new Intl.NumberFormat(intlLocale(lang), { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 1 }).format(s / 86_400);
  if (s >= 3600) return `${format(Math.floor(s / 3600), 'hour')} ${format(Math.floor((s % 3600) / 60), 'minute')}`;
  if (s >= 60) return `${format(Math.floor(s / 60), 'minute')} ${format(s % 60, 'second')}`;
  return format(s, 'second');
}
