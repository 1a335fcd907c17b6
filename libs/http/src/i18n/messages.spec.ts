import { SUPPORTED_LANGUAGES, type Language } from './languages';
import { PROBLEM_STATUS } from '../problem';
import { MESSAGES, MESSAGE_KEYS, REPORT_STATUS_KEYS, formsOf, intlLocale, placeholdersOf, pluralCategory, t, type MessageKey, type MessageText } from './messages';

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
  'problem.quota_exceeded.detail': ['{seconds:duration}'],
  'field.list_size': ['{max}'],
  'problem.unavailable.detail': ['{seconds:duration}'],
  'problem.internal.detail': ['{errorId}'],
  'field.array_size': ['{max}', '{min}'],
  'field.max_length': ['{max}'],
  'field.one_of': ['{values}'],
  'field.url.too_long': ['{max}'],
  'problem.lease_limit.detail': ['{held}', '{limit}'],
  'problem.case_not_in_assessment.detail': ['{status}'],
  'problem.case_not_pending_review.detail': ['{status}'],
  'problem.case_not_appealable.detail': ['{appealable}', '{status}'],
  'problem.reveal_not_now.detail': ['{status}'],
  'problem.removal_not_allowed.detail': ['{status}'],
  'problem.partner_no_next_key.detail': ['{name}'],
};

const entryOf = (key: MessageKey): Readonly<Record<Language, MessageText>> => MESSAGES[key];

/** Every placeholder of a language's text, over all its plural forms. */
const placeholdersOfText = (text: MessageText): string[] => [...new Set(formsOf(text).flatMap(placeholdersOf))].sort();

