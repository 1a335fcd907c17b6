import type { MessageText } from '@hotline/http';
import type { ConsoleLanguage } from './console-languages';

/** The analyst pages' texts (keys prefixed `analyst.`): queues, claims, the case view, assessment. */
export const ANALYST_MESSAGES = {
  'analyst.queues.title': { en: 'Review queues', fr: 'Files d’examen', ar: 'قوائم المراجعة' },
  'analyst.queues.caption': { en: 'Cases waiting to be claimed, by queue', fr: 'Dossiers en attente, par file', ar: 'الحالات المنتظرة، حسب القائمة' },
  'analyst.queues.name': { en: 'Queue', fr: 'File', ar: 'القائمة' },
  'analyst.queues.open': { en: 'Waiting', fr: 'En attente', ar: 'في الانتظار' },
  'analyst.queues.oldest': { en: 'Oldest waits for', fr: 'Le plus ancien attend depuis', ar: 'أقدم حالة تنتظر منذ' },
  'analyst.queues.claim': { en: 'Claim next', fr: 'Prendre le suivant', ar: 'استلام الحالة التالية' },
  'analyst.queues.claimIn': { en: 'Claim next in {queue}', fr: 'Prendre le suivant dans {queue}', ar: 'استلام الحالة التالية في {queue}' },
  'analyst.queues.claimFirst': {
    en: 'Claim the next case of the first queue with waiting cases',
    fr: 'Prendre le dossier suivant de la première file non vide',
    ar: 'استلام الحالة التالية من أول قائمة فيها حالات منتظرة',
  },
  'analyst.queues.empty': {
    en: 'No case of {queue} is free now.',
    fr: 'Aucun dossier de {queue} n’est libre pour le moment.',
    ar: 'لا توجد حالة متاحة في {queue} الآن.',
  },
  'analyst.queues.nothing': { en: 'No queue has cases waiting.', fr: 'Aucune file n’a de dossiers en attente.', ar: 'لا توجد حالات منتظرة في أي قائمة.' },
  'analyst.queues.none': { en: 'none waiting', fr: 'aucun en attente', ar: 'لا شيء في الانتظار' },
  'analyst.exposure.title': { en: 'Your viewing time today', fr: 'Votre temps d’exposition aujourd’hui', ar: 'وقت المشاهدة اليوم' },
  'analyst.exposure.today': { en: '{held} of {limit} today (UTC)', fr: '{held} sur {limit} aujourd’hui (UTC)', ar: '{held} من أصل {limit} اليوم (UTC)' },
  'analyst.exposure.remaining': {
    en: '{remaining} left before the daily limit.',
    fr: 'Il reste {remaining} avant la limite quotidienne.',
    ar: 'يتبقّى {remaining} قبل بلوغ الحد اليومي.',
  },
  'analyst.exposure.stopTitle': { en: 'Stop for today', fr: 'Arrêtez pour aujourd’hui', ar: 'توقّف لهذا اليوم' },
  'analyst.exposure.stopDetail': {
    en: 'You have reached the daily limit of viewing time. You cannot claim more cases until tomorrow (UTC). Take a break; talk to someone if you need to.',
    fr: 'Vous avez atteint la limite quotidienne d’exposition. Vous ne pourrez pas prendre d’autres dossiers avant demain (UTC). Faites une pause ; parlez-en à quelqu’un si vous en avez besoin.',
    ar: 'لقد بلغت الحد اليومي لوقت المشاهدة. لا يمكنك استلام حالات أخرى حتى الغد (UTC). خذ استراحة، وتحدّث إلى أحد إن احتجت إلى ذلك.',
  },
} satisfies Record<string, Record<ConsoleLanguage, MessageText>>;
