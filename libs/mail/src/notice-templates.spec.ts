import { NOTICE_LANGUAGES, noticeLanguageOf, renderNotice, renderReminder, type NoticeFacts } from './notice-templates';

const facts: NoticeFacts = {
  reference: '0190a2b4-7c3e-7d00-8f00-000000000001',
  url: 'https://images.example.test/gallery/abc?id=7',
  hotlineName: 'Test Hotline',
  hotlineCountry: 'FR',
  confirmedAt: new Date('2026-03-01T10:00:00Z'),
  verdict: 'baseline',
};
const reminder = { ...facts, reminderNumber: 2, noticeSentAt: new Date('2026-03-01T11:00:00Z'), hoursSinceNotice: 48 };

describe('notice templates', () => {
  it.each(NOTICE_LANGUAGES)('renders the notice and a reminder in %s with every placeholder filled', (language) => {
    for (const mail of [renderNotice(language, facts), renderReminder(language, reminder), renderNotice(language, { ...facts, verdict: 'national' })]) {
      expect(mail.language).toBe(language);
      expect(mail.subject).toContain(facts.reference);
      // The exact URL, on a line of its own: the host's abuse desk must find exactly it.
      expect(mail.text.split('\n')).toContain(facts.url);
      expect(mail.text).toContain(facts.reference);
      expect(mail.text).toContain('Test Hotline');
      expect(`${mail.subject}\n${mail.text}`).not.toMatch(/\{\w+\}/);
      expect(mail.text).not.toMatch(/undefined|null|NaN/);
    }
  });

  it('states the legal basis in neutral words', () => {
    expect(renderNotice('en', facts).text).toContain('illegal in any country');
    expect(renderNotice('en', { ...facts, verdict: 'national' }).text).toContain('illegal under the law of France');
    expect(renderNotice('fr', { ...facts, verdict: 'national' }).text).toContain('illégal selon la loi de France');
  });

  it('says which reminder it is and when the notice went', () => {
    const mail = renderReminder('en', reminder);
    expect(mail.subject).toMatch(/^Reminder 2: /);
    expect(mail.text).toContain('This is reminder 2 about our notice of March 1, 2026');
    expect(mail.text).toContain('48 hours after that notice');
    expect(renderReminder('en', { ...reminder, hoursSinceNotice: 1 }).text).toContain('1 hour after that notice');
    expect(renderReminder('fr', reminder).text).toContain('Ceci est le rappel 2');
  });

  it('writes Arabic in Arabic, with Arabic plural forms', () => {
    const mail = renderNotice('ar', facts);
    const arabicLetters = (mail.text.match(/[\u0600-\u06FF]/g) ?? []).length;
    const latinLetters = (
      mail.text
        .replace(facts.url, '')
        .replaceAll('Test Hotline', '')
        .match(/[A-Za-z]/g) ?? []
    ).length;
    expect(arabicLetters).toBeGreaterThan(200);
    expect(latinLetters).toBeLessThan(10); // "UTC" only
    expect(mail.subject).toMatch(/[\u0600-\u06FF]/);
    expect(renderReminder('ar', { ...reminder, hoursSinceNotice: 2 }).text).toContain('ساعتين');
    expect(renderReminder('ar', { ...reminder, hoursSinceNotice: 1 }).text).toContain('ساعة واحدة');
  });

  it('falls back to English for a language it has no template for, and reads regional tags', () => {
    expect(noticeLanguageOf('fr-BE')).toBe('fr');
    expect(noticeLanguageOf('AR')).toBe('ar');
    expect(noticeLanguageOf('nl')).toBe('en');
    expect(noticeLanguageOf(null)).toBe('en');
    expect(renderNotice('nl', facts).language).toBe('en');
  });
});
