import { CONSOLE_MESSAGES, ct, type ConsoleLanguage, type ConsoleMessageKey } from '../../i18n';

/**
 * The console's word for a value of a vocabulary (`analyst.status.queued`), or the value itself
 * when the catalogue has none (a kind of event added later still shows, as its code).
 */
export function labelOf(lang: ConsoleLanguage, prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const key = `${prefix}.${value}`;
  return key in CONSOLE_MESSAGES ? ct(lang, key as ConsoleMessageKey) : value;
}

/** Whether the catalogue has a word for the value (else the page shows it as code). */
export function hasLabel(prefix: string, value: string): boolean {
  return `${prefix}.${value}` in CONSOLE_MESSAGES;
}

/** A lease's time left as the page script writes it (m:ss), for the first paint. */
export function clockText(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
