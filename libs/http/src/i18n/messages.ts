import type { Language } from './languages';

/**
 * Message catalogue of the public intake: problem+json titles and details, field errors and the
 * strings of the server-rendered report page.
 *
 * Placeholders:
 *   {name}           replaced by String(params.name)
 *   {name:duration}  params.name is a number of seconds, written as a localised duration with the
 *                    right plural form ("1 second", "3 секунды", "ثانيتان"). Sentences are built so
 *                    that the duration sits in a nominative position (e.g. "Время ожидания: {…}").
 * Every language of a key must use exactly the same placeholders (checked by messages.spec.ts).
 * Texts are plain text, never HTML: escape them when writing HTML.
 *
 * Plural forms: a text that counts something ("1 case", "2 cases") is an object instead of a string,
 * `{ count: 'held', one: '...', other: '...' }`, with one form per plural category of its language
 * (Intl.PluralRules: zero, one, two, few, many, other; English has one and other, Russian one, few,
 * many and other, Arabic all six, Chinese only other). `count` names the parameter whose number
 * picks the form. A form may spell that number out in words (Arabic "حالتان", two cases) and leave
 * its placeholder out; every other placeholder is in every form. A language whose sentence is built
 * so that the number needs no agreement ("الحد الأقصى لعدد الأحرف: {max}", like the durations above)
 * keeps a plain string.
 *
 * `satisfies` makes the compiler reject a key that lacks a language (or has an unknown one).
 */
/** One form per plural category of the language; `count` names the parameter that picks it. */
export type PluralText = { readonly count: string; readonly other: string } & { readonly [C in Exclude<Intl.LDMLPluralRule, 'other'>]?: string };

export type MessageText = string | PluralText;

