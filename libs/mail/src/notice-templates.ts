import type { OutgoingMail } from './outgoing-mail';

/**
 * The facts a notice to a host is rendered from. Only what the host needs to find and remove the
 * content and to answer us: never anything about who reported it.
 */
export interface NoticeFacts {
  /** Our reference: the case id. */
  reference: string;
  /**
   * The canonical URL, in plain text. Unlike a console page (where URLs are defanged), a notice
   * is a mail to a host's abuse desk, whose job is to find and remove exactly this address: a
   * defanged URL would only slow the removal down.
   */
  url: string;
  hotlineName: string;
  /** ISO 3166 alpha-2 code of the hotline's country. */
  hotlineCountry: string;
  confirmedAt: Date;
  /** baseline: illegal in any country (INTERPOL baseline); national: illegal under this country's law. */
  verdict: 'baseline' | 'national';
}

export interface ReminderFacts extends NoticeFacts {
  /** 1 for the first reminder. */
  reminderNumber: number;
  noticeSentAt: Date;
  /** Whole hours from the notice to this reminder. */
  hoursSinceNotice: number;
}

export const NOTICE_LANGUAGES = ['en', 'fr', 'ar'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

/** The template language for a contact's language tag (`fr-BE` -> fr); English when we have none. */
export function noticeLanguageOf(tag: string | null | undefined): NoticeLanguage {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return (NOTICE_LANGUAGES as readonly string[]).includes(primary) ? (primary as NoticeLanguage) : 'en';
}

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

interface Catalogue {
  noticeSubject: string;
  reminderSubject: string;
  greeting: string;
  noticeIntro: string;
  reminderIntro: string;
  reference: string;
  confirmedAt: string;
  legalBasis: string;
  baseline: string;
  national: string;
  request: string;
  reply: string;
  hours: Plural;
}

// Placeholders: {hotline} {country} {reference} {n} {noticeDate} {hours}. Every language has
// every key (the spec checks no placeholder is left after rendering).
const CATALOGUES: Record<NoticeLanguage, Catalogue> = {
  en: {
    noticeSubject: 'Notice of child sexual abuse material on your service (our reference {reference})',
    reminderSubject: 'Reminder {n}: child sexual abuse material on your service (our reference {reference})',
    greeting: 'Dear abuse team,',
    noticeIntro:
      '{hotline}, the hotline of {country} for reports of child sexual abuse material, has assessed and confirmed that the following web address on a service you provide shows child sexual abuse material:',
    reminderIntro: 'This is reminder {n} about our notice of {noticeDate}. {hours} after that notice, the following web address has not been confirmed to us as removed:',
    reference: 'Our reference',
    confirmedAt: 'Confirmed on',
    legalBasis: 'Legal basis',
    baseline: 'the material meets the INTERPOL baseline criteria: it is illegal in any country.',
    national: 'the material is illegal under the law of {country}.',
    request:
      'Please remove or disable access to this content without delay and preserve any data law enforcement may ask for. Do not view, copy or forward the content beyond what its removal requires.',
    reply: 'Please reply to this message, quoting our reference, once the content has been removed.',
    hours: { one: '{count} hour', other: '{count} hours' },
  },
  fr: {
    noticeSubject: "Signalement de contenus d'abus sexuels sur enfants sur votre service (notre référence {reference})",
    reminderSubject: "Rappel {n} : contenus d'abus sexuels sur enfants sur votre service (notre référence {reference})",
    greeting: 'Madame, Monsieur,',
    noticeIntro:
      "{hotline}, la ligne de signalement de {country} pour les contenus d'abus sexuels sur enfants, a examiné et confirmé que l'adresse web suivante, sur un service que vous fournissez, présente des contenus d'abus sexuels sur enfants :",
    reminderIntro:
      "Ceci est le rappel {n} concernant notre signalement du {noticeDate}. {hours} après ce signalement, le retrait de l'adresse web suivante ne nous a pas été confirmé :",
    reference: 'Notre référence',
    confirmedAt: 'Confirmé le',
    legalBasis: 'Base juridique',
    baseline: "le contenu répond aux critères de référence d'INTERPOL : il est illégal dans tous les pays.",
    national: 'le contenu est illégal selon la loi de {country}.',
    request:
      "Veuillez retirer ce contenu ou en bloquer l'accès sans délai et conserver les données que les autorités pourraient demander. Ne consultez, ne copiez ni ne transmettez ce contenu au-delà de ce que son retrait exige.",
    reply: 'Veuillez répondre à ce message en indiquant notre référence une fois le contenu retiré.',
    hours: { one: '{count} heure', other: '{count} heures' },
  },
  ar: {
    noticeSubject: 'إشعار بوجود مواد اعتداء جنسي على الأطفال على خدمتكم (مرجعنا {reference})',
    reminderSubject: 'تذكير رقم {n}: مواد اعتداء جنسي على الأطفال على خدمتكم (مرجعنا {reference})',
    greeting: 'إلى فريق مكافحة إساءة الاستخدام،',
    noticeIntro:
      'قام {hotline}، خط الإبلاغ في {country} عن مواد الاعتداء الجنسي على الأطفال، بتقييم عنوان الويب التالي على خدمة تقدمونها، وتأكد أنه يعرض مواد اعتداء جنسي على الأطفال:',
    reminderIntro: 'هذا هو التذكير رقم {n} بشأن إشعارنا المؤرخ {noticeDate}. بعد مرور {hours} على ذلك الإشعار، لم يُؤكَّد لنا بعد حذف عنوان الويب التالي:',
    reference: 'مرجعنا',
    confirmedAt: 'تاريخ التأكيد',
    legalBasis: 'الأساس القانوني',
    baseline: 'تستوفي المواد المعايير الأساسية للإنتربول: فهي غير قانونية في جميع البلدان.',
    national: 'المواد غير قانونية بموجب قانون {country}.',
    request:
      'يرجى حذف هذا المحتوى أو تعطيل الوصول إليه دون تأخير، والاحتفاظ بأي بيانات قد تطلبها جهات إنفاذ القانون. لا تشاهدوا المحتوى ولا تنسخوه ولا تعيدوا إرساله إلا بالقدر الذي يتطلبه حذفه.',
    reply: 'يرجى الرد على هذه الرسالة مع ذكر مرجعنا بعد حذف المحتوى.',
    hours: { zero: '{count} ساعة', one: 'ساعة واحدة', two: 'ساعتين', few: '{count} ساعات', many: '{count} ساعة', other: '{count} ساعة' },
  },
};

/** The first notice to a host, in the contact's language (English when we have no template for it). */
export function renderNotice(languageTag: string | null | undefined, facts: NoticeFacts): OutgoingMailContent {
  const language = noticeLanguageOf(languageTag);
  const t = CATALOGUES[language];
  const words = vocabulary(language, facts);
  return {
    language,
    subject: fill(t.noticeSubject, words),
    text: [
      t.greeting,
      '',
      fill(t.noticeIntro, words),
      '',
      facts.url,
      '',
      ...details(language, t, words, facts),
      '',
      fill(t.request, words),
      '',
      t.reply,
      '',
      facts.hotlineName,
      '',
    ].join('\n'),
  };
}

/** Reminder n to a host: which reminder it is and when the notice went. */
export function renderReminder(languageTag: string | null | undefined, facts: ReminderFacts): OutgoingMailContent {
  const language = noticeLanguageOf(languageTag);
  const t = CATALOGUES[language];
  const words = {
    ...vocabulary(language, facts),
    n: number(language, facts.reminderNumber),
    noticeDate: date(language, facts.noticeSentAt),
    hours: plural(language, t.hours, facts.hoursSinceNotice),
  };
  return {
    language,
    subject: fill(t.reminderSubject, words),
    text: [
      t.greeting,
      '',
      fill(t.reminderIntro, words),
      '',
      facts.url,
      '',
      ...details(language, t, words, facts),
      '',
      fill(t.request, words),
      '',
      t.reply,
      '',
      facts.hotlineName,
      '',
    ].join('\n'),
  };
}

/** What a template gives: the mail without its recipient. */
export type OutgoingMailContent = Omit<OutgoingMail, 'to'>;

function details(language: NoticeLanguage, t: Catalogue, words: Record<string, string>, facts: NoticeFacts): string[] {
  return [
    `${t.reference}: ${facts.reference}`,
    `${t.confirmedAt}: ${date(language, facts.confirmedAt)}`,
    `${t.legalBasis}: ${fill(facts.verdict === 'baseline' ? t.baseline : t.national, words)}`,
  ];
}

function vocabulary(language: NoticeLanguage, facts: NoticeFacts): Record<string, string> {
  return { hotline: facts.hotlineName, country: countryName(language, facts.hotlineCountry), reference: facts.reference };
}

function countryName(language: NoticeLanguage, code: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'region', fallback: 'code' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Dates in UTC, stated as such: the host may be anywhere. */
function date(language: NoticeLanguage, at: Date): string {
  return `${new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(at)} UTC`;
}

function number(language: NoticeLanguage, value: number): string {
  return new Intl.NumberFormat(language).format(value);
}

function plural(language: NoticeLanguage, forms: Plural, count: number): string {
  const form = forms[new Intl.PluralRules(language).select(count)] ?? forms.other;
  return form.replace('{count}', number(language, count));
}

function fill(template: string, words: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => words[name] ?? all);
}
