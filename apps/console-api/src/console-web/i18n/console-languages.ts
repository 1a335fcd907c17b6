import Negotiator from 'negotiator';
import { LANGUAGE_NAMES, textDirection } from '@hotline/http';

/**
 * Languages the staff console is written in. Each is a language of the public side too (same
 * codes, same catalogue structure); the others of the public side can be added by writing their
 * column in every console catalogue (the compiler names each key that lacks one).
 */
export const CONSOLE_LANGUAGES = ['en', 'fr', 'ar'] as const;

export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

export function isConsoleLanguage(value: unknown): value is ConsoleLanguage {
  return typeof value === 'string' && (CONSOLE_LANGUAGES as readonly string[]).includes(value);
}

/** The user's own choice, else the query's (sign-in page), else the browser's, else English. */
export function consoleLanguage(chosen: unknown, query: unknown, acceptLanguage: string | undefined): ConsoleLanguage {
  if (isConsoleLanguage(chosen)) return chosen;
  if (isConsoleLanguage(query)) return query;
  const header = (acceptLanguage ?? '').slice(0, 2048);
  const best = new Negotiator({ headers: { 'accept-language': header } }).language([...CONSOLE_LANGUAGES]);
  return isConsoleLanguage(best) ? best : 'en';
}

export function consoleLanguageName(lang: ConsoleLanguage): string {
  return LANGUAGE_NAMES[lang];
}

export function consoleDirection(lang: ConsoleLanguage): 'ltr' | 'rtl' {
  return textDirection(lang);
}
