import { SUPPORTED_LANGUAGES } from '@hotline/http';
import { FEEDBACK_LANGUAGES, FEEDBACK_STATUSES, feedbackLanguage, renderFeedbackMail } from './feedback-templates';

const REFERENCE = '7K2M-9QXD-4HRT-B3NW';
const DELETE_ON = new Date('2031-03-12T10:00:00Z');

// Words that would tell a reporter what the content was judged to be or what was done about it.
// (Deleting the reporter's own address is said with other words: "delete", "supprimerons", ...)
const VERDICT_WORDS: Record<string, RegExp> = {
  en: /illegal|unlawful|legal|confirm|abuse|child|police|removed|takedown|verdict|criminal|csam/i,
  fr: /illégal|illicite|légal|confirm|abus|enfant|police|retiré|verdict|pédo/i,
  es: /ilegal|ilícit|legal|confirm|abuso|niñ|policía|retirad|veredicto/i,
  ar: /قانون|مؤكد|مؤكَّد|تأكيد|إساءة|اعتداء|طفل|أطفال|شرطة|إزالة|حكم/,
  zh: /违法|非法|合法|确认|虐待|儿童|警|移除|下架|裁定/,
  ru: /незаконн|законн|подтвержд|насили|дет|полици|снят|вердикт/i,
};
const SCRIPT: Record<string, RegExp> = { ar: /[\u0600-\u06FF]/g, ru: /[\u0400-\u04FF]/g, zh: /[\u4E00-\u9FFF]/g };

describe('feedback templates', () => {
  it('has a catalogue for every intake language', () => {
    expect([...FEEDBACK_LANGUAGES].sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
  });

  describe.each(FEEDBACK_LANGUAGES)('%s', (language) => {
    it.each(FEEDBACK_STATUSES)('renders %s: reference, no placeholder, no link, no verdict word', (status) => {
      const mail = renderFeedbackMail({ status, reference: REFERENCE, language, deleteOn: DELETE_ON });
      expect(mail.language).toBe(language);
      expect(mail.subject).toContain(REFERENCE);
      expect(mail.text).toContain(REFERENCE);
      for (const part of [mail.subject, mail.text]) {
        expect(part).not.toMatch(/[{}]/);
        expect(part).not.toMatch(/https?:|www\.|\b[a-z0-9-]+\.(com|org|net|example|invalid)\b|@/i);
        expect(part).not.toMatch(VERDICT_WORDS[language]);
      }
      // Short: a few lines, one screen on a phone.
      expect(mail.text.length).toBeLessThan(700);
      expect(mail.subject.length).toBeLessThan(80);
      expect(mail.text.split('\n\n')).toHaveLength(6);
    });

    it('says a different status in different words', () => {
      const texts = FEEDBACK_STATUSES.map((status) => renderFeedbackMail({ status, reference: REFERENCE, language, deleteOn: DELETE_ON }));
      expect(new Set(texts.map((m) => m.subject)).size).toBe(FEEDBACK_STATUSES.length);
      expect(new Set(texts.map((m) => m.text)).size).toBe(FEEDBACK_STATUSES.length);
    });

    it('gives the deletion date in the reader’s language', () => {
      const { text } = renderFeedbackMail({ status: 'closed', reference: REFERENCE, language, deleteOn: DELETE_ON });
      expect(text).toContain(new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(DELETE_ON));
    });
  });

  it('writes Arabic in Arabic script, Russian in Cyrillic and Chinese in Han characters', () => {
    for (const language of ['ar', 'ru', 'zh']) {
      const { subject, text } = renderFeedbackMail({ status: 'in_review', reference: REFERENCE, language, deleteOn: DELETE_ON });
      const letters = text.replace(/[\s\p{P}\p{N}]/gu, '').replace(/[A-Z0-9]/g, '');
      expect((letters.match(SCRIPT[language]) ?? []).length / letters.length).toBeGreaterThan(0.95);
      expect(subject).toMatch(SCRIPT[language]);
    }
  });

  it('writes French in French and Spanish in Spanish', () => {
    const fr = renderFeedbackMail({ status: 'action_taken', reference: REFERENCE, language: 'fr', deleteOn: DELETE_ON });
    expect(fr.subject).toBe(`Votre signalement ${REFERENCE} : Mesures prises`);
    expect(fr.text).toMatch(/^Bonjour,\n\nMerci pour votre signalement\. Sa référence est 7K2M-9QXD-4HRT-B3NW\./);
    expect(fr.text).toContain('Vous n’avez pas besoin de répondre');
    expect(fr.text).toContain('12 mars 2031');
    const es = renderFeedbackMail({ status: 'closed', reference: REFERENCE, language: 'es', deleteOn: DELETE_ON });
    expect(es.text).toContain('Hemos terminado de tramitarla.');
    expect(es.text).toContain('12 de marzo de 2031');
  });

  it('renders the English text in full', () => {
    const mail = renderFeedbackMail({ status: 'in_review', reference: REFERENCE, language: 'en', deleteOn: DELETE_ON });
    expect(mail.subject).toBe(`Your report ${REFERENCE}: Being reviewed`);
    expect(mail.text).toBe(
      [
        'Hello,',
        `Thank you for your report. Its reference is ${REFERENCE}.`,
        'Its status is now: Being reviewed. An analyst is looking at it.',
        'We cannot share any detail of its content or of our work on it. You do not need to reply to this message.',
        'We will delete your email address on March 12, 2031. Until then, it is only used to tell you when the status of your report changes.',
        'Thank you for your help.',
      ].join('\n\n'),
    );
  });

  it('picks the catalogue by primary subtag, English otherwise', () => {
    expect(feedbackLanguage('fr')).toBe('fr');
    expect(feedbackLanguage('fr-CA')).toBe('fr');
    expect(feedbackLanguage('AR-eg')).toBe('ar');
    expect(feedbackLanguage('zh-Hant-TW')).toBe('zh');
    expect(feedbackLanguage('es-419')).toBe('es');
    expect(feedbackLanguage('de')).toBe('en');
    expect(feedbackLanguage('')).toBe('en');
    expect(feedbackLanguage('constructor')).toBe('en');
    expect(feedbackLanguage('__proto__')).toBe('en');
    const mail = renderFeedbackMail({ status: 'closed', reference: REFERENCE, language: 'de-AT', deleteOn: DELETE_ON });
    expect(mail.language).toBe('en');
    expect(mail.subject).toBe(`Your report ${REFERENCE}: Closed`);
  });
});