const CATALOGUE = {
  // ---------------------------------------------------------------- problem+json: titles, details
  'problem.validation.title': {
    en: 'Your report has errors',
    fr: 'Votre signalement contient des erreurs',
    es: 'Su denuncia contiene errores',
    ar: 'يحتوي بلاغك على أخطاء',
    zh: '您的举报有错误',
    ru: 'В вашем сообщении есть ошибки',
  },
  'problem.validation.detail': {
    en: 'Correct the fields listed in errors and send the report again.',
    fr: 'Corrigez les champs indiqués dans la liste des erreurs et envoyez de nouveau le signalement.',
    es: 'Corrija los campos indicados en la lista de errores y vuelva a enviar la denuncia.',
    ar: 'صحّح الحقول المذكورة في قائمة الأخطاء ثم أرسل البلاغ مرة أخرى.',
    zh: '请更正错误列表中列出的字段，然后重新提交举报。',
    ru: 'Исправьте поля, указанные в списке ошибок, и отправьте сообщение ещё раз.',
  },
  'problem.malformed_json.title': {
    en: 'Your report could not be read',
    fr: 'Votre signalement n’a pas pu être lu',
    es: 'No se pudo leer su denuncia',
    ar: 'تعذّرت قراءة بلاغك',
    zh: '无法读取您的举报',
    ru: 'Не удалось прочитать ваше сообщение',
  },
  'problem.malformed_json.detail': {
    en: 'The request body is not valid JSON. Check its format and send the report again.',
    fr: 'Le corps de la requête n’est pas un JSON valide. Vérifiez son format et envoyez de nouveau le signalement.',
    es: 'El cuerpo de la solicitud no es un JSON válido. Compruebe su formato y vuelva a enviar la denuncia.',
    ar: 'محتوى الطلب ليس بتنسيق JSON صالح. تحقّق من تنسيقه ثم أرسل البلاغ مرة أخرى.',
    zh: '请求正文不是有效的 JSON。请检查其格式，然后重新提交举报。',
    ru: 'Тело запроса не является корректным JSON. Проверьте его формат и отправьте сообщение ещё раз.',
  },
  'problem.payload_too_large.title': {
    en: 'Your report is too large',
    fr: 'Votre signalement est trop volumineux',
    es: 'Su denuncia es demasiado grande',
    ar: 'بلاغك كبير جدًا',
    zh: '您的举报内容过大',
    ru: 'Ваше сообщение слишком большое',
  },
  'problem.payload_too_large.detail': {
    en: 'The report is larger than the limit of {limit}. Shorten the description or send fewer addresses.',
    fr: 'Le signalement dépasse la limite de {limit}. Raccourcissez la description ou envoyez moins d’adresses.',
    es: 'La denuncia supera el límite de {limit}. Acorte la descripción o envíe menos direcciones.',
    ar: 'يتجاوز حجم البلاغ الحد المسموح به ({limit}). اختصر الوصف أو أرسل عددًا أقل من العناوين.',
    zh: '举报内容超过了 {limit} 的上限。请缩短描述或减少网址数量。',
    ru: 'Размер сообщения превышает допустимый предел ({limit}). Сократите описание или укажите меньше адресов.',
  },
  'problem.unsupported_media_type.title': {
    en: 'This format is not accepted',
    fr: 'Ce format n’est pas accepté',
    es: 'Este formato no se admite',
    ar: 'هذا التنسيق غير مقبول',
    zh: '不支持此格式',
    ru: 'Этот формат не поддерживается',
  },
  'problem.unsupported_media_type.detail': {
    en: 'Send the report as {expected}.',
    fr: 'Envoyez le signalement au format {expected}.',
    es: 'Envíe la denuncia en formato {expected}.',
    ar: 'أرسل البلاغ بتنسيق {expected}.',
    zh: '请以 {expected} 格式提交举报。',
    ru: 'Отправьте сообщение в формате {expected}.',
  },
  'problem.rate_limited.title': {
    en: 'Too many requests',
    fr: 'Trop de demandes',
    es: 'Demasiadas solicitudes',
    ar: 'طلبات كثيرة جدًا',
    zh: '请求过于频繁',
    ru: 'Слишком много запросов',
  },
  'problem.rate_limited.detail': {
    en: 'We have received too many requests from your network in a short time. Please try again in {seconds:duration}.',
    fr: 'Nous avons reçu trop de demandes provenant de votre réseau en peu de temps. Veuillez réessayer dans {seconds:duration}.',
    es: 'Hemos recibido demasiadas solicitudes desde su red en poco tiempo. Vuelva a intentarlo dentro de {seconds:duration}.',
    ar: 'تلقّينا طلبات كثيرة جدًا من شبكتك خلال وقت قصير. يُرجى المحاولة مرة أخرى لاحقًا. مدة الانتظار: {seconds:duration}.',
    zh: '短时间内我们收到了来自您所在网络的过多请求。请在{seconds:duration}后重试。',
    ru: 'За короткое время из вашей сети поступило слишком много запросов. Повторите попытку позже. Время ожидания: {seconds:duration}.',
  },
  'problem.quota_exceeded.title': {
    en: 'Daily quota used up',
    fr: 'Quota quotidien épuisé',
    es: 'Cuota diaria agotada',
    ar: 'نفدت الحصة اليومية',
    zh: '每日配额已用完',
    ru: 'Суточная квота исчерпана',
  },
  'problem.quota_exceeded.detail': {
    en: 'This key has submitted as many addresses as it may today (UTC). Send the rest of the batch in {seconds:duration}, with the same batch id.',
    fr: 'Cette clé a déjà soumis autant d’adresses qu’elle le peut aujourd’hui (UTC). Envoyez le reste du lot dans {seconds:duration}, avec le même identifiant de lot.',
    es: 'Esta clave ya ha enviado tantas direcciones como puede hoy (UTC). Envíe el resto del lote dentro de {seconds:duration}, con el mismo identificador de lote.',
    ar: 'أرسل هذا المفتاح العدد الأقصى من العناوين المسموح به اليوم (بالتوقيت العالمي). أرسل بقية الدفعة بعد {seconds:duration} بمعرّف الدفعة نفسه.',
    zh: '此密钥今天（UTC）提交的网址已达上限。请在{seconds:duration}后以相同的批次编号发送该批次。',
    ru: 'Этот ключ сегодня (UTC) уже отправил максимально допустимое число адресов. Отправьте пакет через {seconds:duration} с тем же идентификатором пакета.',
  },
  'problem.unavailable.title': {
    en: 'Your report could not be saved',
    fr: 'Votre signalement n’a pas pu être enregistré',
    es: 'No se pudo guardar su denuncia',
    ar: 'تعذّر حفظ بلاغك',
    zh: '无法保存您的举报',
    ru: 'Не удалось сохранить ваше сообщение',
  },
  'problem.unavailable.detail': {
    en: 'We could not store your report because of a temporary problem on our side. Nothing was saved. Please send it again in {seconds:duration}.',
    fr: 'Un problème temporaire de notre côté nous a empêchés d’enregistrer votre signalement. Rien n’a été enregistré. Veuillez l’envoyer de nouveau dans {seconds:duration}.',
    es: 'Por un problema temporal de nuestra parte, no pudimos guardar su denuncia. No se ha guardado nada. Vuelva a enviarla dentro de {seconds:duration}.',
    ar: 'لم نتمكّن من حفظ بلاغك بسبب مشكلة مؤقتة لدينا، ولم يُحفظ أي شيء. يُرجى إرساله مرة أخرى لاحقًا. مدة الانتظار: {seconds:duration}.',
    zh: '由于我们这边出现临时故障，无法保存您的举报，任何内容均未保存。请在{seconds:duration}后重新提交。',
    ru: 'Из-за временной неполадки на нашей стороне нам не удалось сохранить ваше сообщение. Ничего не сохранено. Отправьте его ещё раз позже. Время ожидания: {seconds:duration}.',
  },
  'problem.not_found.title': {
    en: 'Report not found',
    fr: 'Signalement introuvable',
    es: 'No se encontró la denuncia',
    ar: 'لم يُعثر على البلاغ',
    zh: '未找到举报',
    ru: 'Сообщение не найдено',
  },
  'problem.not_found.detail': {
    en: 'There is no report with this reference and status token. Check that you copied both exactly.',
    fr: 'Aucun signalement ne correspond à cette référence et à ce code de suivi. Vérifiez que vous avez copié les deux exactement.',
    es: 'No hay ninguna denuncia con este número de referencia y este código de seguimiento. Compruebe que ha copiado ambos exactamente.',
    ar: 'لا يوجد بلاغ بهذا الرقم المرجعي ورمز المتابعة. تأكّد من أنك نسخت كليهما بدقة.',
    zh: '没有与此举报编号和状态查询码相符的举报。请检查两者是否完全复制正确。',
    ru: 'Сообщение с таким номером и кодом для проверки статуса не найдено. Проверьте, что вы скопировали оба значения без ошибок.',
  },
  'problem.route_not_found.title': {
    en: 'Page not found',
    fr: 'Page introuvable',
    es: 'No se encontró la página',
    ar: 'لم يُعثر على الصفحة',
    zh: '未找到页面',
    ru: 'Страница не найдена',
  },
  'problem.route_not_found.detail': {
    en: 'There is nothing at this address. Check that it is typed correctly.',
    fr: 'Il n’y a rien à cette adresse. Vérifiez qu’elle est correctement saisie.',
    es: 'No hay nada en esta dirección. Compruebe que esté bien escrita.',
    ar: 'لا يوجد شيء على هذا العنوان. تأكّد من كتابته بشكل صحيح.',
    zh: '此地址下没有任何内容。请检查地址是否输入正确。',
    ru: 'По этому адресу ничего нет. Проверьте, правильно ли он введён.',
  },
  'problem.internal.title': {
    en: 'Something went wrong',
    fr: 'Une erreur s’est produite',
    es: 'Se ha producido un error',
    ar: 'حدث خطأ',
    zh: '出现错误',
    ru: 'Что-то пошло не так',
  },
  'problem.internal.detail': {
    en: 'An unexpected error happened on our side. Please try again later. If you contact us about it, give this error ID: {errorId}.',
    fr: 'Une erreur inattendue s’est produite de notre côté. Veuillez réessayer plus tard. Si vous nous contactez à ce sujet, indiquez cet identifiant d’erreur : {errorId}.',
    es: 'Se ha producido un error inesperado por nuestra parte. Vuelva a intentarlo más tarde. Si nos contacta por este motivo, indique este identificador de error: {errorId}.',
    ar: 'حدث خطأ غير متوقع لدينا. يُرجى المحاولة مرة أخرى لاحقًا. إذا تواصلت معنا بشأنه، فاذكر رمز الخطأ هذا: {errorId}.',
    zh: '我们这边发生了意外错误。请稍后重试。如果您就此联系我们，请提供此错误编号：{errorId}。',
    ru: 'На нашей стороне произошла непредвиденная ошибка. Повторите попытку позже. Если будете обращаться к нам по этому поводу, укажите идентификатор ошибки: {errorId}.',
  },
  'problem.method_not_allowed.title': {
    en: 'This request method is not allowed',
    fr: 'Cette méthode de requête n’est pas autorisée',
    es: 'Este método de solicitud no está permitido',
    ar: 'طريقة الطلب هذه غير مسموح بها',
    zh: '不允许使用此请求方法',
    ru: 'Этот метод запроса не поддерживается',
  },
  'problem.method_not_allowed.detail': {
    en: 'This address does not accept this kind of request.',
    fr: 'Cette adresse n’accepte pas ce type de requête.',
    es: 'Esta dirección no acepta este tipo de solicitud.',
    ar: 'لا يقبل هذا العنوان هذا النوع من الطلبات.',
    zh: '此地址不接受这种类型的请求。',
    ru: 'Этот адрес не принимает запросы такого типа.',
  },
  'problem.bad_request.title': {
    en: 'The request is not valid',
    fr: 'La requête n’est pas valide',
    es: 'La solicitud no es válida',
    ar: 'الطلب غير صالح',
    zh: '请求无效',
    ru: 'Некорректный запрос',
  },
  'problem.bad_request.detail': {
    en: 'We could not understand the request. Check it and try again.',
    fr: 'Nous n’avons pas pu comprendre la requête. Vérifiez-la et réessayez.',
    es: 'No pudimos entender la solicitud. Revísela y vuelva a intentarlo.',
    ar: 'لم نتمكّن من فهم الطلب. تحقّق منه ثم حاول مرة أخرى.',
    zh: '我们无法理解此请求。请检查后重试。',
    ru: 'Нам не удалось понять запрос. Проверьте его и повторите попытку.',
  },

  // ---------------------------------------------------------------------------- field messages
  'field.required': {
    en: 'This field is required.',
    fr: 'Ce champ est obligatoire.',
    es: 'Este campo es obligatorio.',
    ar: 'هذا الحقل مطلوب.',
    zh: '此项为必填项。',
    ru: 'Это обязательное поле.',
  },
  'field.unknown': {
    en: 'This field is not accepted.',
    fr: 'Ce champ n’est pas accepté.',
    es: 'Este campo no se admite.',
    ar: 'هذا الحقل غير مقبول.',
    zh: '不接受此字段。',
    ru: 'Это поле не принимается.',
  },
  // A body holding a key such as __proto__, or nested beyond any shape we accept (libs/http hostile-body.ts).
  'field.reserved_name': {
    en: 'The name {name} is not accepted for a field.',
    fr: 'Le nom {name} n’est pas accepté pour un champ.',
    es: 'El nombre {name} no se admite para un campo.',
    ar: 'الاسم {name} غير مقبول لحقل.',
    zh: '字段不能使用名称 {name}。',
    ru: 'Имя {name} недопустимо для поля.',
  },
  'field.too_deep': {
    en: 'The data is nested too deeply (maximum depth: {max}).',
    fr: 'Les données sont imbriquées trop profondément (profondeur maximale : {max}).',
    es: 'Los datos están anidados a demasiada profundidad (profundidad máxima: {max}).',
    ar: 'البيانات متداخلة بعمق زائد (أقصى عمق: {max}).',
    zh: '数据嵌套过深（最大深度：{max}）。',
    ru: 'Данные вложены слишком глубоко (максимальная глубина: {max}).',
  },
  // ---------------------------------------------------------------- staff API (console-api)
  'problem.unauthorized.title': {
    en: 'Sign-in required',
    fr: 'Connexion requise',
    es: 'Se requiere iniciar sesión',
    ar: 'يلزم تسجيل الدخول',
    zh: '需要登录',
    ru: 'Требуется вход',
  },
  'problem.unauthorized.detail': {
    en: 'Send a valid access token in the Authorization header.',
    fr: 'Envoyez un jeton d’accès valide dans l’en-tête Authorization.',
    es: 'Envíe un token de acceso válido en la cabecera Authorization.',
    ar: 'أرسل رمز وصول صالحًا في ترويسة Authorization.',
    zh: '请在 Authorization 请求头中发送有效的访问令牌。',
    ru: 'Передайте действительный токен доступа в заголовке Authorization.',
  },
  'problem.invalid_request.title': {
    en: 'The request has errors',
    fr: 'La requête contient des erreurs',
    es: 'La solicitud contiene errores',
    ar: 'يحتوي الطلب على أخطاء',
    zh: '请求有错误',
    ru: 'В запросе есть ошибки',
  },
  'problem.invalid_request.detail': {
    en: 'Correct the fields listed in errors and send the request again.',
    fr: 'Corrigez les champs indiqués dans la liste des erreurs et envoyez de nouveau la requête.',
    es: 'Corrija los campos indicados en la lista de errores y vuelva a enviar la solicitud.',
    ar: 'صحّح الحقول المذكورة في قائمة الأخطاء ثم أرسل الطلب مرة أخرى.',
    zh: '请更正错误列表中列出的字段，然后重新发送请求。',
    ru: 'Исправьте поля, указанные в списке ошибок, и отправьте запрос ещё раз.',
  },
  'problem.resource_not_found.title': {
    en: 'Not found',
    fr: 'Introuvable',
    es: 'No encontrado',
    ar: 'غير موجود',
    zh: '未找到',
    ru: 'Не найдено',
  },
  'problem.resource_not_found.detail': {
    en: 'Nothing exists at this address.',
    fr: 'Rien n’existe à cette adresse.',
    es: 'No existe nada en esta dirección.',
    ar: 'لا يوجد شيء على هذا العنوان.',
    zh: '此地址下没有任何内容。',
    ru: 'По этому адресу ничего нет.',
  },
  'problem.login_failed.title': {
    en: 'Sign-in failed',
    fr: 'Échec de la connexion',
    es: 'Error al iniciar sesión',
    ar: 'فشل تسجيل الدخول',
    zh: '登录失败',
    ru: 'Не удалось войти',
  },
  'problem.login_failed.detail': {
    en: 'The email, password or code is wrong, or this account cannot sign in now.',
    fr: 'L’adresse, le mot de passe ou le code est incorrect, ou ce compte ne peut pas se connecter pour le moment.',
    es: 'El correo, la contraseña o el código son incorrectos, o esta cuenta no puede iniciar sesión ahora.',
    ar: 'البريد الإلكتروني أو كلمة المرور أو الرمز غير صحيح، أو لا يمكن لهذا الحساب تسجيل الدخول الآن.',
    zh: '电子邮件、密码或验证码错误，或此帐户目前无法登录。',
    ru: 'Неверный адрес, пароль или код, либо эта учётная запись сейчас не может войти.',
  },
  'problem.forbidden.title': {
    en: 'Not allowed',
    fr: 'Non autorisé',
    es: 'No permitido',
    ar: 'غير مسموح',
    zh: '不允许',
    ru: 'Не разрешено',
  },
  'problem.forbidden.detail': {
    en: 'Your role does not allow this.',
    fr: 'Votre rôle ne le permet pas.',
    es: 'Su función no lo permite.',
    ar: 'دورك لا يسمح بذلك.',
    zh: '您的角色不允许此操作。',
    ru: 'Ваша роль этого не позволяет.',
  },
  'problem.csrf_refused.title': {
    en: 'The request did not come from the console',
    fr: 'La requête ne provient pas de la console',
    es: 'La solicitud no procede de la consola',
    ar: 'لم يصدر الطلب عن وحدة التحكم',
    zh: '该请求并非来自控制台',
    ru: 'Запрос отправлен не из консоли',
  },
  'problem.csrf_refused.detail': {
    en: 'Reload the page and try again.',
    fr: 'Rechargez la page et réessayez.',
    es: 'Vuelva a cargar la página e inténtelo de nuevo.',
    ar: 'أعد تحميل الصفحة وحاول مرة أخرى.',
    zh: '请重新加载页面后重试。',
    ru: 'Перезагрузите страницу и повторите попытку.',
  },
  'problem.password_change_required.title': {
    en: 'Choose your own password first',
    fr: 'Choisissez d’abord votre propre mot de passe',
    es: 'Elija primero su propia contraseña',
    ar: 'اختر كلمة مرورك الخاصة أولًا',
    zh: '请先设置您自己的密码',
    ru: 'Сначала выберите собственный пароль',
  },
  'problem.password_change_required.detail': {
    en: 'Your administrator chose your password. Change it in the console (/me/password) before doing anything else.',
    fr: 'Votre administrateur a choisi votre mot de passe. Changez-le dans la console (/me/password) avant toute autre chose.',
    es: 'Su administrador eligió su contraseña. Cámbiela en la consola (/me/password) antes de hacer cualquier otra cosa.',
    ar: 'اختار المسؤول كلمة مرورك. غيّرها في وحدة التحكم (/me/password) قبل القيام بأي شيء آخر.',
    zh: '您的密码由管理员设置。请先在控制台 (/me/password) 中更改密码，然后再进行其他操作。',
    ru: 'Ваш пароль выбрал администратор. Смените его в консоли (/me/password), прежде чем делать что-либо ещё.',
  },
  'problem.signature_refused.title': {
    en: 'Request signature refused',
    fr: 'Signature de la requête refusée',
    es: 'Firma de la solicitud rechazada',
    ar: 'رُفض توقيع الطلب',
    zh: '请求签名被拒绝',
    ru: 'Подпись запроса отклонена',
  },
  'problem.signature_refused.detail': {
    en: 'The request is not signed by an active partner key, or its signature, digest, timestamp or nonce is wrong, stale or used before. See the exchange protocol.',
    fr: 'La requête n’est pas signée par une clé de partenaire active, ou sa signature, son empreinte, son horodatage ou son nonce est faux, périmé ou déjà utilisé. Voir le protocole d’échange.',
    es: 'La solicitud no está firmada con una clave de socio activa, o su firma, resumen, marca de tiempo o nonce es incorrecto, caducado o ya usado. Consulte el protocolo de intercambio.',
    ar: 'الطلب غير موقّع بمفتاح شريك نشط، أو أن توقيعه أو بصمته أو طابعه الزمني أو رقمه الفريد خاطئ أو منتهٍ أو مستخدم سابقًا. راجع بروتوكول التبادل.',
    zh: '请求未由有效的合作方密钥签名，或其签名、摘要、时间戳或随机数错误、过期或已被使用。请参阅交换协议。',
    ru: 'Запрос не подписан действующим ключом партнёра, либо его подпись, дайджест, метка времени или nonce неверны, устарели или уже использовались. См. протокол обмена.',
  },
  // The partner exchange endpoint's own words (partners are hotlines, not reporters).
  'problem.exchange_unreadable.title': {
    en: 'The message could not be read',
    fr: 'Le message n’a pas pu être lu',
    es: 'No se pudo leer el mensaje',
    ar: 'تعذّرت قراءة الرسالة',
    zh: '无法读取该消息',
    ru: 'Не удалось прочитать сообщение',
  },
  'problem.exchange_unreadable.detail': {
    en: 'The request body is not valid JSON. Nothing was stored: correct the message and send it again with a new signature. See the exchange protocol.',
    fr: 'Le corps de la requête n’est pas un JSON valide. Rien n’a été enregistré : corrigez le message et envoyez-le de nouveau avec une nouvelle signature. Voir le protocole d’échange.',
    es: 'El cuerpo de la solicitud no es un JSON válido. No se ha guardado nada: corrija el mensaje y vuelva a enviarlo con una nueva firma. Consulte el protocolo de intercambio.',
    ar: 'محتوى الطلب ليس بتنسيق JSON صالح. لم يُحفظ أي شيء: صحّح الرسالة ثم أرسلها مرة أخرى بتوقيع جديد. راجع بروتوكول التبادل.',
    zh: '请求正文不是有效的 JSON。未保存任何内容：请更正消息并重新签名后再次发送。请参阅交换协议。',
    ru: 'Тело запроса не является корректным JSON. Ничего не сохранено: исправьте сообщение и отправьте его снова с новой подписью. См. протокол обмена.',
  },
  'problem.exchange_invalid.title': {
    en: 'The message was not accepted',
    fr: 'Le message n’a pas été accepté',
    es: 'El mensaje no fue aceptado',
    ar: 'لم تُقبل الرسالة',
    zh: '消息未被接受',
    ru: 'Сообщение не принято',
  },
  'problem.exchange_invalid.detail': {
    en: 'The message does not follow the exchange protocol or does not match a case between us: see the fields listed in errors. Nothing was stored; a corrected message needs a new signature.',
    fr: 'Le message ne respecte pas le protocole d’échange ou ne correspond à aucun dossier entre nous : voir les champs indiqués dans la liste des erreurs. Rien n’a été enregistré ; un message corrigé doit être signé de nouveau.',
    es: 'El mensaje no sigue el protocolo de intercambio o no corresponde a ningún caso entre nosotros: vea los campos indicados en la lista de errores. No se ha guardado nada; un mensaje corregido necesita una nueva firma.',
    ar: 'الرسالة لا تتبع بروتوكول التبادل أو لا تطابق أي حالة بيننا: راجع الحقول المذكورة في قائمة الأخطاء. لم يُحفظ أي شيء، وتحتاج الرسالة المصحّحة إلى توقيع جديد.',
    zh: '该消息不符合交换协议，或与我们之间的任何案件都不对应：请查看错误列表中列出的字段。未保存任何内容；更正后的消息需要重新签名。',
    ru: 'Сообщение не соответствует протоколу обмена или не относится ни к одному делу между нами: см. поля, указанные в списке ошибок. Ничего не сохранено; исправленное сообщение нужно подписать заново.',
  },
  'problem.exchange_too_large.title': {
    en: 'The message is too large',
    fr: 'Le message est trop volumineux',
    es: 'El mensaje es demasiado grande',
    ar: 'الرسالة كبيرة جدًا',
    zh: '消息过大',
    ru: 'Сообщение слишком большое',
  },
  'problem.exchange_too_large.detail': {
    en: 'An exchange message may be at most {limit}. Nothing was stored. See the exchange protocol.',
    fr: 'Un message d’échange ne peut pas dépasser {limit}. Rien n’a été enregistré. Voir le protocole d’échange.',
    es: 'Un mensaje de intercambio no puede superar {limit}. No se ha guardado nada. Consulte el protocolo de intercambio.',
    ar: 'لا يجوز أن يتجاوز حجم رسالة التبادل {limit}. لم يُحفظ أي شيء. راجع بروتوكول التبادل.',
    zh: '交换消息最大为 {limit}。未保存任何内容。请参阅交换协议。',
    ru: 'Размер сообщения обмена не может превышать {limit}. Ничего не сохранено. См. протокол обмена.',
  },
  'problem.exchange_media_type.title': {
    en: 'This format is not accepted for exchange messages',
    fr: 'Ce format n’est pas accepté pour les messages d’échange',
    es: 'Este formato no se admite para los mensajes de intercambio',
    ar: 'هذا التنسيق غير مقبول لرسائل التبادل',
    zh: '交换消息不接受此格式',
    ru: 'Этот формат не принимается для сообщений обмена',
  },
  'problem.exchange_media_type.detail': {
    en: 'Send exchange messages as {expected}. Nothing was stored. See the exchange protocol.',
    fr: 'Envoyez les messages d’échange au format {expected}. Rien n’a été enregistré. Voir le protocole d’échange.',
    es: 'Envíe los mensajes de intercambio en formato {expected}. No se ha guardado nada. Consulte el protocolo de intercambio.',
    ar: 'أرسل رسائل التبادل بتنسيق {expected}. لم يُحفظ أي شيء. راجع بروتوكول التبادل.',
    zh: '请以 {expected} 格式发送交换消息。未保存任何内容。请参阅交换协议。',
    ru: 'Отправляйте сообщения обмена в формате {expected}. Ничего не сохранено. См. протокол обмена.',
  },
  'problem.took_part.title': {
    en: 'Another reviewer is needed',
    fr: 'Un autre relecteur est nécessaire',
    es: 'Se necesita otro revisor',
    ar: 'يلزم مراجع آخر',
    zh: '需要另一位审核人',
    ru: 'Нужен другой проверяющий',
  },
  'problem.took_part.detail': {
    en: 'You took part in the verdict under review (as assessor, reviewer or appellant). Another senior analyst must decide it.',
    fr: 'Vous avez participé au verdict examiné (évaluation, relecture ou appel). Un autre analyste senior doit trancher.',
    es: 'Usted participó en el veredicto en revisión (como evaluador, revisor o apelante). Otro analista sénior debe decidirlo.',
    ar: 'شاركت في الحكم قيد المراجعة (مقيّمًا أو مراجعًا أو مستأنفًا). يجب أن يبتّ فيه محلل أول آخر.',
    zh: '您参与了待审核的结论（作为评估人、审核人或申诉人），必须由另一位高级分析师决定。',
    ru: 'Вы участвовали в проверяемом решении (как оценщик, проверяющий или заявитель апелляции). Решать должен другой старший аналитик.',
  },
  'problem.exposure_limit.title': {
    en: 'Daily limit reached',
    fr: 'Limite quotidienne atteinte',
    es: 'Límite diario alcanzado',
    ar: 'تم بلوغ الحد اليومي',
    zh: '已达到每日上限',
    ru: 'Дневной лимит исчерпан',
  },
  'problem.exposure_limit.detail': {
    en: 'Time holding cases today: {held:duration}. Daily limit: {limit:duration}. You can claim again after 00:00 UTC.',
    fr: 'Temps passé sur des dossiers aujourd’hui : {held:duration}. Limite quotidienne : {limit:duration}. Vous pourrez en prendre de nouveau après 00:00 UTC.',
    es: 'Tiempo con casos hoy: {held:duration}. Límite diario: {limit:duration}. Podrá tomar casos de nuevo después de las 00:00 UTC.',
    ar: 'الوقت المستغرق في الحالات اليوم: {held:duration}. الحد اليومي: {limit:duration}. يمكنك الاستلام مجددًا بعد 00:00 بالتوقيت العالمي.',
    zh: '今日处理案件时长：{held:duration}。每日上限：{limit:duration}。UTC 00:00 之后可再次领取。',
    ru: 'Время работы с делами сегодня: {held:duration}. Дневной лимит: {limit:duration}. Брать дела снова можно после 00:00 UTC.',
  },
  'problem.conflict.title': {
    en: 'Not possible now',
    fr: 'Impossible pour le moment',
    es: 'No es posible ahora',
    ar: 'غير ممكن الآن',
    zh: '目前无法执行',
    ru: 'Сейчас невозможно',
  },
  'problem.conflict.detail': {
    en: 'The case does not allow this now: {detail}',
    fr: 'Le dossier ne le permet pas pour le moment : {detail}',
    es: 'El caso no lo permite ahora: {detail}',
    ar: 'لا تسمح الحالة بذلك الآن: {detail}',
    zh: '该案件目前不允许此操作：{detail}',
    ru: 'Дело сейчас этого не допускает: {detail}',
  },
  'problem.case_changed.title': {
    en: 'The case changed meanwhile',
    fr: 'Le dossier a changé entre-temps',
    es: 'El caso cambió mientras tanto',
    ar: 'تغيّرت الحالة في الأثناء',
    zh: '案件已在此期间发生变化',
    ru: 'Дело тем временем изменилось',
  },
  'problem.case_changed.detail': {
    en: 'Someone else changed this case while your request was on its way. Load it again and decide anew.',
    fr: 'Quelqu’un d’autre a modifié ce dossier pendant que votre demande était en cours. Rechargez-le et décidez de nouveau.',
    es: 'Otra persona cambió este caso mientras su solicitud estaba en curso. Vuelva a cargarlo y decida de nuevo.',
    ar: 'غيّر شخص آخر هذه الحالة أثناء معالجة طلبك. أعد تحميلها وقرّر من جديد.',
    zh: '在您的请求处理期间，其他人更改了此案件。请重新加载后再作决定。',
    ru: 'Пока ваш запрос выполнялся, кто-то другой изменил это дело. Загрузите его снова и решите заново.',
  },
  'problem.lease_limit.title': {
    en: 'Too many cases held',
    fr: 'Trop de dossiers en cours',
    es: 'Demasiados casos asignados',
    ar: 'حالات محجوزة كثيرة جدًا',
    zh: '持有的案件过多',
    ru: 'Слишком много дел на руках',
  },
  'problem.lease_limit.detail': {
    en: {
      count: 'held',
      one: 'You hold {held} case, the most allowed is {limit}. Assess or release it first.',
      other: 'You hold {held} cases, the most allowed is {limit}. Assess or release one first.',
    },
    fr: {
      count: 'held',
      one: 'Vous avez {held} dossier, le maximum est {limit}. Évaluez-en ou libérez-en un d’abord.',
      many: 'Vous avez {held} de dossiers, le maximum est {limit}. Évaluez-en ou libérez-en un d’abord.',
      other: 'Vous avez {held} dossiers, le maximum est {limit}. Évaluez-en ou libérez-en un d’abord.',
    },
    es: {
      count: 'held',
      one: 'Tiene {held} caso, el máximo es {limit}. Evalúelo o libérelo primero.',
      many: 'Tiene {held} de casos, el máximo es {limit}. Evalúe o libere uno primero.',
      other: 'Tiene {held} casos, el máximo es {limit}. Evalúe o libere uno primero.',
    },
    ar: {
      count: 'held',
      zero: 'ليست لديك أي حالة، والحد الأقصى {limit}.',
      one: 'لديك حالة واحدة، والحد الأقصى {limit}. قيّمها أو حرّرها أولًا.',
      two: 'لديك حالتان، والحد الأقصى {limit}. قيّم إحداهما أو حرّرها أولًا.',
      few: 'لديك {held} حالات، والحد الأقصى {limit}. قيّم إحداها أو حرّرها أولًا.',
      many: 'لديك {held} حالة، والحد الأقصى {limit}. قيّم إحداها أو حرّرها أولًا.',
      other: 'لديك {held} حالة، والحد الأقصى {limit}. قيّم إحداها أو حرّرها أولًا.',
    },
    zh: {
      count: 'held',
      other: '您持有 {held} 个案件，上限为 {limit}。请先评估或释放一个。',
    },
    ru: {
      count: 'held',
      one: 'У вас {held} дело, максимум — {limit}. Сначала оцените или освободите одно.',
      few: 'У вас {held} дела, максимум — {limit}. Сначала оцените или освободите одно.',
      many: 'У вас {held} дел, максимум — {limit}. Сначала оцените или освободите одно.',
      other: 'У вас {held} дела, максимум — {limit}. Сначала оцените или освободите одно.',
    },
  },
  // Conflicts (409), one problem each so that staff read them in their language (apps/console-api).
  'problem.case_not_in_assessment.title': {
    en: 'Case not in assessment',
    fr: 'Dossier hors évaluation',
    es: 'Caso fuera de evaluación',
    ar: 'الحالة ليست قيد التقييم',
    zh: '案件不在评估中',
    ru: 'Дело не на оценке',
  },
  'problem.case_not_in_assessment.detail': {
    en: 'This case is {status}, not in assessment: claim it before assessing it.',
    fr: 'Ce dossier a le statut {status} et n’est pas en cours d’évaluation : prenez-le en charge avant de l’évaluer.',
    es: 'Este caso tiene el estado {status} y no está en evaluación: tómelo antes de evaluarlo.',
    ar: 'وضع هذه الحالة {status}، وهي ليست قيد التقييم: استلمها قبل تقييمها.',
    zh: '此案件的状态为 {status}，不在评估中：请先领取再评估。',
    ru: 'Дело в статусе {status}, а не на оценке: возьмите его, прежде чем оценивать.',
  },
  'problem.lease_held_by_other.title': {
    en: 'Held by another analyst',
    fr: 'Dossier pris par un autre analyste',
    es: 'Caso asignado a otro analista',
    ar: 'الحالة محجوزة لمحلل آخر',
    zh: '案件已由另一位分析师领取',
    ru: 'Дело у другого аналитика',
  },
  'problem.lease_held_by_other.detail': {
    en: 'Another analyst holds the lease on this case; only the lease holder can do this.',
    fr: 'Un autre analyste a pris ce dossier en charge ; seul celui qui le détient peut effectuer cette action.',
    es: 'Otro analista tiene asignado este caso; solo quien lo tiene asignado puede hacerlo.',
    ar: 'يحجز محلل آخر هذه الحالة، ولا يمكن القيام بذلك إلا لمن يحجزها.',
    zh: '另一位分析师已领取此案件；只有领取人才能执行此操作。',
    ru: 'Дело взято другим аналитиком; это может сделать только тот, у кого оно на руках.',
  },
  'problem.lease_expired.title': {
    en: 'Lease expired',
    fr: 'Prise en charge expirée',
    es: 'Asignación caducada',
    ar: 'انتهت مدة الحجز',
    zh: '领取已过期',
    ru: 'Срок работы с делом истёк',
  },
  'problem.lease_expired.detail': {
    en: 'Your lease on this case has expired: claim the case again.',
    fr: 'Votre prise en charge de ce dossier a expiré : prenez-le de nouveau en charge.',
    es: 'Su asignación de este caso ha caducado: vuelva a tomarlo.',
    ar: 'انتهت مدة حجزك لهذه الحالة: استلمها مرة أخرى.',
    zh: '您对此案件的领取已过期：请重新领取。',
    ru: 'Срок, на который вы взяли это дело, истёк: возьмите его снова.',
  },
  'problem.lease_not_held.title': {
    en: 'Case not held',
    fr: 'Dossier non pris en charge',
    es: 'Caso no asignado',
    ar: 'الحالة غير محجوزة لك',
    zh: '您未领取此案件',
    ru: 'Дело не у вас',
  },
  'problem.lease_not_held.detail': {
    en: 'You do not hold a lease on this case: claim it from its queue first.',
    fr: 'Vous n’avez pas pris ce dossier en charge : prenez-le d’abord dans sa file.',
    es: 'No tiene asignado este caso: tómelo primero de su cola.',
    ar: 'أنت لا تحجز هذه الحالة: استلمها أولًا من قائمة انتظارها.',
    zh: '您未领取此案件：请先从其队列中领取。',
    ru: 'Это дело не у вас: сначала возьмите его из очереди.',
  },
  'problem.case_not_pending_review.title': {
    en: 'Case not waiting for review',
    fr: 'Dossier non en attente de relecture',
    es: 'Caso no pendiente de revisión',
    ar: 'الحالة ليست بانتظار المراجعة',
    zh: '案件不在待审核状态',
    ru: 'Дело не ожидает проверки',
  },
  'problem.case_not_pending_review.detail': {
    en: 'This case is {status}; only a case waiting for review can be reviewed.',
    fr: 'Ce dossier a le statut {status} ; seul un dossier en attente de relecture peut être relu.',
    es: 'Este caso tiene el estado {status}; solo se puede revisar un caso pendiente de revisión.',
    ar: 'وضع هذه الحالة {status}، ولا تُراجَع إلا حالة بانتظار المراجعة.',
    zh: '此案件的状态为 {status}；只有待审核的案件才能审核。',
    ru: 'Дело в статусе {status}; проверить можно только дело, ожидающее проверки.',
  },
  'problem.no_verdict_to_review.title': {
    en: 'Nothing to review',
    fr: 'Rien à relire',
    es: 'Nada que revisar',
    ar: 'لا شيء للمراجعة',
    zh: '没有可审核的结论',
    ru: 'Нечего проверять',
  },
  'problem.no_verdict_to_review.detail': {
    en: 'This case has no verdict to review.',
    fr: 'Ce dossier n’a pas de verdict à relire.',
    es: 'Este caso no tiene ningún veredicto que revisar.',
    ar: 'لا يوجد لهذه الحالة حكم للمراجعة.',
    zh: '此案件没有可审核的结论。',
    ru: 'У этого дела нет решения для проверки.',
  },
  'problem.no_assessment_to_review.title': {
    en: 'No assessment recorded',
    fr: 'Aucune évaluation enregistrée',
    es: 'Ninguna evaluación registrada',
    ar: 'لا يوجد تقييم مسجّل',
    zh: '没有评估记录',
    ru: 'Оценка не записана',
  },
  'problem.no_assessment_to_review.detail': {
    en: 'This case has no recorded assessment or appeal to review.',
    fr: 'Ce dossier n’a aucune évaluation ni aucun appel enregistré à relire.',
    es: 'Este caso no tiene ninguna evaluación ni apelación registrada que revisar.',
    ar: 'لا يوجد لهذه الحالة تقييم أو استئناف مسجّل للمراجعة.',
    zh: '此案件没有可供审核的评估或申诉记录。',
    ru: 'У этого дела нет записанной оценки или апелляции для проверки.',
  },
  'problem.case_not_appealable.title': {
    en: 'Not open to appeal',
    fr: 'Appel impossible',
    es: 'No se puede apelar',
    ar: 'لا يمكن الاستئناف',
    zh: '无法申诉',
    ru: 'Апелляция невозможна',
  },
  'problem.case_not_appealable.detail': {
    en: 'Only a final verdict ({appealable}) can be appealed; this case is {status}.',
    fr: 'Seul un verdict définitif ({appealable}) peut faire l’objet d’un appel ; ce dossier a le statut {status}.',
    es: 'Solo se puede apelar un veredicto definitivo ({appealable}); este caso tiene el estado {status}.',
    ar: 'لا يُستأنف إلا حكم نهائي ({appealable})، ووضع هذه الحالة {status}.',
    zh: '只有最终结论（{appealable}）才能申诉；此案件的状态为 {status}。',
    ru: 'Обжаловать можно только окончательное решение ({appealable}); дело в статусе {status}.',
  },
  'problem.reveal_needs_live_lease.title': {
    en: 'Claim the case first',
    fr: 'Prenez d’abord le dossier en charge',
    es: 'Tome primero el caso',
    ar: 'استلم الحالة أولًا',
    zh: '请先领取案件',
    ru: 'Сначала возьмите дело',
  },
  'problem.reveal_needs_live_lease.detail': {
    en: 'Only the analyst holding a live lease on this case can reveal its URL; claim the case first.',
    fr: 'Seul l’analyste qui a ce dossier en charge, tant que cette prise en charge n’a pas expiré, peut afficher son URL ; prenez d’abord le dossier en charge.',
    es: 'Solo el analista que tiene asignado este caso, con la asignación vigente, puede mostrar su URL; tome primero el caso.',
    ar: 'لا يُكشف عنوان URL لهذه الحالة إلا للمحلل الذي يحجزها حجزًا ساريًا؛ استلم الحالة أولًا.',
    zh: '只有在领取有效期内持有此案件的分析师才能显示其网址；请先领取案件。',
    ru: 'Показать URL этого дела может только аналитик, у которого оно сейчас на руках; сначала возьмите дело.',
  },
  'problem.reveal_needs_eligible_reviewer.title': {
    en: 'Only a reviewer may reveal this',
    fr: 'Affichage réservé au relecteur',
    es: 'Solo para el revisor',
    ar: 'الكشف مقصور على المراجع',
    zh: '仅限审核人显示',
    ru: 'Показ только для проверяющего',
  },
  'problem.reveal_needs_eligible_reviewer.detail': {
    en: 'Only a senior analyst who may decide the review of this case can reveal its URL while it waits for review.',
    fr: 'Tant que ce dossier attend sa relecture, seul un analyste senior pouvant trancher cette relecture peut afficher son URL.',
    es: 'Mientras este caso espera revisión, solo un analista sénior que pueda decidir la revisión puede mostrar su URL.',
    ar: 'ما دامت هذه الحالة بانتظار المراجعة، لا يُكشف عنوان URL الخاص بها إلا لمحلل أول يحق له البتّ في مراجعتها.',
    zh: '此案件等待审核期间，只有可以决定其审核的高级分析师才能显示其网址。',
    ru: 'Пока дело ожидает проверки, показать его URL может только старший аналитик, который вправе принять решение по проверке.',
  },
  'problem.reveal_not_now.title': {
    en: 'URL not revealed',
    fr: 'URL non affichée',
    es: 'URL no mostrada',
    ar: 'لم يُكشف عنوان URL',
    zh: '不显示网址',
    ru: 'URL не показан',
  },
  'problem.reveal_not_now.detail': {
    en: 'This case is {status}: a URL is revealed only to assess a case (under its lease) or to review it.',
    fr: 'Ce dossier a le statut {status} : une URL n’est affichée que pour évaluer un dossier (pris en charge) ou pour le relire.',
    es: 'Este caso tiene el estado {status}: una URL solo se muestra para evaluar un caso (asignado) o para revisarlo.',
    ar: 'وضع هذه الحالة {status}: لا يُكشف عنوان URL إلا لتقييم حالة (محجوزة) أو لمراجعتها.',
    zh: '此案件的状态为 {status}：只有在评估已领取的案件或审核案件时才会显示网址。',
    ru: 'Дело в статусе {status}: URL показывают только для оценки дела (взятого в работу) или для его проверки.',
  },
  'problem.removal_not_allowed.title': {
    en: 'Cannot be marked removed',
    fr: 'Retrait impossible à enregistrer',
    es: 'No se puede marcar como retirado',
    ar: 'لا يمكن وسم الحالة كمُزالة',
    zh: '无法标记为已删除',
    ru: 'Нельзя отметить удаление',
  },
  'problem.removal_not_allowed.detail': {
    en: 'Only a confirmed or actioned case can be marked removed; this case is {status}.',
    fr: 'Seul un dossier confirmé ou traité peut être marqué comme retiré ; ce dossier a le statut {status}.',
    es: 'Solo un caso confirmado o con medidas tomadas puede marcarse como retirado; este caso tiene el estado {status}.',
    ar: 'لا تُوسم الحالة كمُزالة إلا إذا كانت مؤكَّدة أو اتُّخذ بشأنها إجراء، ووضع هذه الحالة {status}.',
    zh: '只有已确认或已采取行动的案件才能标记为已删除；此案件的状态为 {status}。',
    ru: 'Отметить удаление можно только у подтверждённого дела или дела, по которому приняты меры; дело в статусе {status}.',
  },
  'problem.case_not_from_partner.title': {
    en: 'Not from a partner',
    fr: 'Dossier non transmis par un partenaire',
    es: 'Caso no enviado por un socio',
    ar: 'الحالة ليست من شريك',
    zh: '案件并非来自合作方',
    ru: 'Дело не от партнёра',
  },
  'problem.case_not_from_partner.detail': {
    en: 'This case did not come from a partner hotline: there is no partner to tell that it is not hosted here.',
    fr: 'Ce dossier ne provient pas d’une hotline partenaire : il n’y a aucun partenaire à informer qu’il n’est pas hébergé ici.',
    es: 'Este caso no procede de una línea de denuncia asociada: no hay ningún socio al que informar de que no está alojado aquí.',
    ar: 'لم ترد هذه الحالة من خط بلاغات شريك: لا يوجد شريك لإبلاغه بأنها غير مستضافة هنا.',
    zh: '此案件并非来自合作热线：没有需要告知其不在本国托管的合作方。',
    ru: 'Это дело поступило не от партнёрской горячей линии: некому сообщать, что материал размещён не у нас.',
  },
  'problem.partners_already_told.title': {
    en: 'Partners already told',
    fr: 'Partenaires déjà informés',
    es: 'Socios ya informados',
    ar: 'أُبلغ الشركاء مسبقًا',
    zh: '已告知合作方',
    ru: 'Партнёры уже уведомлены',
  },
  'problem.partners_already_told.detail': {
    en: 'Every partner this case came from has already been told that it is not hosted here.',
    fr: 'Tous les partenaires dont provient ce dossier ont déjà été informés qu’il n’est pas hébergé ici.',
    es: 'Ya se ha informado a todos los socios de los que procede este caso de que no está alojado aquí.',
    ar: 'أُبلغ جميع الشركاء الذين وردت منهم هذه الحالة بأنها غير مستضافة هنا.',
    zh: '此案件的所有来源合作方均已被告知其不在本国托管。',
    ru: 'Всем партнёрам, от которых поступило это дело, уже сообщено, что материал размещён не у нас.',
  },
  'problem.abuse_contact_taken.title': {
    en: 'Contact already in the directory',
    fr: 'Contact déjà dans l’annuaire',
    es: 'Contacto ya en el directorio',
    ar: 'جهة الاتصال موجودة في الدليل',
    zh: '目录中已有该联系人',
    ru: 'Контакт уже есть в справочнике',
  },
  'problem.abuse_contact_taken.detail': {
    en: 'Another abuse contact already answers for this domain or AS number. Edit that one instead.',
    fr: 'Un autre contact d’abus répond déjà pour ce domaine ou ce numéro d’AS. Modifiez plutôt celui-là.',
    es: 'Otro contacto de abuso ya responde por este dominio o número de AS. Edite ese en su lugar.',
    ar: 'توجد جهة اتصال أخرى للإبلاغ عن الإساءة لهذا النطاق أو رقم النظام المستقل. عدّل تلك الجهة بدلًا من ذلك.',
    zh: '已有另一个滥用投诉联系人负责此域名或 AS 号。请改为编辑该联系人。',
    ru: 'За этот домен или номер AS уже отвечает другой контакт по злоупотреблениям. Измените его.',
  },
  'problem.api_key_revoked.title': {
    en: 'Key already revoked',
    fr: 'Clé déjà révoquée',
    es: 'Clave ya revocada',
    ar: 'المفتاح ملغى مسبقًا',
    zh: '密钥已被吊销',
    ru: 'Ключ уже отозван',
  },
  'problem.api_key_revoked.detail': {
    en: 'This API key was revoked already; nothing changed.',
    fr: 'Cette clé d’API était déjà révoquée ; rien n’a changé.',
    es: 'Esta clave de API ya estaba revocada; no ha cambiado nada.',
    ar: 'أُلغي مفتاح الواجهة البرمجية هذا مسبقًا؛ لم يتغير شيء.',
    zh: '此 API 密钥此前已被吊销；未作任何更改。',
    ru: 'Этот ключ API уже был отозван; ничего не изменилось.',
  },
  'problem.notice_hold_in_force.title': {
    en: 'A hold is already in force',
    fr: 'Une suspension est déjà en vigueur',
    es: 'Ya hay una retención en vigor',
    ar: 'يوجد تعليق سارٍ بالفعل',
    zh: '已有暂缓在生效',
    ru: 'Приостановка уже действует',
  },
  'problem.notice_hold_in_force.detail': {
    en: 'The notice to the host of this case is already on hold. Lift that hold before placing another.',
    fr: 'La notification à l’hébergeur de ce dossier est déjà suspendue. Levez cette suspension avant d’en placer une autre.',
    es: 'La notificación al proveedor de este caso ya está retenida. Levante esa retención antes de aplicar otra.',
    ar: 'الإشعار الموجّه إلى المستضيف في هذه الحالة معلّق بالفعل. ارفع ذلك التعليق قبل وضع تعليق آخر.',
    zh: '此案件发给托管商的通知已被暂缓。请先解除该暂缓再设置新的。',
    ru: 'Уведомление хостинг-провайдеру по этому делу уже приостановлено. Снимите эту приостановку, прежде чем ставить другую.',
  },
  'problem.no_notice_hold.title': {
    en: 'No hold of yours to lift',
    fr: 'Aucune suspension de votre service à lever',
    es: 'No hay ninguna retención suya que levantar',
    ar: 'لا يوجد تعليق خاص بجهتك لرفعه',
    zh: '没有可由您解除的暂缓',
    ru: 'Нет вашей приостановки, которую можно снять',
  },
  'problem.no_notice_hold.detail': {
    en: 'The notice to the host of this case is not on hold by your agency.',
    fr: 'La notification à l’hébergeur de ce dossier n’est pas suspendue par votre service.',
    es: 'La notificación al proveedor de este caso no está retenida por su organismo.',
    ar: 'الإشعار الموجّه إلى المستضيف في هذه الحالة غير معلّق من قِبل جهتك.',
    zh: '此案件发给托管商的通知并未被您的机构暂缓。',
    ru: 'Уведомление хостинг-провайдеру по этому делу не приостановлено вашим ведомством.',
  },
  'problem.legal_hold_in_force.title': {
    en: 'The case is already on legal hold',
    fr: 'Le dossier est déjà sous conservation légale',
    es: 'El caso ya está bajo retención legal',
    ar: 'الحالة خاضعة بالفعل لحفظ قانوني',
    zh: '此案件已处于法律保全状态',
    ru: 'Дело уже находится на юридическом хранении',
  },
  'problem.legal_hold_in_force.detail': {
    en: 'A legal hold is already in force on this case. Lift it before placing another.',
    fr: 'Une conservation légale est déjà en vigueur sur ce dossier. Levez-la avant d’en placer une autre.',
    es: 'Ya hay una retención legal en vigor sobre este caso. Levántela antes de aplicar otra.',
    ar: 'يوجد حفظ قانوني سارٍ بالفعل على هذه الحالة. ارفعه قبل وضع حفظ آخر.',
    zh: '此案件已有生效的法律保全。请先解除再设置新的。',
    ru: 'На это дело уже наложено юридическое хранение. Снимите его, прежде чем налагать новое.',
  },
  'problem.no_legal_hold.title': {
    en: 'No legal hold to lift',
    fr: 'Aucune conservation légale à lever',
    es: 'Ninguna retención legal que levantar',
    ar: 'لا يوجد حفظ قانوني لرفعه',
    zh: '没有可解除的法律保全',
    ru: 'Нет юридического хранения, которое можно снять',
  },
  'problem.no_legal_hold.detail': {
    en: 'This case is not on legal hold.',
    fr: 'Ce dossier n’est pas sous conservation légale.',
    es: 'Este caso no está bajo retención legal.',
    ar: 'هذه الحالة ليست خاضعة لحفظ قانوني.',
    zh: '此案件未处于法律保全状态。',
    ru: 'Это дело не находится на юридическом хранении.',
  },
  'problem.partner_no_next_key.title': {
    en: 'No key to activate',
    fr: 'Aucune clé à activer',
    es: 'Ninguna clave que activar',
    ar: 'لا يوجد مفتاح لتفعيله',
    zh: '没有可激活的密钥',
    ru: 'Нет ключа для активации',
  },
  'problem.partner_no_next_key.detail': {
    en: 'Partner {name} has no next key to activate: prepare one with rotate-key first and give it to the partner.',
    fr: 'Le partenaire {name} n’a pas de prochaine clé à activer : préparez-en une d’abord avec rotate-key et transmettez-la au partenaire.',
    es: 'El socio {name} no tiene ninguna clave siguiente que activar: prepare una primero con rotate-key y entréguela al socio.',
    ar: 'لا يوجد لدى الشريك {name} مفتاح تالٍ لتفعيله: جهّز مفتاحًا أولًا باستخدام rotate-key ثم سلّمه إلى الشريك.',
    zh: '合作方 {name} 没有可激活的下一个密钥：请先用 rotate-key 准备一个，并交给该合作方。',
    ru: 'У партнёра {name} нет следующего ключа для активации: сначала подготовьте его с помощью rotate-key и передайте партнёру.',
  },
  // A rule of the routing-rule validator, which staff read in its own (English) words.
  'field.rule': {
    en: '{detail}',
    fr: '{detail}',
    es: '{detail}',
    ar: '{detail}',
    zh: '{detail}',
    ru: '{detail}',
  },
  'field.invalid': {
    en: 'This value is not valid.',
    fr: 'Cette valeur n’est pas valide.',
    es: 'Este valor no es válido.',
    ar: 'هذه القيمة غير صالحة.',
    zh: '此值无效。',
    ru: 'Недопустимое значение.',
  },
  'field.content_hash': {
    en: 'A content hash in lowercase or uppercase hex: 64 characters for sha256, 40 for sha1, 32 for md5.',
    fr: 'Une empreinte de contenu en hexadécimal : 64 caractères pour sha256, 40 pour sha1, 32 pour md5.',
    es: 'Un hash de contenido en hexadecimal: 64 caracteres para sha256, 40 para sha1, 32 para md5.',
    ar: 'بصمة محتوى بالنظام الست عشري: 64 محرفًا لـ sha256، و40 لـ sha1، و32 لـ md5.',
    zh: '内容哈希须为十六进制：sha256 为 64 个字符，sha1 为 40 个，md5 为 32 个。',
    ru: 'Хеш содержимого в шестнадцатеричном виде: 64 символа для sha256, 40 для sha1, 32 для md5.',
  },
  'field.list_size': {
    en: 'Give at most {max} items.',
    fr: 'Indiquez au plus {max} éléments.',
    es: 'Indique como máximo {max} elementos.',
    ar: 'أدخل {max} عناصر على الأكثر.',
    zh: '最多提供{max}项。',
    ru: 'Укажите не более {max} элементов.',
  },
  'field.must_be_string': {
    en: 'This must be text.',
    fr: 'Cette valeur doit être un texte.',
    es: 'Este valor debe ser un texto.',
    ar: 'يجب أن تكون هذه القيمة نصًا.',
    zh: '此项必须是文本。',
    ru: 'Это значение должно быть текстом.',
  },
  'field.must_be_boolean': {
    en: 'This must be true or false.',
    fr: 'Cette valeur doit être true ou false.',
    es: 'Este valor debe ser true o false.',
    ar: 'يجب أن تكون هذه القيمة true أو false.',
    zh: '此项必须为 true 或 false。',
    ru: 'Это значение должно быть true или false.',
  },
  'field.must_be_object': {
    en: 'This must be a group of fields (a JSON object).',
    fr: 'Cette valeur doit être un groupe de champs (un objet JSON).',
    es: 'Este valor debe ser un grupo de campos (un objeto JSON).',
    ar: 'يجب أن تكون هذه القيمة مجموعة من الحقول (كائن JSON).',
    zh: '此项必须是一组字段（JSON 对象）。',
    ru: 'Это значение должно быть группой полей (объектом JSON).',
  },
  'field.must_be_array': {
    en: 'This must be a list (a JSON array).',
    fr: 'Cette valeur doit être une liste (un tableau JSON).',
    es: 'Este valor debe ser una lista (una matriz JSON).',
    ar: 'يجب أن تكون هذه القيمة قائمة (مصفوفة JSON).',
    zh: '此项必须是列表（JSON 数组）。',
    ru: 'Это значение должно быть списком (массивом JSON).',
  },
  'field.array_size': {
    en: {
      count: 'max',
      one: 'Give between {min} and {max} address.',
      other: 'Give between {min} and {max} addresses.',
    },
    fr: {
      count: 'max',
      one: 'Indiquez entre {min} et {max} adresse.',
      many: 'Indiquez entre {min} et {max} d’adresses.',
      other: 'Indiquez entre {min} et {max} adresses.',
    },
    es: {
      count: 'max',
      one: 'Indique entre {min} y {max} dirección.',
      many: 'Indique entre {min} y {max} de direcciones.',
      other: 'Indique entre {min} y {max} direcciones.',
    },
    ar: 'أدخل ما بين {min} و{max} من العناوين.',
    zh: '请提供{min}到{max}个网址。',
    ru: {
      count: 'max',
      one: 'Укажите от {min} до {max} адреса.',
      few: 'Укажите от {min} до {max} адресов.',
      many: 'Укажите от {min} до {max} адресов.',
      other: 'Укажите от {min} до {max} адреса.',
    },
  },
  'field.max_length': {
    en: {
      count: 'max',
      one: 'At most {max} character.',
      other: 'At most {max} characters.',
    },
    fr: {
      count: 'max',
      one: '{max} caractère au maximum.',
      many: '{max} de caractères au maximum.',
      other: '{max} caractères au maximum.',
    },
    es: {
      count: 'max',
      one: 'Como máximo {max} carácter.',
      many: 'Como máximo {max} de caracteres.',
      other: 'Como máximo {max} caracteres.',
    },
    ar: 'الحد الأقصى لعدد الأحرف: {max}.',
    zh: '最多{max}个字符。',
    ru: {
      count: 'max',
      one: 'Не более {max} символа.',
      few: 'Не более {max} символов.',
      many: 'Не более {max} символов.',
      other: 'Не более {max} символа.',
    },
  },
  'field.one_of': {
    en: 'Use one of: {values}.',
    fr: 'Utilisez l’une des valeurs suivantes : {values}.',
    es: 'Use uno de estos valores: {values}.',
    ar: 'استخدم إحدى القيم التالية: {values}.',
    zh: '请使用以下值之一：{values}。',
    ru: 'Используйте одно из значений: {values}.',
  },
  'field.email': {
    en: 'Enter a valid email address, such as name@example.com.',
    fr: 'Saisissez une adresse e-mail valide, par exemple nom@example.com.',
    es: 'Introduzca una dirección de correo electrónico válida, por ejemplo nombre@example.com.',
    ar: 'أدخل عنوان بريد إلكتروني صالحًا، مثل name@example.com.',
    zh: '请输入有效的电子邮件地址，例如 name@example.com。',
    ru: 'Введите действительный адрес электронной почты, например name@example.com.',
  },
  'field.language_tag': {
    en: 'Use a language code such as en or fr-CA.',
    fr: 'Utilisez un code de langue, par exemple fr ou fr-CA.',
    es: 'Use un código de idioma, por ejemplo es o es-MX.',
    ar: 'استخدم رمز لغة مثل ar أو ar-EG.',
    zh: '请使用语言代码，例如 zh 或 zh-CN。',
    ru: 'Используйте код языка, например ru или ru-RU.',
  },
  'field.country_code': {
    en: 'Use a two-letter country code such as UG.',
    fr: 'Utilisez un code de pays à deux lettres, par exemple UG.',
    es: 'Use un código de país de dos letras, por ejemplo UG.',
    ar: 'استخدم رمز بلد مكوّنًا من حرفين، مثل UG.',
    zh: '请使用两个字母的国家或地区代码，例如 UG。',
    ru: 'Используйте двухбуквенный код страны, например UG.',
  },
  'field.url.invalid': {
    en: 'This is not a web address we can read.',
    fr: 'Nous ne parvenons pas à lire cette adresse web.',
    es: 'No podemos leer esta dirección web.',
    ar: 'لا يمكننا قراءة عنوان الويب هذا.',
    zh: '我们无法识别此网址。',
    ru: 'Мы не можем распознать этот веб-адрес.',
  },
  'field.url.scheme': {
    en: 'Only http and https addresses can be reported.',
    fr: 'Seules les adresses http et https peuvent être signalées.',
    es: 'Solo se pueden denunciar direcciones http y https.',
    ar: 'لا يمكن الإبلاغ إلا عن العناوين التي تبدأ بـ http أو https.',
    zh: '只能举报 http 和 https 网址。',
    ru: 'Сообщать можно только об адресах http и https.',
  },
  'field.url.host_not_public': {
    en: 'This address points to a private or local network, not to the public internet.',
    fr: 'Cette adresse renvoie à un réseau privé ou local, et non à l’internet public.',
    es: 'Esta dirección corresponde a una red privada o local, no a internet pública.',
    ar: 'يشير هذا العنوان إلى شبكة خاصة أو محلية، وليس إلى الإنترنت العامة.',
    zh: '此网址指向私有网络或本地网络，而不是公共互联网。',
    ru: 'Этот адрес ведёт в частную или локальную сеть, а не в общедоступный интернет.',
  },
  'field.url.single_label': {
    en: 'The host name must be a full domain name such as example.com.',
    fr: 'Le nom d’hôte doit être un nom de domaine complet, par exemple example.com.',
    es: 'El nombre del host debe ser un nombre de dominio completo, por ejemplo example.com.',
    ar: 'يجب أن يكون اسم المضيف اسم نطاق كاملًا، مثل example.com.',
    zh: '主机名必须是完整的域名，例如 example.com。',
    ru: 'Имя хоста должно быть полным доменным именем, например example.com.',
  },
  'field.url.too_long': {
    en: {
      count: 'max',
      one: 'This address is too long (at most {max} character).',
      other: 'This address is too long (at most {max} characters).',
    },
    fr: {
      count: 'max',
      one: 'Cette adresse est trop longue ({max} caractère au maximum).',
      many: 'Cette adresse est trop longue ({max} de caractères au maximum).',
      other: 'Cette adresse est trop longue ({max} caractères au maximum).',
    },
    es: {
      count: 'max',
      one: 'Esta dirección es demasiado larga (como máximo {max} carácter).',
      many: 'Esta dirección es demasiado larga (como máximo {max} de caracteres).',
      other: 'Esta dirección es demasiado larga (como máximo {max} caracteres).',
    },
    ar: 'هذا العنوان طويل جدًا (الحد الأقصى لعدد الأحرف: {max}).',
    zh: '此网址过长（最多{max}个字符）。',
    ru: {
      count: 'max',
      one: 'Этот адрес слишком длинный (не более {max} символа).',
      few: 'Этот адрес слишком длинный (не более {max} символов).',
      many: 'Этот адрес слишком длинный (не более {max} символов).',
      other: 'Этот адрес слишком длинный (не более {max} символа).',
    },
  },
  'field.url.empty': {
    en: 'Enter a web address.',
    fr: 'Saisissez une adresse web.',
    es: 'Introduzca una dirección web.',
    ar: 'أدخل عنوان ويب.',
    zh: '请输入网址。',
    ru: 'Введите веб-адрес.',
  },

  // ----------------------------------------------------------------------- report page: intro
  'page.title': {
    en: 'Report child sexual abuse material',
    fr: 'Signaler des contenus d’abus sexuels sur enfants',
    es: 'Denunciar material de abuso sexual infantil',
    ar: 'الإبلاغ عن مواد الاعتداء الجنسي على الأطفال',
    zh: '举报儿童性虐待内容',
    ru: 'Сообщить о материалах сексуального насилия над детьми',
  },
  'page.intro.what': {
    en: 'Use this form to tell us where on the internet you saw sexual images or videos of children, or other material showing the sexual abuse of children. We only need the web address (URL).',
    fr: 'Utilisez ce formulaire pour nous indiquer où, sur internet, vous avez vu des images ou des vidéos sexuelles d’enfants, ou d’autres contenus montrant des abus sexuels sur des enfants. Nous avons seulement besoin de l’adresse web (URL).',
    es: 'Use este formulario para indicarnos dónde vio en internet imágenes o videos sexuales de menores de edad, u otro material que muestre abuso sexual infantil. Solo necesitamos la dirección web (URL).',
    ar: 'استخدم هذا النموذج لإخبارنا بالمكان الذي رأيت فيه على الإنترنت صورًا أو مقاطع فيديو جنسية لأطفال، أو أي مواد أخرى تُظهر اعتداءً جنسيًا على أطفال. نحتاج فقط إلى عنوان الويب (URL).',
    zh: '如果您在网上看到涉及儿童的性图片或视频，或其他显示儿童遭受性虐待的内容，请使用此表格告诉我们它们在哪里。我们只需要网址（URL）。',
    ru: 'С помощью этой формы вы можете сообщить нам, где в интернете вы видели сексуальные изображения или видео с участием детей или другие материалы, на которых показано сексуальное насилие над детьми. Нам нужен только веб-адрес (URL).',
  },
  'page.intro.anonymous': {
    en: 'Your report is anonymous. We do not ask for your name, and you do not need to give any details about yourself.',
    fr: 'Votre signalement est anonyme. Nous ne vous demandons pas votre nom et vous n’avez à donner aucune information sur vous.',
    es: 'Su denuncia es anónima. No le pedimos su nombre y no necesita dar ningún dato sobre usted.',
    ar: 'بلاغك مجهول الهوية. لا نطلب اسمك، ولا تحتاج إلى تقديم أي معلومات عن نفسك.',
    zh: '您的举报是匿名的。我们不会询问您的姓名，您也无需提供任何个人信息。',
    ru: 'Ваше сообщение анонимно. Мы не спрашиваем ваше имя, и вам не нужно сообщать о себе никаких сведений.',
  },
  'page.intro.do_not_copy': {
    en: 'Do not download, save or take screenshots of the images or videos, and do not send them to us, not even as proof. Doing so can be a crime. Send us only the web address.',
    fr: 'Ne téléchargez pas, n’enregistrez pas et ne faites pas de capture d’écran des images ou des vidéos, et ne nous les envoyez pas, même comme preuve. Cela peut constituer une infraction. Envoyez-nous uniquement l’adresse web.',
    es: 'No descargue, guarde ni haga capturas de pantalla de las imágenes o los videos, y no nos los envíe, ni siquiera como prueba. Hacerlo puede ser un delito. Envíenos solo la dirección web.',
    ar: 'لا تنزّل الصور أو مقاطع الفيديو، ولا تحفظها، ولا تلتقط لها لقطات شاشة، ولا ترسلها إلينا، حتى على سبيل الإثبات. فقد يُعدّ ذلك جريمة. أرسل إلينا عنوان الويب فقط.',
    zh: '请不要下载、保存或截屏这些图片或视频，也不要将它们发送给我们，即使是作为证据也不行。这样做可能构成犯罪。请只向我们发送网址。',
    ru: 'Не скачивайте и не сохраняйте изображения или видео, не делайте снимков экрана и не присылайте их нам — даже в качестве доказательства. Это может быть преступлением. Присылайте нам только веб-адрес.',
  },
  'page.intro.next': {
    en: 'Our analysts check every address and, when the material is illegal, work with partners to have it removed.',
    fr: 'Nos analystes vérifient chaque adresse et, lorsque le contenu est illégal, travaillent avec leurs partenaires pour le faire retirer.',
    es: 'Nuestros analistas revisan cada dirección y, cuando el material es ilegal, colaboran con sus socios para que se retire.',
    ar: 'يتحقّق محلّلونا من كل عنوان، وإذا كانت المواد غير قانونية، يعملون مع شركائنا على إزالتها.',
    zh: '我们的分析人员会核查每个网址；如果内容违法，我们会与合作伙伴一起努力将其删除。',
    ru: 'Наши аналитики проверяют каждый адрес и, если материал незаконен, вместе с партнёрами добиваются его удаления.',
  },
  'page.emergency': {
    en: 'If a child is in immediate danger, call your local emergency services now. Do not wait for us to reply.',
    fr: 'Si un enfant est en danger immédiat, appelez dès maintenant les services d’urgence locaux. N’attendez pas notre réponse.',
    es: 'Si un menor está en peligro inmediato, llame ahora a los servicios de emergencia locales. No espere nuestra respuesta.',
    ar: 'إذا كان طفل في خطر مباشر، فاتصل بخدمات الطوارئ المحلية الآن. لا تنتظر ردّنا.',
    zh: '如果有儿童正面临紧急危险，请立即拨打当地紧急求助电话，不要等待我们的答复。',
    ru: 'Если ребёнку угрожает непосредственная опасность, немедленно позвоните в местные экстренные службы. Не ждите нашего ответа.',
  },
  'page.languages': {
    en: 'Other languages',
    fr: 'Autres langues',
    es: 'Otros idiomas',
    ar: 'لغات أخرى',
    zh: '其他语言',
    ru: 'Другие языки',
  },

  // ------------------------------------------------------------------------ report page: form
  'form.errors.detail': {
    en: 'Correct the fields marked below and send the report again.',
    fr: 'Corrigez les champs signalés ci-dessous et envoyez de nouveau le signalement.',
    es: 'Corrija los campos marcados más abajo y vuelva a enviar la denuncia.',
    ar: 'صحّح الحقول المشار إليها أدناه ثم أرسل البلاغ مرة أخرى.',
    zh: '请更正下方标出的字段，然后重新提交举报。',
    ru: 'Исправьте отмеченные ниже поля и отправьте сообщение ещё раз.',
  },
  'form.error_with_label': {
    en: '{label}: {message}',
    fr: '{label} : {message}',
    es: '{label}: {message}',
    ar: '{label}: {message}',
    zh: '{label}：{message}',
    ru: '{label}: {message}',
  },
  'form.urls.label': {
    en: 'Web addresses (URLs)',
    fr: 'Adresses web (URL)',
    es: 'Direcciones web (URL)',
    ar: 'عناوين الويب (URL)',
    zh: '网址（URL）',
    ru: 'Веб-адреса (URL)',
  },
  'form.urls.help': {
    en: 'Paste one address per line, up to {max}. Copy them from your browser’s address bar, for example https://example.com/page.',
    fr: 'Collez une adresse par ligne, jusqu’à {max}. Copiez-les depuis la barre d’adresse de votre navigateur, par exemple https://example.com/page.',
    es: 'Pegue una dirección por línea, hasta {max}. Cópielas de la barra de direcciones de su navegador, por ejemplo https://example.com/pagina.',
    ar: 'الصق عنوانًا واحدًا في كل سطر (الحد الأقصى: {max}). انسخ العناوين من شريط العنوان في متصفحك، مثل https://example.com/page.',
    zh: '每行粘贴一个网址，最多{max}个。请从浏览器地址栏复制，例如 https://example.com/page。',
    ru: 'Вставьте по одному адресу в строке, не более {max}. Скопируйте их из адресной строки браузера, например https://example.com/page.',
  },
  'form.urls.item': {
    en: 'Address {number}',
    fr: 'Adresse {number}',
    es: 'Dirección {number}',
    ar: 'العنوان {number}',
    zh: '第{number}个网址',
    ru: 'Адрес {number}',
  },
  'form.content_type.label': {
    en: 'What did you see?',
    fr: 'Qu’avez-vous vu ?',
    es: '¿Qué vio?',
    ar: 'ماذا رأيت؟',
    zh: '您看到了什么？',
    ru: 'Что вы увидели?',
  },
  'form.content_type.not_sure': {
    en: 'I am not sure',
    fr: 'Je ne sais pas',
    es: 'No lo sé',
    ar: 'لا أعرف',
    zh: '不确定',
    ru: 'Не знаю',
  },
  'form.content_type.images': {
    en: 'Images',
    fr: 'Des images',
    es: 'Imágenes',
    ar: 'صور',
    zh: '图片',
    ru: 'Изображения',
  },
  'form.content_type.videos': {
    en: 'Videos',
    fr: 'Des vidéos',
    es: 'Videos',
    ar: 'مقاطع فيديو',
    zh: '视频',
    ru: 'Видео',
  },
  'form.content_type.text': {
    en: 'Text, such as stories or chats',
    fr: 'Des textes, par exemple des récits ou des conversations',
    es: 'Textos, por ejemplo relatos o chats',
    ar: 'نصوص، مثل قصص أو محادثات',
    zh: '文字，例如故事或聊天记录',
    ru: 'Текст, например рассказы или переписка',
  },
  'form.content_type.livestream': {
    en: 'A live stream',
    fr: 'Une diffusion en direct',
    es: 'Una transmisión en vivo',
    ar: 'بث مباشر',
    zh: '直播',
    ru: 'Прямая трансляция',
  },
  'form.content_type.other': {
    en: 'Something else',
    fr: 'Autre chose',
    es: 'Otra cosa',
    ar: 'شيء آخر',
    zh: '其他',
    ru: 'Другое',
  },
  'form.description.label': {
    en: 'Description (optional)',
    fr: 'Description (facultatif)',
    es: 'Descripción (opcional)',
    ar: 'الوصف (اختياري)',
    zh: '描述（选填）',
    ru: 'Описание (необязательно)',
  },
  'form.description.help': {
    en: {
      count: 'max',
      one: 'Tell us anything that may help us find the material, for example where it is on the page or how to reach it. Do not include your name or other details about yourself. At most {max} character.',
      other:
        'Tell us anything that may help us find the material, for example where it is on the page or how to reach it. Do not include your name or other details about yourself. At most {max} characters.',
    },
    fr: {
      count: 'max',
      one: 'Indiquez tout ce qui peut nous aider à trouver le contenu, par exemple son emplacement sur la page ou la façon d’y accéder. N’indiquez pas votre nom ni d’autres informations sur vous. {max} caractère au maximum.',
      many: 'Indiquez tout ce qui peut nous aider à trouver le contenu, par exemple son emplacement sur la page ou la façon d’y accéder. N’indiquez pas votre nom ni d’autres informations sur vous. {max} de caractères au maximum.',
      other:
        'Indiquez tout ce qui peut nous aider à trouver le contenu, par exemple son emplacement sur la page ou la façon d’y accéder. N’indiquez pas votre nom ni d’autres informations sur vous. {max} caractères au maximum.',
    },
    es: {
      count: 'max',
      one: 'Indique cualquier cosa que nos ayude a encontrar el material, por ejemplo en qué parte de la página está o cómo llegar a él. No incluya su nombre ni otros datos sobre usted. Como máximo {max} carácter.',
      many: 'Indique cualquier cosa que nos ayude a encontrar el material, por ejemplo en qué parte de la página está o cómo llegar a él. No incluya su nombre ni otros datos sobre usted. Como máximo {max} de caracteres.',
      other:
        'Indique cualquier cosa que nos ayude a encontrar el material, por ejemplo en qué parte de la página está o cómo llegar a él. No incluya su nombre ni otros datos sobre usted. Como máximo {max} caracteres.',
    },
    ar: 'أخبرنا بأي شيء قد يساعدنا في العثور على المواد، مثل مكانها في الصفحة أو طريقة الوصول إليها. لا تذكر اسمك أو أي معلومات أخرى عنك. الحد الأقصى لعدد الأحرف: {max}.',
    zh: '请告诉我们任何有助于找到该内容的信息，例如它在页面上的位置或如何访问它。请不要填写您的姓名或其他个人信息。最多{max}个字符。',
    ru: {
      count: 'max',
      one: 'Сообщите всё, что поможет нам найти материал, например где он находится на странице или как до него добраться. Не указывайте своё имя и другие сведения о себе. Не более {max} символа.',
      few: 'Сообщите всё, что поможет нам найти материал, например где он находится на странице или как до него добраться. Не указывайте своё имя и другие сведения о себе. Не более {max} символов.',
      many: 'Сообщите всё, что поможет нам найти материал, например где он находится на странице или как до него добраться. Не указывайте своё имя и другие сведения о себе. Не более {max} символов.',
      other:
        'Сообщите всё, что поможет нам найти материал, например где он находится на странице или как до него добраться. Не указывайте своё имя и другие сведения о себе. Не более {max} символа.',
    },
  },
  'form.email.label': {
    en: 'Email address (optional)',
    fr: 'Adresse e-mail (facultatif)',
    es: 'Correo electrónico (opcional)',
    ar: 'البريد الإلكتروني (اختياري)',
    zh: '电子邮件地址（选填）',
    ru: 'Адрес электронной почты (необязательно)',
  },
  'form.email.help': {
    en: 'Only if you would like us to tell you what happened with your report. We will not use it for anything else. Leave it empty to stay completely anonymous.',
    fr: 'Uniquement si vous souhaitez que nous vous informions des suites de votre signalement. Nous ne l’utiliserons à aucune autre fin. Laissez ce champ vide pour rester totalement anonyme.',
    es: 'Solo si desea que le informemos de lo que pasó con su denuncia. No lo usaremos para nada más. Déjelo en blanco para mantener el anonimato total.',
    ar: 'فقط إذا كنت تريد أن نُعلمك بما حدث لبلاغك. لن نستخدمه لأي غرض آخر. اتركه فارغًا لتبقى مجهول الهوية تمامًا.',
    zh: '仅在您希望我们告知举报处理结果时填写。我们不会将其用于任何其他用途。如需完全匿名，请留空。',
    ru: 'Только если вы хотите узнать, что стало с вашим сообщением. Мы не будем использовать этот адрес ни для чего другого. Оставьте поле пустым, чтобы сохранить полную анонимность.',
  },
  'form.victim.label': {
    en: 'A child may be identifiable or in danger right now',
    fr: 'Un enfant pourrait être identifiable ou en danger en ce moment',
    es: 'Un menor podría ser identificable o estar en peligro en este momento',
    ar: 'قد يكون من الممكن التعرّف على هوية طفل، أو قد يكون طفل في خطر الآن',
    zh: '其中的儿童身份可能可以辨认，或者儿童此刻可能正处于危险之中',
    ru: 'Возможно, ребёнка можно опознать или он в опасности прямо сейчас',
  },
  'form.language.label': {
    en: 'Your language',
    fr: 'Votre langue',
    es: 'Su idioma',
    ar: 'لغتك',
    zh: '您的语言',
    ru: 'Ваш язык',
  },
  'form.submit': {
    en: 'Send report',
    fr: 'Envoyer le signalement',
    es: 'Enviar denuncia',
    ar: 'إرسال البلاغ',
    zh: '提交举报',
    ru: 'Отправить сообщение',
  },

  // ------------------------------------------------------------------------------ receipt page
  'receipt.title': {
    en: 'Thank you. Your report has been received.',
    fr: 'Merci. Nous avons bien reçu votre signalement.',
    es: 'Gracias. Hemos recibido su denuncia.',
    ar: 'شكرًا لك. لقد تلقّينا بلاغك.',
    zh: '谢谢！我们已收到您的举报。',
    ru: 'Спасибо! Мы получили ваше сообщение.',
  },
  'receipt.thanks': {
    en: 'Thank you for taking the time to report. Every report helps us get this material removed.',
    fr: 'Merci d’avoir pris le temps de faire ce signalement. Chaque signalement nous aide à faire retirer ces contenus.',
    es: 'Gracias por tomarse el tiempo de hacer esta denuncia. Cada denuncia nos ayuda a conseguir que se retire este material.',
    ar: 'شكرًا لأنك خصّصت وقتًا للإبلاغ. كل بلاغ يساعدنا على إزالة هذه المواد.',
    zh: '感谢您花时间举报。每一份举报都有助于我们删除此类内容。',
    ru: 'Спасибо, что нашли время сообщить. Каждое сообщение помогает нам добиваться удаления таких материалов.',
  },
  'receipt.reference': {
    en: 'Your reference',
    fr: 'Votre référence',
    es: 'Su número de referencia',
    ar: 'الرقم المرجعي لبلاغك',
    zh: '您的举报编号',
    ru: 'Номер вашего сообщения',
  },
  'receipt.status_token': {
    en: 'Your status token',
    fr: 'Votre code de suivi',
    es: 'Su código de seguimiento',
    ar: 'رمز المتابعة الخاص بك',
    zh: '您的状态查询码',
    ru: 'Ваш код для проверки статуса',
  },
  'receipt.received_at': {
    en: 'Received',
    fr: 'Date de réception',
    es: 'Fecha de recepción',
    ar: 'تاريخ الاستلام',
    zh: '接收时间',
    ru: 'Дата получения',
  },
  'receipt.keep': {
    en: 'Keep both to check the status of your report later. Anyone who has both can see the status, so do not share them.',
    fr: 'Conservez ces deux éléments pour consulter plus tard l’état de votre signalement. Toute personne qui les possède peut voir cet état : ne les communiquez à personne.',
    es: 'Guarde ambos para consultar más tarde el estado de su denuncia. Cualquier persona que los tenga puede ver el estado, así que no los comparta.',
    ar: 'احتفظ بهما معًا للتحقّق من حالة بلاغك لاحقًا. يمكن لأي شخص يملكهما رؤية الحالة، لذا لا تشاركهما مع أحد.',
    zh: '请同时保存这两项信息，以便稍后查询举报状态。任何拥有这两项信息的人都能看到状态，因此请勿与他人分享。',
    ru: 'Сохраните оба значения, чтобы позже узнать статус сообщения. Любой, у кого они есть, может увидеть статус, поэтому никому их не передавайте.',
  },
  'receipt.no_contact': {
    en: 'We will not contact you unless you gave us an email address.',
    fr: 'Nous ne vous contacterons pas, sauf si vous nous avez donné une adresse e-mail.',
    es: 'No nos pondremos en contacto con usted, salvo que nos haya dado una dirección de correo electrónico.',
    ar: 'لن نتواصل معك إلا إذا قدّمت لنا عنوان بريد إلكتروني.',
    zh: '除非您提供了电子邮件地址，否则我们不会与您联系。',
    ru: 'Мы не будем связываться с вами, если вы не оставили адрес электронной почты.',
  },
  'receipt.another': {
    en: 'Make another report',
    fr: 'Faire un autre signalement',
    es: 'Hacer otra denuncia',
    ar: 'تقديم بلاغ آخر',
    zh: '提交另一份举报',
    ru: 'Отправить ещё одно сообщение',
  },

  // ------------------------------------------------------------------------------- status page
  'status.title': {
    en: 'Status of your report',
    fr: 'État de votre signalement',
    es: 'Estado de su denuncia',
    ar: 'حالة بلاغك',
    zh: '举报状态',
    ru: 'Статус вашего сообщения',
  },
  'status.check.title': {
    en: 'Check the status of your report',
    fr: 'Consulter l’état de votre signalement',
    es: 'Consultar el estado de su denuncia',
    ar: 'الاستعلام عن حالة بلاغك',
    zh: '查询举报状态',
    ru: 'Проверить статус сообщения',
  },
  'status.check.intro': {
    en: 'Enter the reference and the status token you were given when you made your report.',
    fr: 'Saisissez la référence et le code de suivi qui vous ont été donnés lors de votre signalement.',
    es: 'Introduzca el número de referencia y el código de seguimiento que recibió al hacer su denuncia.',
    ar: 'أدخل الرقم المرجعي ورمز المتابعة اللذين حصلت عليهما عند تقديم بلاغك.',
    zh: '请输入您提交举报时获得的举报编号和状态查询码。',
    ru: 'Введите номер и код для проверки статуса, которые вы получили при отправке сообщения.',
  },
  'status.check.submit': {
    en: 'Check status',
    fr: 'Consulter l’état',
    es: 'Consultar el estado',
    ar: 'الاستعلام عن الحالة',
    zh: '查询状态',
    ru: 'Проверить статус',
  },
  'status.current': {
    en: 'Current status',
    fr: 'État actuel',
    es: 'Estado actual',
    ar: 'الحالة الحالية',
    zh: '当前状态',
    ru: 'Текущий статус',
  },
  'status.updated_at': {
    en: 'Last updated',
    fr: 'Dernière mise à jour',
    es: 'Última actualización',
    ar: 'آخر تحديث',
    zh: '最近更新',
    ru: 'Последнее обновление',
  },
  'status.unavailable.title': {
    en: 'The status cannot be shown right now',
    fr: 'L’état ne peut pas être affiché pour le moment',
    es: 'El estado no se puede mostrar en este momento',
    ar: 'لا يمكن عرض الحالة في الوقت الحالي',
    zh: '目前无法显示状态',
    ru: 'Сейчас статус показать невозможно',
  },
  'status.unavailable.detail': {
    en: 'Because of a temporary problem on our side we cannot look up your report. Please try again in {seconds:duration}.',
    fr: 'En raison d’un problème temporaire de notre côté, nous ne pouvons pas consulter votre signalement. Veuillez réessayer dans {seconds:duration}.',
    es: 'Debido a un problema temporal de nuestra parte, no podemos consultar su denuncia. Vuelva a intentarlo dentro de {seconds:duration}.',
    ar: 'بسبب مشكلة مؤقتة لدينا لا يمكننا الاطلاع على بلاغك. يُرجى المحاولة مرة أخرى بعد {seconds:duration}.',
    zh: '由于我们这边出现临时故障，目前无法查询您的举报。请在{seconds:duration}后重试。',
    ru: 'Из-за временной неполадки на нашей стороне мы не можем найти ваше сообщение. Повторите попытку через {seconds:duration}.',
  },
  'status.received': {
    en: 'Received',
    fr: 'Reçu',
    es: 'Recibida',
    ar: 'تم الاستلام',
    zh: '已收到',
    ru: 'Получено',
  },
  'status.received.detail': {
    en: 'We have received your report. An analyst will look at it soon.',
    fr: 'Nous avons reçu votre signalement. Un analyste va bientôt l’examiner.',
    es: 'Hemos recibido su denuncia. Un analista la revisará pronto.',
    ar: 'تلقّينا بلاغك، وسيطّلع عليه أحد المحلّلين قريبًا.',
    zh: '我们已收到您的举报，分析人员将很快进行查看。',
    ru: 'Мы получили ваше сообщение. Вскоре его рассмотрит аналитик.',
  },
  'status.in_review': {
    en: 'Being reviewed',
    fr: 'En cours d’examen',
    es: 'En revisión',
    ar: 'قيد المراجعة',
    zh: '正在审核',
    ru: 'На рассмотрении',
  },
  'status.in_review.detail': {
    en: 'An analyst is checking the addresses you reported.',
    fr: 'Un analyste vérifie les adresses que vous avez signalées.',
    es: 'Un analista está revisando las direcciones que denunció.',
    ar: 'يتحقّق أحد المحلّلين من العناوين التي أبلغت عنها.',
    zh: '分析人员正在核查您举报的网址。',
    ru: 'Аналитик проверяет адреса, о которых вы сообщили.',
  },
  'status.action_taken': {
    en: 'Action taken',
    fr: 'Mesures prises',
    es: 'Se han tomado medidas',
    ar: 'تم اتخاذ إجراء',
    zh: '已采取行动',
    ru: 'Приняты меры',
  },
  'status.action_taken.detail': {
    en: 'We found material that breaks the law and have taken action, for example by asking for it to be removed or by informing the police.',
    fr: 'Nous avons trouvé des contenus illégaux et avons pris des mesures, par exemple en demandant leur retrait ou en informant la police.',
    es: 'Encontramos material ilegal y hemos tomado medidas, por ejemplo, solicitando su retirada o informando a la policía.',
    ar: 'وجدنا موادّ مخالفة للقانون واتخذنا إجراءً بشأنها، مثل طلب إزالتها أو إبلاغ الشرطة.',
    zh: '我们发现了违法内容并已采取行动，例如要求删除该内容或通知警方。',
    ru: 'Мы обнаружили незаконные материалы и приняли меры, например потребовали их удалить или сообщили в полицию.',
  },
  'status.closed': {
    en: 'Closed',
    fr: 'Clôturé',
    es: 'Cerrada',
    ar: 'مغلق',
    zh: '已结案',
    ru: 'Закрыто',
  },
  'status.closed.detail': {
    en: 'We have finished working on this report. This does not always mean that illegal material was found.',
    fr: 'Nous avons terminé le traitement de ce signalement. Cela ne signifie pas forcément que des contenus illégaux ont été trouvés.',
    es: 'Hemos terminado de tramitar esta denuncia. Esto no siempre significa que se haya encontrado material ilegal.',
    ar: 'انتهينا من معالجة هذا البلاغ. ولا يعني ذلك بالضرورة أنه تم العثور على مواد غير قانونية.',
    zh: '我们已完成对此举报的处理。这并不一定意味着发现了违法内容。',
    ru: 'Мы завершили работу по этому сообщению. Это не обязательно означает, что были обнаружены незаконные материалы.',
  },
} satisfies Record<string, Record<Language, MessageText>>;

