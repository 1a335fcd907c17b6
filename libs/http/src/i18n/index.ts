export {
  DEFAULT_LANGUAGE,
  LANGUAGE_NAMES,
  MAX_LANGUAGE_TAG_LENGTH,
  SUPPORTED_LANGUAGES,
  isBcp47,
  isSupportedLanguage,
  negotiateLanguage,
  textDirection,
} from './languages';
export type { Language } from './languages';
export { MESSAGES, MESSAGE_KEYS, REPORT_STATUS_KEYS, formsOf, intlLocale, placeholdersOf, pluralCategory, t, translate } from './messages';
export type { MessageKey, MessageParams, MessageText, PluralText } from './messages';
