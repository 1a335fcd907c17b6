import { formsOf, placeholdersOf, type MessageText } from '@hotline/http';
import { CONSOLE_CATALOGUES, CONSOLE_LANGUAGES, CONSOLE_MESSAGES, consoleLanguage, ct } from '.';

const PREFIXES: Record<keyof typeof CONSOLE_CATALOGUES, RegExp> = {
  common: /^(app|nav|role|session|language|shortcuts|signin|enrol|error|home|common)\./,
  analyst: /^analyst\./,
  review: /^review\./,
  users: /^users\./,
  admin: /^admin\./,
  account: /^account\./,
  le: /^le\./,
  directory: /^directory\./,
  stats: /^stats\./,
};

describe('console catalogue', () => {
  const entries = Object.entries(CONSOLE_MESSAGES) as [string, Record<string, MessageText>][];

  it('has each key in one area file only, under that area’s prefix', () => {
    const seen = new Map<string, string>();
    for (const [area, catalogue] of Object.entries(CONSOLE_CATALOGUES)) {
      for (const key of Object.keys(catalogue)) {
        expect({ key, area, also: seen.get(key) }).toEqual({ key, area, also: undefined });
        expect(key).toMatch(PREFIXES[area as keyof typeof CONSOLE_CATALOGUES]);
        seen.set(key, area);
      }
    }
  });

  it('has every text in English, French and Arabic, with the same placeholders, Arabic in Arabic script', () => {
    for (const [key, texts] of entries) {
      const english = placeholdersOf(formsOf(texts.en!).join(' ')).sort();
      for (const lang of CONSOLE_LANGUAGES) {
        const forms = formsOf(texts[lang]!);
        expect({ key, lang, empty: forms.some((form) => form.trim() === '') }).toEqual({ key, lang, empty: false });
        expect({ key, lang, placeholders: [...new Set(placeholdersOf(forms.join(' ')))].sort() }).toEqual({ key, lang, placeholders: [...new Set(english)] });
      }
      if (
        /[A-Za-z]{3}/.test(
          formsOf(texts.en!)
            .join(' ')
            .replace(/\{[^}]*\}/g, ''),
        )
      )
        expect({ key, arabic: /[\u0600-\u06FF]/.test(formsOf(texts.ar!).join(' ')) }).toEqual({ key, arabic: true });
    }
  });

  it('fills placeholders and falls back to the key for an unknown one', () => {
    expect(ct('fr', 'session.endsAt', { time: '10:00:00 UTC' })).toBe('Sans activité, la session prend fin à 10:00:00 UTC');
    expect(ct('ar', 'no.such.key' as never)).toBe('no.such.key');
  });
});

describe('consoleLanguage', () => {
  it('takes the user’s choice, then the query, then the browser’s languages, then English', () => {
    expect(consoleLanguage('ar', 'fr', 'fr')).toBe('ar');
    expect(consoleLanguage(null, 'fr', 'ar')).toBe('fr');
    expect(consoleLanguage(null, undefined, 'de-DE,fr-CA;q=0.8,ar;q=0.5')).toBe('fr');
    expect(consoleLanguage(null, 'zz', 'de')).toBe('en');
    expect(consoleLanguage(undefined, ['ar'], undefined)).toBe('en');
  });
});