export type MessageKey = keyof typeof CATALOGUE;

/** Each key's texts as written above: a key without plural forms has plain strings. */
export const MESSAGES: { readonly [K in MessageKey]: Readonly<(typeof CATALOGUE)[K]> } = CATALOGUE;

export const MESSAGE_KEYS = Object.keys(CATALOGUE) as readonly MessageKey[];

/** Report statuses that have a label (`status.<status>`) and an explanation (`status.<status>.detail`). */
export const REPORT_STATUS_KEYS = ['received', 'in_review', 'action_taken', 'closed'] as const;

export type MessageParams = Readonly<Record<string, string | number>>;

/** Matches `{name}` and `{name:format}`. */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)(?::(duration))?\}/g;

/** The placeholders of a template (`{name}` or `{name:format}`), in order of appearance. */
export function placeholdersOf(template: string): string[] {
  return Array.from(template.matchAll(PLACEHOLDER), (m) => m[0]);
}

/** Locale used with Intl for each language (Western digits for Arabic, matching the page). */
const INTL_LOCALE: Readonly<Record<Language, string>> = {
  en: 'en',
  fr: 'fr',
  es: 'es',
  ar: 'ar-u-nu-latn',
  zh: 'zh-Hans',
  ru: 'ru',
};

export function intlLocale(lang: Language): string {
  return INTL_LOCALE[lang] ?? 'en';
}

