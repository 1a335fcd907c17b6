import { SUPPORTED_LANGUAGES, type Language } from './languages';
import { MESSAGES, MESSAGE_KEYS, REPORT_STATUS_KEYS, placeholdersOf, t, type MessageKey } from './messages';

// Compile-time check (run by `tsc --noEmit`): a catalogue entry missing a language does not type-check.
// @ts-expect-error -- 'ru' is missing
const incomplete: Record<Language, string> = { en: 'a', fr: 'a', es: 'a', ar: 'a', zh: 'a' };
void incomplete;

const SCRIPT: Record<Language, RegExp> = {
  en: /[A-Za-z]/,
  fr: /[A-Za-z]/,
  es: /[A-Za-z]/,
  ar: /[\u0600-\u06FF]/,
  zh: /[\u4E00-\u9FFF]/,
  ru: /[\u0400-\u04FF]/,
};

const REQUIRED_KEYS: MessageKey[] = [
  'problem.validation.title',
  'problem.validation.detail',
  'problem.malformed_json.title',
  'problem.malformed_json.detail',
  'problem.payload_too_large.title',
  'problem.payload_too_large.detail',
  'problem.unsupported_media_type.title',
  'problem.unsupported_media_type.detail',
  'problem.rate_limited.title',
  'problem.rate_limited.detail',
  'problem.unavailable.title',
  'problem.unavailable.detail',
  'problem.not_found.title',
  'problem.not_found.detail',
  'problem.internal.title',
  'problem.internal.detail',
  'problem.method_not_allowed.title',
  'problem.method_not_allowed.detail',
  'problem.bad_request.title',
  'problem.bad_request.detail',
  'field.required',
  'field.unknown',
  'field.must_be_string',
  'field.must_be_boolean',
  'field.must_be_object',
  'field.must_be_array',
  'field.array_size',
  'field.max_length',
  'field.one_of',
  'field.email',
  'field.language_tag',
  'field.country_code',
  'field.url.invalid',
  'field.url.scheme',
  'field.url.host_not_public',
  'field.url.single_label',
  'field.url.too_long',
  'field.url.empty',
];

const EXPECTED_PARAMS: Partial<Record<MessageKey, string[]>> = {
  'problem.payload_too_large.detail': ['{limit}'],
  'problem.unsupported_media_type.detail': ['{expected}'],
  'problem.rate_limited.detail': ['{seconds:duration}'],
  'problem.unavailable.detail': ['{seconds:duration}'],
  'problem.internal.detail': ['{errorId}'],
  'field.array_size': ['{max}', '{min}'],
  'field.max_length': ['{max}'],
  'field.one_of': ['{values}'],
  'field.url.too_long': ['{max}'],
};

describe('message catalogue', () => {
  it('contains the keys the API and the page rely on', () => {
    for (const key of REQUIRED_KEYS) expect(MESSAGE_KEYS).toContain(key);
    for (const status of REPORT_STATUS_KEYS) {
      expect(MESSAGE_KEYS).toContain(`status.${status}`);
      expect(MESSAGE_KEYS).toContain(`status.${status}.detail`);
    }
  });

  it.each(MESSAGE_KEYS.map((key) => [key]))('%s has a non-empty, trimmed text in every language', (key) => {
    const entry = MESSAGES[key];
    expect(Object.keys(entry).sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
    for (const lang of SUPPORTED_LANGUAGES) {
      const text = entry[lang];
      expect(typeof text).toBe('string');
      expect(text.trim()).not.toBe('');
      expect(text).toBe(text.trim());
      expect(text).not.toMatch(/\s{2}/);
      // Written in the language's own script (catches a pasted English text).
      const words = text.replace(/\{[^}]*\}/g, '');
      if (/\p{L}/u.test(words)) expect(words).toMatch(SCRIPT[lang]);
      // Plain text: no markup that would need trusting when rendered.
      expect(text).not.toMatch(/[<>]/);
    }
  });

  it.each(MESSAGE_KEYS.map((key) => [key]))('%s uses the same placeholders in every language', (key) => {
    const entry = MESSAGES[key];
    const english = placeholdersOf(entry.en).sort();
    for (const lang of SUPPORTED_LANGUAGES) {
      expect({ lang, placeholders: placeholdersOf(entry[lang]).sort() }).toEqual({ lang, placeholders: english });
      // Every brace belongs to a well-formed placeholder.
      const braces = (entry[lang].match(/[{}]/g) ?? []).length;
      expect(braces).toBe(placeholdersOf(entry[lang]).length * 2);
    }
  });

  it('has the documented parameters', () => {
    for (const [key, params] of Object.entries(EXPECTED_PARAMS)) {
      expect(placeholdersOf(MESSAGES[key as MessageKey].en).sort()).toEqual(params);
    }
  });

  it('is not the same text in every language (except pure placeholders)', () => {
    for (const key of MESSAGE_KEYS) {
      const texts = new Set(SUPPORTED_LANGUAGES.map((lang) => MESSAGES[key][lang]));
      // Pure placeholders pass their text through: a label pattern, and the validator's own words.
      if (key !== 'form.error_with_label' && key !== 'field.rule') expect(texts.size).toBeGreaterThan(1);
    }
  });
});

