import { DEFAULT_LANGUAGE, LANGUAGE_NAMES, SUPPORTED_LANGUAGES, isBcp47, isSupportedLanguage, negotiateLanguage, textDirection } from './languages';

describe('languages', () => {
  it('supports the six languages with English as default', () => {
    expect(SUPPORTED_LANGUAGES).toEqual(['en', 'fr', 'es', 'ar', 'zh', 'ru']);
    expect(DEFAULT_LANGUAGE).toBe('en');
    expect(Object.keys(LANGUAGE_NAMES).sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
  });

  describe('isBcp47', () => {
    it.each([
      'en',
      'fr',
      'AR',
      'fr-CA',
      'es-419',
      'zh-Hant-TW',
      'zh-Hans',
      'zh-yue-HK',
      'sr-Latn-RS',
      'de-CH-1901',
      'sl-rozaj-biske',
      'en-US-u-ca-gregory',
      'en-x-private',
      'ast',
    ])('accepts %s', (tag) => expect(isBcp47(tag)).toBe(true));

    it.each([
      '',
      'e',
      'english',
      'fr_CA',
      'fr-',
      '-fr',
      'fr--CA',
      'fr-C',
      'fr-CAN1',
      'en-US-x',
      '12',
      'en US',
      ' en',
      'en\n',
      'fr-CA;q=0.5',
      '<script>',
      'en-' + 'abcdefgh-'.repeat(4) + 'abcde', // well-formed shape but longer than 35 characters
    ])('rejects %j', (tag) => expect(isBcp47(tag)).toBe(false));

    it('rejects non-strings without throwing', () => {
      expect(isBcp47(undefined as unknown as string)).toBe(false);
      expect(isBcp47(42 as unknown as string)).toBe(false);
    });
  });

  describe('negotiateLanguage', () => {
    it('uses the explicit tag when its primary subtag is supported', () => {
      expect(negotiateLanguage({ explicit: 'fr' })).toBe('fr');
      expect(negotiateLanguage({ explicit: 'fr-CA', acceptLanguage: 'ru' })).toBe('fr');
      expect(negotiateLanguage({ explicit: 'zh-Hant-TW', acceptLanguage: 'en' })).toBe('zh');
      expect(negotiateLanguage({ explicit: 'AR' })).toBe('ar');
      expect(negotiateLanguage({ explicit: ' es-419 ' })).toBe('es');
    });

    it('takes the first value of a repeated explicit parameter', () => {
      expect(negotiateLanguage({ explicit: ['ru', 'fr'] })).toBe('ru');
    });

    it('falls back to Accept-Language when the explicit tag is unsupported, malformed or not a string', () => {
      expect(negotiateLanguage({ explicit: 'de', acceptLanguage: 'es' })).toBe('es');
      expect(negotiateLanguage({ explicit: 'fr_CA', acceptLanguage: 'ru' })).toBe('ru');
      expect(negotiateLanguage({ explicit: '', acceptLanguage: 'ar' })).toBe('ar');
      expect(negotiateLanguage({ explicit: 42, acceptLanguage: 'zh' })).toBe('zh');
      expect(negotiateLanguage({ explicit: { toString: () => 'fr' }, acceptLanguage: 'es' })).toBe('es');
      expect(negotiateLanguage({ explicit: null, acceptLanguage: 'fr' })).toBe('fr');
    });

    it('matches Accept-Language region and script subtags to the primary language', () => {
      expect(negotiateLanguage({ acceptLanguage: 'fr-CA' })).toBe('fr');
      expect(negotiateLanguage({ acceptLanguage: 'zh-Hant-TW,zh;q=0.9' })).toBe('zh');
      expect(negotiateLanguage({ acceptLanguage: 'es-419,es;q=0.9,en;q=0.8' })).toBe('es');
      expect(negotiateLanguage({ acceptLanguage: 'AR-eg' })).toBe('ar');
    });

    it('follows the client order even when a later language matches exactly', () => {
      // negotiator alone would prefer the exact match `en` over the prefix match `fr-CA`.
      expect(negotiateLanguage({ acceptLanguage: 'fr-CA, en' })).toBe('fr');
    });

    it('honours q-values', () => {
      expect(negotiateLanguage({ acceptLanguage: 'en;q=0.5, ru;q=0.9, fr;q=0.7' })).toBe('ru');
      expect(negotiateLanguage({ acceptLanguage: 'de, fr;q=0.2, ar;q=0.3' })).toBe('ar');
      expect(negotiateLanguage({ acceptLanguage: 'fr;q=0, es' })).toBe('es');
      expect(negotiateLanguage({ acceptLanguage: 'fr;q=0' })).toBe('en');
    });

    it('treats * as any language, preferring English unless excluded', () => {
      expect(negotiateLanguage({ acceptLanguage: 'de, *;q=0.5, fr;q=0.4' })).toBe('en');
      expect(negotiateLanguage({ acceptLanguage: 'en;q=0, *' })).toBe('fr');
      expect(negotiateLanguage({ acceptLanguage: '*' })).toBe('en');
    });

    it('accepts a header given as several values', () => {
      expect(negotiateLanguage({ acceptLanguage: ['de', 'ru;q=0.8'] })).toBe('ru');
    });

    it('falls back to English for unsupported languages and missing input', () => {
      expect(negotiateLanguage({})).toBe('en');
      expect(negotiateLanguage({ acceptLanguage: 'de-DE, it;q=0.8, ja;q=0.5' })).toBe('en');
      expect(negotiateLanguage({ acceptLanguage: '' })).toBe('en');
      expect(negotiateLanguage({ explicit: 'de' })).toBe('en');
    });

    it('never throws on garbage', () => {
      const garbage: unknown[] = [
        ';;;,,,',
        'q=1',
        'fr;q=abc',
        'fr;q=-1',
        'fr;q=1e9999',
        '\u0000\uffff\ud800',
        '"fr"',
        'fr;;q=0.5',
        ',',
        '*;q=0',
        '=,=,=',
        'a'.repeat(100_000),
        'fr, '.repeat(50_000),
        [1, 2, 3],
        [null],
        {},
        42,
        null,
      ];
      for (const value of garbage) {
        const lang = negotiateLanguage({ explicit: value, acceptLanguage: value as string });
        expect(SUPPORTED_LANGUAGES).toContain(lang);
        expect(SUPPORTED_LANGUAGES).toContain(negotiateLanguage({ acceptLanguage: value as string }));
      }
      expect(negotiateLanguage(undefined as unknown as { explicit?: unknown })).toBe('en');
      expect(negotiateLanguage(null as unknown as { explicit?: unknown })).toBe('en');
      expect(negotiateLanguage({ acceptLanguage: 'fr;q=abc' })).toBe('en');
    });
  });

  it('isSupportedLanguage is exact', () => {
    expect(isSupportedLanguage('fr')).toBe(true);
    expect(isSupportedLanguage('FR')).toBe(false);
    expect(isSupportedLanguage('fr-CA')).toBe(false);
    expect(isSupportedLanguage(undefined)).toBe(false);
  });

  it('textDirection is rtl for Arabic only', () => {
    expect(SUPPORTED_LANGUAGES.map(textDirection)).toEqual(['ltr', 'ltr', 'ltr', 'rtl', 'ltr', 'ltr']);
  });
});
