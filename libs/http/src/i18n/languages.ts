import Negotiator from 'negotiator';

/**
 * Languages the public intake (problem+json errors and the report web page) is offered in.
 * The order matters: it is the order of the language switcher and the fallback order when a
 * client accepts any language (`*`). English comes first because it is the default.
 */
export const SUPPORTED_LANGUAGES = ['en', 'fr', 'es', 'ar', 'zh', 'ru'] as const;

export type Language = (typeof SUPPORTED_LANGUAGES)[number];

export const DEFAULT_LANGUAGE = 'en' satisfies Language;

/** Each language's name written in that language (endonym), for language switchers. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  ar: 'العربية',
  zh: '中文（简体）',
  ru: 'Русский',
};

const RTL_LANGUAGES: ReadonlySet<Language> = new Set<Language>(['ar']);

/** Longest tag `isBcp47` accepts (the RFC 5646 minimum buffer size is 35 characters). */
export const MAX_LANGUAGE_TAG_LENGTH = 35;

/** Accept-Language headers longer than this are cut before parsing; real ones are far shorter. */
const MAX_ACCEPT_LANGUAGE_LENGTH = 2048;

// Pragmatic subset of the RFC 5646 `langtag` production (case-insensitive):
//   language    2-3 letters, optionally followed by up to three 3-letter extlang subtags
//   script      4 letters
//   region      2 letters or 3 digits
//   variant     5-8 alphanumerics, or a digit followed by 3 alphanumerics
//   extension   a singleton (not x) followed by one or more 2-8 alphanumeric subtags
//   privateuse  x followed by one or more 1-8 alphanumeric subtags
// Grandfathered tags, private-use-only tags and 4-8 letter language subtags are not accepted.
const BCP47 =
  /^[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?$/i;

/** Pragmatic well-formedness check of a BCP 47 language tag such as `fr`, `fr-CA` or `zh-Hant-TW`. */
export function isBcp47(tag: string): boolean {
  return typeof tag === 'string' && tag.length <= MAX_LANGUAGE_TAG_LENGTH && BCP47.test(tag);
}

/** True when `value` is one of the supported language codes (exact, lower-case). */
export function isSupportedLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

/** The supported language for a tag's primary subtag (`fr-CA` -> `fr`, `AR` -> `ar`), if any. */
function primaryLanguage(tag: string): Language | undefined {
  const primary = tag.split('-', 1)[0]!.toLowerCase();
  return isSupportedLanguage(primary) ? primary : undefined;
}

function fromExplicit(explicit: unknown): Language | undefined {
  // A repeated query parameter (`?lang=fr&lang=en`) may arrive as an array: the first one counts.
  const value = Array.isArray(explicit) ? explicit[0] : explicit;
  if (typeof value !== 'string') return undefined;
  const tag = value.trim();
  return isBcp47(tag) ? primaryLanguage(tag) : undefined;
}

function fromAcceptLanguage(header: string | string[] | undefined): Language | undefined {
  let value: string;
  if (typeof header === 'string') value = header;
  else if (Array.isArray(header)) value = header.filter((h) => typeof h === 'string').join(', ');
  else return undefined;
  value = value.slice(0, MAX_ACCEPT_LANGUAGE_LENGTH);
  if (value.trim() === '') return undefined;

  const negotiator = new Negotiator({ headers: { 'accept-language': value } });
  // Languages the client accepts with q > 0, as negotiator judges it (this honours `q=0` exclusions
  // and `*`), in our own preference order.
  const acceptable = negotiator.languages(SUPPORTED_LANGUAGES) as Language[];
  if (acceptable.length === 0) return undefined;

  // negotiator ranks an exact match above a prefix match of equal q, so `fr-CA, en` would give `en`.
  // Walk the client's own ranking (q, then order) instead and take the first supported primary subtag.
  for (const tag of negotiator.languages()) {
    if (tag === '*') return acceptable.includes(DEFAULT_LANGUAGE) ? DEFAULT_LANGUAGE : acceptable[0];
    const lang = primaryLanguage(tag);
    if (lang !== undefined && acceptable.includes(lang)) return lang;
  }
  return undefined;
}

/**
 * Choose the response language. An explicit tag (a `lang` query parameter, the report's `language`
 * field) wins when it is well-formed and its primary subtag is supported; otherwise the
 * Accept-Language header is negotiated; otherwise English. Never throws.
 */
export function negotiateLanguage(opts: { explicit?: unknown; acceptLanguage?: string | string[] }): Language {
  try {
    return fromExplicit(opts?.explicit) ?? fromAcceptLanguage(opts?.acceptLanguage) ?? DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function textDirection(lang: Language): 'ltr' | 'rtl' {
  return RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr';
}