describe('t', () => {
  it('returns the text in the requested language', () => {
    expect(t('en', 'problem.validation.title')).toBe('Your report has errors');
    expect(t('en', 'problem.validation.detail')).toBe('Correct the fields listed in errors and send the report again.');
    expect(t('fr', 'field.required')).toBe('Ce champ est obligatoire.');
    expect(t('ar', 'form.submit')).toBe('إرسال البلاغ');
  });

  it('fills parameters', () => {
    expect(t('en', 'field.array_size', { min: 1, max: 20 })).toBe('Give between 1 and 20 addresses.');
    expect(t('ru', 'field.max_length', { max: 4000 })).toBe('Не более 4000 символов.');
    expect(t('en', 'field.one_of', { values: 'images, videos' })).toBe('Use one of: images, videos.');
    expect(t('en', 'problem.internal.detail', { errorId: 'e-123' })).toContain('error ID: e-123.');
    expect(t('zh', 'problem.unsupported_media_type.detail', { expected: 'application/json' })).toBe(
      '请以 application/json 格式提交举报。',
    );
  });

  it('writes durations with the right plural form', () => {
    expect(t('en', 'problem.rate_limited.detail', { seconds: 1 })).toMatch(/in 1 second\.$/);
    expect(t('en', 'problem.rate_limited.detail', { seconds: 30 })).toMatch(/in 30 seconds\.$/);
    expect(t('fr', 'problem.unavailable.detail', { seconds: 30 })).toMatch(/dans 30\ssecondes\.$/);
    expect(t('ru', 'problem.rate_limited.detail', { seconds: 3 })).toMatch(/Время ожидания: 3 секунды\.$/);
    expect(t('ru', 'problem.rate_limited.detail', { seconds: 21 })).toMatch(/Время ожидания: 21 секунда\.$/);
    expect(t('ar', 'problem.rate_limited.detail', { seconds: 30 })).toMatch(/30 ثانية\.$/);
    // A duration given as a string is inserted as it is.
    expect(t('en', 'problem.rate_limited.detail', { seconds: 'a few seconds' })).toMatch(/in a few seconds\.$/);
  });

  it('leaves placeholders without a parameter visible and ignores extra parameters', () => {
    expect(t('en', 'field.max_length')).toBe('At most {max} characters.');
    expect(t('en', 'field.max_length', { min: 3 })).toBe('At most {max} characters.');
    expect(t('en', 'field.required', { max: 3 })).toBe('This field is required.');
  });

  it('does not read inherited properties as parameters', () => {
    expect(t('en', 'field.one_of', {} as Record<string, string>)).toBe('Use one of: {values}.');
    expect(t('en', 'form.error_with_label', { label: '$&', message: '$1' })).toBe('$&: $1');
  });

  it('falls back instead of throwing on unknown keys or languages', () => {
    expect(t('de' as Language, 'field.required')).toBe('This field is required.');
    expect(t('en', 'no.such.key' as MessageKey)).toBe('no.such.key');
  });
});
