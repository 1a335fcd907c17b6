import type { MessageText } from '@hotline/http';
import type { ConsoleLanguage } from './console-languages';

/** The signed-in user's own account: changing their password (keys prefixed `account.`). */
export const ACCOUNT_MESSAGES = {
  'account.password.link': { en: 'Change password', fr: 'Changer le mot de passe', ar: 'تغيير كلمة المرور' },
  'account.password.title': { en: 'Change your password', fr: 'Changer votre mot de passe', ar: 'تغيير كلمة المرور' },
  'account.password.required': {
    en: 'Your administrator chose your first password: choose your own. Until you do, the rest of the console stays closed to you.',
    fr: 'Votre administrateur a choisi votre premier mot de passe : choisissez le vôtre. D’ici là, le reste de la console vous reste fermé.',
    ar: 'اختار المسؤول كلمة مرورك الأولى: اختر كلمة مرورك الخاصة. وإلى أن تفعل، يبقى باقي وحدة التحكم مغلقًا أمامك.',
  },
  'account.password.intro': {
    en: 'Choose a password only you know. Once it is changed, your other sessions end (on every other device); this one goes on.',
    fr: 'Choisissez un mot de passe que vous seul connaissez. Une fois qu’il est changé, vos autres sessions prennent fin (sur tous vos autres appareils) ; celle-ci continue.',
    ar: 'اختر كلمة مرور لا يعرفها أحد غيرك. بعد تغييرها تنتهي جلساتك الأخرى (على كل أجهزتك الأخرى)، وتستمر هذه الجلسة.',
  },
  'account.password.current': { en: 'Current password', fr: 'Mot de passe actuel', ar: 'كلمة المرور الحالية' },
  'account.password.currentHelp': {
    en: 'The password you signed in with.',
    fr: 'Le mot de passe avec lequel vous vous êtes connecté.',
    ar: 'كلمة المرور التي سجّلت الدخول بها.',
  },
  'account.password.new': { en: 'New password', fr: 'Nouveau mot de passe', ar: 'كلمة المرور الجديدة' },
  'account.password.newHelp': {
    en: 'At least {min} characters, not your current password. A few unrelated words are easier to remember than a short jumble.',
    fr: 'Au moins {min} caractères, différent de votre mot de passe actuel. Quelques mots sans rapport entre eux se retiennent mieux qu’une courte suite de signes.',
    ar: 'الحد الأدنى لعدد الأحرف: {min}، ويجب ألا تكون كلمة مرورك الحالية. بضع كلمات لا رابط بينها أسهل تذكرًا من رموز قصيرة متداخلة.',
  },
  'account.password.confirm': { en: 'New password again', fr: 'Nouveau mot de passe, à nouveau', ar: 'كلمة المرور الجديدة مرة أخرى' },
  'account.password.submit': { en: 'Change password', fr: 'Changer le mot de passe', ar: 'تغيير كلمة المرور' },
  'account.password.key': {
    en: 'Go to the current password field',
    fr: 'Aller au champ du mot de passe actuel',
    ar: 'الانتقال إلى حقل كلمة المرور الحالية',
  },
  'account.password.changed': {
    en: 'Your password was changed. Your other sessions have ended.',
    fr: 'Votre mot de passe a été changé. Vos autres sessions ont pris fin.',
    ar: 'تم تغيير كلمة مرورك. وانتهت جلساتك الأخرى.',
  },
  'account.error.currentMissing': { en: 'Enter your current password.', fr: 'Saisissez votre mot de passe actuel.', ar: 'أدخل كلمة مرورك الحالية.' },
  'account.error.currentWrong': {
    en: 'The current password is wrong. After a few wrong tries in a row the account is locked for a while.',
    fr: 'Le mot de passe actuel est incorrect. Après quelques essais erronés d’affilée, le compte est bloqué pendant un moment.',
    ar: 'كلمة المرور الحالية غير صحيحة. بعد عدة محاولات خاطئة متتالية يُقفَل الحساب لبعض الوقت.',
  },
  'account.error.locked': {
    en: 'Too many wrong passwords in a row: the account is locked for a while. Try again later.',
    fr: 'Trop de mots de passe erronés d’affilée : le compte est bloqué pendant un moment. Réessayez plus tard.',
    ar: 'عدد كبير جدًا من كلمات المرور الخاطئة المتتالية: الحساب مقفل لبعض الوقت. حاول مرة أخرى لاحقًا.',
  },
  'account.error.newLength': {
    en: 'The new password must have {min} to {max} characters.',
    fr: 'Le nouveau mot de passe doit comporter de {min} à {max} caractères.',
    ar: 'عدد أحرف كلمة المرور الجديدة: من {min} إلى {max}.',
  },
  'account.error.newSame': {
    en: 'The new password must not be your current one.',
    fr: 'Le nouveau mot de passe doit être différent de l’actuel.',
    ar: 'يجب أن تختلف كلمة المرور الجديدة عن الحالية.',
  },
  'account.error.confirm': {
    en: 'Type the same new password twice.',
    fr: 'Saisissez deux fois le même nouveau mot de passe.',
    ar: 'اكتب كلمة المرور الجديدة نفسها مرتين.',
  },
} satisfies Record<string, Record<ConsoleLanguage, MessageText>>;