/** The parameter whose number picks the plural form of a key, if the key has plural forms. */
const countOf = (key: MessageKey): string | undefined => {
  const plural = Object.values(entryOf(key)).find((text) => typeof text !== 'string');
  return plural === undefined || typeof plural === 'string' ? undefined : plural.count;
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
    const entry = entryOf(key);
    expect(Object.keys(entry).sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
    for (const lang of SUPPORTED_LANGUAGES) {
      for (const text of formsOf(entry[lang])) {
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
    }
  });

  it.each(MESSAGE_KEYS.map((key) => [key]))('%s uses the same placeholders in every language', (key) => {
    const entry = entryOf(key);
    const english = placeholdersOfText(entry.en);
    const count = countOf(key);
    for (const lang of SUPPORTED_LANGUAGES) {
      expect({ lang, placeholders: placeholdersOfText(entry[lang]) }).toEqual({ lang, placeholders: english });
      for (const form of formsOf(entry[lang])) {
        // Every form has every placeholder, except that it may write the counted number in words.
        const spelledOut = typeof entry[lang] === 'string' ? '' : `{${count}}`;
        const missing = english.filter((placeholder) => placeholder !== spelledOut && !placeholdersOf(form).includes(placeholder));
        expect({ lang, form, missing }).toEqual({ lang, form, missing: [] });
        // Every brace belongs to a well-formed placeholder.
        const braces = (form.match(/[{}]/g) ?? []).length;
        expect(braces).toBe(placeholdersOf(form).length * 2);
      }
    }
  });

  it.each(MESSAGE_KEYS.filter((key) => countOf(key) !== undefined).map((key) => [key]))('%s has a form for every plural category', (key) => {
    const entry = entryOf(key);
    const count = countOf(key)!;
    expect(placeholdersOfText(entry.en)).toContain(`{${count}}`);
    for (const lang of SUPPORTED_LANGUAGES) {
      const text = entry[lang];
      // A plain string is a sentence in which the number needs no agreement; it shows the number.
      if (typeof text === 'string') {
        expect(placeholdersOf(text)).toContain(`{${count}}`);
        continue;
      }
      const { count: name, ...forms } = text;
      expect({ lang, count: name }).toEqual({ lang, count });
      const categories = new Intl.PluralRules(intlLocale(lang)).resolvedOptions().pluralCategories;
      expect({ lang, forms: Object.keys(forms).sort() }).toEqual({ lang, forms: [...categories].sort() });
    }
  });

  it('has a title and a detail for every problem kind', () => {
    for (const kind of Object.keys(PROBLEM_STATUS)) {
      expect(MESSAGE_KEYS).toContain(`problem.${kind}.title`);
      expect(MESSAGE_KEYS).toContain(`problem.${kind}.detail`);
    }
  });

  it('has the documented parameters', () => {
    for (const [key, params] of Object.entries(EXPECTED_PARAMS)) {
      expect(placeholdersOfText(entryOf(key as MessageKey).en)).toEqual(params);
    }
  });

  it('is not the same text in every language (except pure placeholders)', () => {
    for (const key of MESSAGE_KEYS) {
      const texts = new Set(SUPPORTED_LANGUAGES.map((lang) => JSON.stringify(entryOf(key)[lang])));
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
    expect(t('zh', 'problem.unsupported_media_type.detail', { expected: 'application/json' })).toBe('请以 application/json 格式提交举报。');
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
    expect(t('en', 'problem.lease_limit.detail')).toBe('You hold {held} cases, the most allowed is {limit}. Assess or release one first.');
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

describe('plural forms', () => {
  const held = (lang: Language, n: number) => t(lang, 'problem.lease_limit.detail', { held: n, limit: 5 });

  it('picks the category with Intl.PluralRules', () => {
    expect([1, 2].map((n) => pluralCategory('en', n))).toEqual(['one', 'other']);
    expect([1, 2, 5, 21].map((n) => pluralCategory('ru', n))).toEqual(['one', 'few', 'many', 'one']);
    expect([0, 1, 2, 3, 11, 100].map((n) => pluralCategory('ar', n))).toEqual(['zero', 'one', 'two', 'few', 'many', 'other']);
    expect([0, 1, 2].map((n) => pluralCategory('fr', n))).toEqual(['one', 'one', 'other']);
    expect([1, 2].map((n) => pluralCategory('zh', n))).toEqual(['other', 'other']);
  });

  it('counts in English: 1 case, 2 cases', () => {
    expect(held('en', 1)).toBe('You hold 1 case, the most allowed is 5. Assess or release it first.');
    expect(held('en', 2)).toBe('You hold 2 cases, the most allowed is 5. Assess or release one first.');
    expect(t('en', 'field.max_length', { max: 1 })).toBe('At most 1 character.');
    expect(t('en', 'field.max_length', { max: 2 })).toBe('At most 2 characters.');
    expect(t('en', 'field.url.too_long', { max: 1 })).toBe('This address is too long (at most 1 character).');
  });

  it('counts in Russian: 1 дело, 2 дела, 5 дел, 21 дело', () => {
    expect(held('ru', 1)).toMatch(/^У вас 1 дело,/);
    expect(held('ru', 2)).toMatch(/^У вас 2 дела,/);
    expect(held('ru', 5)).toMatch(/^У вас 5 дел,/);
    expect(held('ru', 21)).toMatch(/^У вас 21 дело,/);
    // After "не более" and "до" the noun is genitive: 1 символа, 2 символов, 5 символов, 21 символа.
    expect([1, 2, 5, 21].map((max) => t('ru', 'field.max_length', { max }))).toEqual([
      'Не более 1 символа.',
      'Не более 2 символов.',
      'Не более 5 символов.',
      'Не более 21 символа.',
    ]);
    expect(t('ru', 'field.array_size', { min: 1, max: 21 })).toBe('Укажите от 1 до 21 адреса.');
    expect(t('ru', 'field.array_size', { min: 1, max: 20 })).toBe('Укажите от 1 до 20 адресов.');
  });

  it('counts in Arabic: zero, one, two (dual), few, many, other', () => {
    expect(held('ar', 0)).toBe('ليست لديك أي حالة، والحد الأقصى 5.');
    expect(held('ar', 1)).toMatch(/^لديك حالة واحدة،/);
    expect(held('ar', 2)).toMatch(/^لديك حالتان،/);
    expect(held('ar', 3)).toMatch(/^لديك 3 حالات،/);
    expect(held('ar', 11)).toMatch(/^لديك 11 حالة،/);
    expect(held('ar', 100)).toMatch(/^لديك 100 حالة،/);
  });

  it('counts in French and Spanish, and Chinese has one form', () => {
    expect(held('fr', 1)).toMatch(/^Vous avez 1 dossier,/);
    expect(held('fr', 2)).toMatch(/^Vous avez 2 dossiers,/);
    expect(t('fr', 'field.max_length', { max: 1000000 })).toBe('1000000 de caractères au maximum.');
    expect(held('es', 1)).toMatch(/^Tiene 1 caso,/);
    expect(held('es', 2)).toMatch(/^Tiene 2 casos,/);
    expect(held('zh', 1)).toBe('您持有 1 个案件，上限为 5。请先评估或释放一个。');
  });

  it('uses the other form when the count is missing or not a number', () => {
    expect(t('en', 'field.max_length', { max: 'many' })).toBe('At most many characters.');
    expect(t('ru', 'field.max_length', {})).toBe('Не более {max} символа.');
  });
});

describe('conflict problems', () => {
  const CONFLICTS = Object.entries(PROBLEM_STATUS).filter(([kind, status]) => status === 409 && kind !== 'conflict' && kind !== 'lease_limit');

  it('are answered with 409, each with its own kind', () => {
    expect(CONFLICTS.map(([kind]) => kind).sort()).toEqual(
      [
        'abuse_contact_taken',
        'api_key_revoked',
        'case_changed',
        'case_not_appealable',
        'case_not_from_partner',
        'case_not_in_assessment',
        'case_not_pending_review',
        'lease_expired',
        'lease_held_by_other',
        'lease_not_held',
        'legal_hold_in_force',
        'no_assessment_to_review',
        'no_legal_hold',
        'no_notice_hold',
        'no_verdict_to_review',
        'notice_hold_in_force',
        'partner_no_next_key',
        'partners_already_told',
        'removal_not_allowed',
        'reveal_needs_eligible_reviewer',
        'reveal_needs_live_lease',
        'reveal_not_now',
      ].sort(),
    );
  });

  it('name the status and the other parameters in every language', () => {
    for (const lang of SUPPORTED_LANGUAGES) {
      expect(t(lang, 'problem.case_not_in_assessment.detail', { status: 'queued' })).toContain('queued');
      expect(t(lang, 'problem.case_not_appealable.detail', { status: 'in_assessment', appealable: 'confirmed, not_illegal' })).toMatch(
        /in_assessment.*confirmed, not_illegal|confirmed, not_illegal.*in_assessment/,
      );
      expect(t(lang, 'problem.partner_no_next_key.detail', { name: 'hotline-de' })).toContain('hotline-de');
    }
  });

  it('keep the English sentences staff read before', () => {
    expect(t('en', 'problem.case_not_in_assessment.detail', { status: 'queued' })).toBe('This case is queued, not in assessment: claim it before assessing it.');
    expect(t('en', 'problem.case_not_appealable.detail', { status: 'queued', appealable: 'confirmed, not_illegal' })).toBe(
      'Only a final verdict (confirmed, not_illegal) can be appealed; this case is queued.',
    );
    expect(t('en', 'problem.removal_not_allowed.detail', { status: 'queued' })).toBe('Only a confirmed or actioned case can be marked removed; this case is queued.');
    expect(t('en', 'problem.reveal_needs_live_lease.detail')).toMatch(/lease/);
    expect(t('en', 'problem.reveal_needs_eligible_reviewer.detail')).toMatch(/senior analyst/);
  });
});
