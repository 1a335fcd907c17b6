import type { Language } from '@hotline/http';

/** The public statuses a reporter is told of (not `received`: they were told that on submitting). */
export const FEEDBACK_STATUSES = ['in_review', 'action_taken', 'closed'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export interface FeedbackMailInput {
  status: FeedbackStatus;
  /** The report's reference, as the reporter was given it. */
  reference: string;
  /** The BCP 47 tag the report was made in (`fr`, `fr-CA`, `ar-EG`...). */
  language: string;
  /** When the reporter's address is erased (report.contact_delete_after). */
  deleteOn: Date;
}

/** A rendered feedback mail: what OutgoingMail needs besides the recipient. */
export interface FeedbackMailText {
  subject: string;
  text: string;
  /** The catalogue's language, for Content-Language (the text is `fr`, even for a report made in `fr-CA`). */
  language: Language;
}

interface Catalogue {
  subject: string;
  body: string;
  /** The status in the words of the public status page, and one plain sentence about it. */
  statuses: Record<FeedbackStatus, { name: string; detail: string }>;
}

// Short, neutral and warm. Never a verdict (a reporter is not told what the content was judged to
// be, ARCHITECTURE.md, public status), never a detail of the content or of the steps taken, never a
// link (a mail that links somewhere teaches people to follow links in mail that says it is from a
// hotline). Placeholders: {reference}, {status}, {detail}, {date}. Plain text: no escaping needed.
const CATALOGUES = {
  en: {
    subject: 'Your report {reference}: {status}',
    body: [
      'Hello,',
      'Thank you for your report. Its reference is {reference}.',
      'Its status is now: {status}. {detail}',
      'We cannot share any detail of its content or of our work on it. You do not need to reply to this message.',
      'We will delete your email address on {date}. Until then, it is only used to tell you when the status of your report changes.',
      'Thank you for your help.',
    ].join('\n\n'),
    statuses: {
      in_review: { name: 'Being reviewed', detail: 'An analyst is looking at it.' },
      action_taken: { name: 'Action taken', detail: 'We have acted on your report.' },
      closed: { name: 'Closed', detail: 'We have finished working on it.' },
    },
  },
  fr: {
    subject: 'Votre signalement {reference} : {status}',
    body: [
      'Bonjour,',
      'Merci pour votre signalement. Sa référence est {reference}.',
      'Son statut est désormais : {status}. {detail}',
      'Nous ne pouvons communiquer aucun détail sur son contenu ni sur nos démarches. Vous n’avez pas besoin de répondre à ce message.',
      'Nous supprimerons votre adresse e-mail le {date}. D’ici là, elle ne sert qu’à vous prévenir quand le statut de votre signalement change.',
      'Merci de votre aide.',
    ].join('\n\n'),
    statuses: {
      in_review: { name: 'En cours d’examen', detail: 'Un analyste l’examine.' },
      action_taken: { name: 'Mesures prises', detail: 'Nous avons donné suite à votre signalement.' },
      closed: { name: 'Clôturé', detail: 'Nous avons terminé son traitement.' },
    },
  },
  es: {
    subject: 'Su denuncia {reference}: {status}',
    body: [
      'Hola:',
      'Gracias por su denuncia. Su referencia es {reference}.',
      'Su estado es ahora: {status}. {detail}',
      'No podemos compartir ningún detalle sobre su contenido ni sobre nuestras gestiones. No es necesario que responda a este mensaje.',
      'Eliminaremos su dirección de correo electrónico el {date}. Hasta entonces, solo la usaremos para avisarle cuando cambie el estado de su denuncia.',
      'Gracias por su ayuda.',
    ].join('\n\n'),
    statuses: {
      in_review: { name: 'En revisión', detail: 'Un analista la está revisando.' },
      action_taken: { name: 'Se han tomado medidas', detail: 'Hemos actuado sobre su denuncia.' },
      closed: { name: 'Cerrada', detail: 'Hemos terminado de tramitarla.' },
    },
  },
  ar: {
    subject: 'بلاغك {reference}: {status}',
    body: [
      'مرحبًا،',
      'شكرًا لك على بلاغك. رقمه المرجعي {reference}.',
      'أصبحت حالته الآن: {status}. {detail}',
      'لا يمكننا مشاركة أي تفاصيل عن محتواه أو عن عملنا عليه. لا حاجة إلى الرد على هذه الرسالة.',
      'سنحذف عنوان بريدك الإلكتروني في {date}، ولن نستخدمه حتى ذلك الحين إلا لإعلامك بتغيّر حالة بلاغك.',
      'شكرًا لمساعدتك.',
    ].join('\n\n'),
    statuses: {
      in_review: { name: 'قيد المراجعة', detail: 'يطّلع عليه أحد المحلّلين.' },
      action_taken: { name: 'تم اتخاذ إجراء', detail: 'اتخذنا إجراءً بشأن بلاغك.' },
      closed: { name: 'مغلق', detail: 'انتهينا من معالجته.' },
    },
  },
  zh: {
    subject: '您的举报 {reference}：{status}',
    body: [
      '您好：',
      '感谢您的举报。举报编号为 {reference}。',
      '其状态现为：{status}。{detail}',
      '我们无法透露其内容或我们处理情况的任何细节。您无需回复此邮件。',
      '我们将于 {date} 删除您的电子邮件地址。在此之前，它仅用于在您的举报状态发生变化时通知您。',
      '感谢您的帮助。',
    ].join('\n\n'),
    statuses: {
      in_review: { name: '正在审核', detail: '分析人员正在查看。' },
      action_taken: { name: '已采取行动', detail: '我们已就您的举报采取行动。' },
      closed: { name: '已结案', detail: '我们已完成处理。' },
    },
  },
  ru: {
    subject: 'Ваше сообщение {reference}: {status}',
    body: [
      'Здравствуйте!',
      'Спасибо за ваше сообщение. Его номер: {reference}.',
      'Его статус теперь: {status}. {detail}',
      'Мы не можем сообщить никаких подробностей о его содержании или о нашей работе по нему. Отвечать на это письмо не нужно.',
      'Мы удалим ваш адрес электронной почты {date}. До тех пор он используется только для того, чтобы сообщать вам об изменении статуса вашего сообщения.',
      'Спасибо за помощь.',
    ].join('\n\n'),
    statuses: {
      in_review: { name: 'На рассмотрении', detail: 'Его рассматривает аналитик.' },
      action_taken: { name: 'Приняты меры', detail: 'Мы приняли меры по вашему сообщению.' },
      closed: { name: 'Закрыто', detail: 'Мы завершили работу по нему.' },
    },
  },
} satisfies Record<Language, Catalogue>;

/** The languages feedback is written in: the intake's (the compiler checks every one has a catalogue). */
export const FEEDBACK_LANGUAGES = Object.keys(CATALOGUES) as Language[];

/**
 * The catalogue for a report's BCP 47 tag, by its primary subtag (`fr-CA` -> `fr`, `AR` -> `ar`,
 * `zh-Hant-TW` -> `zh`), as the intake negotiates it; English for anything else.
 */
export function feedbackLanguage(tag: string): Language {
  const primary = (tag ?? '').trim().split('-', 1)[0]!.toLowerCase();
  return Object.hasOwn(CATALOGUES, primary) ? (primary as Language) : 'en';
}

/** The feedback mail for one public status of one report, in the report's language. */
export function renderFeedbackMail(input: FeedbackMailInput): FeedbackMailText {
  const language = feedbackLanguage(input.language);
  const catalogue: Catalogue = CATALOGUES[language];
  const { name, detail } = catalogue.statuses[input.status];
  // The deletion date in UTC, as the erasure schedule counts it, in the reader's own calendar words.
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(input.deleteOn);
  const values: Record<string, string> = { reference: input.reference, status: name, detail, date };
  const fill = (template: string) => template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
  return { subject: fill(catalogue.subject), text: fill(catalogue.body), language };
}