const durationFormats = new Map<Language, Intl.NumberFormat>();

function formatDuration(lang: Language, seconds: number): string {
  let format = durationFormats.get(lang);
  if (format === undefined) {
    format = new Intl.NumberFormat(intlLocale(lang), { style: 'unit', unit: 'second', unitDisplay: 'long' });
    durationFormats.set(lang, format);
  }
  return format.format(seconds);
}

const pluralRules = new Map<Language, Intl.PluralRules>();

/** The plural category of `count` in `lang` (e.g. ru: 1 one, 3 few, 5 many, 21 one). */
export function pluralCategory(lang: Language, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang);
  if (rules === undefined) {
    rules = new Intl.PluralRules(intlLocale(lang));
    pluralRules.set(lang, rules);
  }
  return rules.select(count);
}

/** Every form of a text (one for a plain string), for checks over the whole catalogue. */
export function formsOf(text: MessageText): string[] {
  return typeof text === 'string' ? [text] : Object.entries(text).flatMap(([name, form]) => (name === 'count' || form === undefined ? [] : [form]));
}

/** The form for the number in params[count]; `other` when it is missing or not a number. */
function formFor(text: MessageText, lang: Language, params: MessageParams | undefined): string {
  if (typeof text === 'string') return text;
  const value = params !== undefined && Object.hasOwn(params, text.count) ? Number(params[text.count]) : NaN;
  return (Number.isFinite(value) ? text[pluralCategory(lang, value)] : undefined) ?? text.other;
}

/**
 * The message `key` in `lang` with its placeholders filled from `params`. A placeholder without
 * a matching parameter is left as it is (visible, never silently dropped). Unknown keys and
 * languages fall back to English, then to the key itself, so this never throws at run time.
 */
export function t(lang: Language, key: MessageKey, params?: MessageParams): string {
  return translate(MESSAGES as Readonly<Record<string, Readonly<Record<string, MessageText>>>>, lang, key, params);
}

/**
 * `t` over any catalogue of this structure (the staff console has its own): the text of `key` in
 * `lang`, else in English, else the key itself, with its placeholders filled.
 */
export function translate(catalogue: Readonly<Record<string, Readonly<Record<string, MessageText>>>>, lang: Language, key: string, params?: MessageParams): string {
  const entry = catalogue[key];
  const language: Language = entry?.[lang] !== undefined ? lang : 'en';
  const text = entry?.[language];
  const template = text === undefined ? String(key) : formFor(text, language, params);
  if (params === undefined) return template;
  return template.replace(PLACEHOLDER, (whole, name: string, format: string | undefined) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = params[name];
    if (format === 'duration' && typeof value === 'number' && Number.isFinite(value)) {
      return formatDuration(lang, value);
    }
    return String(value);
  });
}
