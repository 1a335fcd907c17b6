/**
 * The server-rendered report page and receipt page of the public intake.
 *
 * Plain HTML5 that works without JavaScript, on small phones and in Tor Browser at its safest
 * level: no scripts, no external or embedded assets (no fonts, images, favicons), one inline
 * stylesheet allowed by hash in the page's Content-Security-Policy. Every interpolated value goes
 * through `escapeHtml`. Pure functions, no I/O.
 */
import { createHash } from 'node:crypto';
import { isReportedContentType, MAX_CONTACT_EMAIL_LENGTH, MAX_REPORT_DESCRIPTION_LENGTH, MAX_REPORT_URLS, REPORTED_CONTENT_TYPES } from '@hotline/domain';
// Relative import: the `@hotline/http` alias maps only the library root, whose index is not ours.
import {
  LANGUAGE_NAMES,
  REPORT_STATUS_KEYS,
  SUPPORTED_LANGUAGES,
  intlLocale,
  isSupportedLanguage,
  negotiateLanguage,
  t,
  textDirection,
  type Language,
  type MessageKey,
  type MessageParams,
} from '../../../../libs/http/src/i18n';
import { escapeHtml } from '../../../../libs/http/src/html';

export { escapeHtml };
import { splitUrls, type ReportFormField } from './form';

export interface ReportFormValues {
  urls?: string;
  contentType?: string;
  description?: string;
  email?: string;
  victimIdentifiable?: boolean;
  language?: string;
}

export interface ReportFieldError {
  /** API field path: `urls`, `urls[3]`, `contentType`, `description`, `contact.email`, `language`, `victimIdentifiable`, … */
  field: string;
  /** Already localised text (e.g. from `t()`); escaped when rendered. */
  message: string;
}

const CSS = [
  '*,*::before,*::after{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
  'body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;font-size:1.0625rem;line-height:1.5;color:#1a1a1a;background:#fff}',
  '.page{max-width:42rem;margin:0 auto;padding:1rem}',
  'h1{font-size:1.6rem;line-height:1.25;margin:.75rem 0 1rem}',
  'h2{font-size:1.2rem;line-height:1.3;margin:0 0 .5rem}',
  'a{color:#0b57d0}',
  'a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f0b400;outline-offset:2px}',
  '.langs{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.95rem}',
  '.note{padding:.75rem 1rem;margin:1rem 0;border-inline-start:6px solid}',
  '.warning{border-color:#b3261e;background:#fdecea}',
  '.emergency{border-color:#a35200;background:#fff4e5}',
  '.errors{border:3px solid #b3261e;padding:.75rem 1rem;margin:1rem 0}',
  '.errors ul{margin:.5rem 0 0;padding-inline-start:1.25rem}',
  '.field{margin:1.25rem 0}',
  'label{display:block;font-weight:600;margin-bottom:.25rem}',
  '.help{margin:.25rem 0 .5rem;color:#444;font-size:.95rem}',
  '.field-errors{margin:.25rem 0 .5rem;padding-inline-start:1.25rem;color:#b3261e;font-weight:600}',
  'textarea,input[type=email],input[type=text],select{display:block;width:100%;font:inherit;padding:.5rem;border:1px solid #767676;border-radius:4px;background:#fff;color:inherit}',
  'textarea{min-height:8rem;resize:vertical}',
  '.invalid textarea,.invalid input,.invalid select{border:2px solid #b3261e}',
  '.check{display:flex;gap:.6rem;align-items:flex-start}',
  '.check input{width:1.4rem;height:1.4rem;margin:.15rem 0 0;flex:none}',
  '.check label{margin:0}',
  'button{font:inherit;font-weight:700;padding:.75rem 1.5rem;border:0;border-radius:4px;background:#0b57d0;color:#fff;cursor:pointer;width:100%}',
  '@media (min-width:40rem){button{width:auto}}',
  'code{font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}',
  '.token{display:inline-block;font-size:1.2rem;padding:.25rem .5rem;background:#f1f3f4;border-radius:4px;-webkit-user-select:all;user-select:all}',
  'dt{font-weight:600}',
  'dd{margin:0 0 .75rem}',
  '.status-check{margin-top:2rem;padding-top:.5rem;border-top:1px solid #c4c4c4}',
  '.status-check .field{margin:1rem 0}',
  '.result{border:3px solid #0b57d0;padding:.75rem 1rem;margin:1rem 0}',
  '.result dd:last-child{margin-bottom:0}',
  '.status-word{font-size:1.3rem}',
].join('\n');

const CSS_HASH = `'sha256-${createHash('sha256').update(CSS, 'utf8').digest('base64')}'`;

/**
 * Content-Security-Policy for responses carrying these pages: nothing may load, only the inline
 * stylesheet (by hash) applies, the form posts to the same origin. The pages repeat it (minus
 * `frame-ancestors`, which a meta element cannot carry); sending it as a header is still advised.
 */
export const REPORT_PAGE_CSP = `default-src 'none'; style-src ${CSS_HASH}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
const META_CSP = `default-src 'none'; style-src ${CSS_HASH}; form-action 'self'; base-uri 'none'`;

/** `lang` attribute value: Simplified Chinese is marked as such so browsers pick matching glyphs. */
function htmlLang(lang: Language): string {
  return lang === 'zh' ? 'zh-Hans' : lang;
}

function safeLanguage(lang: unknown): Language {
  return isSupportedLanguage(lang) ? lang : 'en';
}

/** Escaped message text. */
function tx(lang: Language, key: MessageKey, params?: MessageParams): string {
  return escapeHtml(t(lang, key, params));
}

/** Message with parameters that are already HTML: the text is escaped, the fragments are inserted as they are. */
function tHtml(lang: Language, key: MessageKey, html: Readonly<Record<string, string>>): string {
  const names = Object.keys(html);
  const marks: Record<string, string> = {};
  names.forEach((name, i) => (marks[name] = `\u0001${i}\u0001`));
  return escapeHtml(t(lang, key, marks)).replace(/\u0001(\d+)\u0001/g, (_, i: string) => html[names[Number(i)]!]!);
}

function attr(name: string, value: string | number): string {
  return ` ${name}="${escapeHtml(value)}"`;
}

function document(lang: Language, title: string, body: string, opts: { noindex?: boolean } = {}): string {
  return [
    '<!DOCTYPE html>',
    `<html${attr('lang', htmlLang(lang))}${attr('dir', textDirection(lang))}>`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy"${attr('content', META_CSP)}>`,
    '<meta name="referrer" content="no-referrer">',
    opts.noindex ? '<meta name="robots" content="noindex, nofollow">' : '',
    // An empty data: icon stops browsers from requesting /favicon.ico.
    '<link rel="icon" href="data:,">',
    `<title>${title}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<div class="page">',
    body,
    '</div>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function languageLinks(lang: Language): string {
  const items = SUPPORTED_LANGUAGES.map((code) => {
    const name = escapeHtml(LANGUAGE_NAMES[code]);
    const langAttrs = `${attr('lang', htmlLang(code))}${attr('dir', textDirection(code))}`;
    return code === lang
      ? `<li><span aria-current="page"${langAttrs}><strong>${name}</strong></span></li>`
      : `<li><a${attr('href', `?lang=${code}`)}${attr('hreflang', htmlLang(code))}${langAttrs}>${name}</a></li>`;
  });
  return `<nav${attr('aria-label', t(lang, 'page.languages'))}><ul class="langs">${items.join('')}</ul></nav>`;
}

interface PlacedError {
  field: ReportFormField | undefined;
  /** Index of the address for `urls[i]`. */
  index?: number;
  message: string;
}

/**
 * The form control an API error path belongs to: `urls`, `urls[3]`, `urls.3`, `/urls/3` -> urls;
 * `contact`, `contact.email` -> email; the other control names map to themselves.
 */
export function formFieldOf(path: string): { field: ReportFormField; index?: number } | undefined {
  if (typeof path !== 'string') return undefined;
  const normalised = path.replace(/^\//, '').replace(/\//g, '.');
  const urls = /^urls(?:\[(\d+)\]|\.(\d+))?(?:[.[].*)?$/.exec(normalised);
  if (urls) {
    const digits = urls[1] ?? urls[2];
    return digits === undefined ? { field: 'urls' } : { field: 'urls', index: Number(digits) };
  }
  if (/^contact(?:[.[].*)?$/.test(normalised) || normalised === 'email') return { field: 'email' };
  const head = /^(contentType|description|language|victimIdentifiable)(?:[.[].*)?$/.exec(normalised);
  return head ? { field: head[1] as ReportFormField } : undefined;
}

const FIELD_LABEL: Record<ReportFormField, MessageKey> = {
  urls: 'form.urls.label',
  contentType: 'form.content_type.label',
  description: 'form.description.label',
  email: 'form.email.label',
  victimIdentifiable: 'form.victim.label',
  language: 'form.language.label',
};

/** HTML naming the address of a `urls[i]` error: "Address 4 <code>https://…</code>". */
function addressLabel(lang: Language, index: number, addresses: readonly string[]): string {
  const label = tx(lang, 'form.urls.item', { number: index + 1 });
  const address = addresses[index];
  return address === undefined ? label : `${label} <bdi dir="ltr"><code>${escapeHtml(address)}</code></bdi>`;
}

function errorSummary(lang: Language, errors: readonly PlacedError[], addresses: readonly string[]): string {
  const items = errors.map((error) => {
    const message = escapeHtml(error.message);
    if (error.field === undefined) return `<li>${message}</li>`;
    const label = error.index !== undefined ? addressLabel(lang, error.index, addresses) : tx(lang, FIELD_LABEL[error.field]);
    return `<li><a${attr('href', `#${error.field}`)}>${tHtml(lang, 'form.error_with_label', { label, message })}</a></li>`;
  });
  return [
    '<div class="errors" id="errors" role="alert" aria-labelledby="errors-title" tabindex="-1">',
    `<h2 id="errors-title">${tx(lang, 'problem.validation.title')}</h2>`,
    `<p>${tx(lang, 'form.errors.detail')}</p>`,
    `<ul>${items.join('')}</ul>`,
    '</div>',
  ].join('\n');
}

function fieldErrors(lang: Language, field: ReportFormField, errors: readonly PlacedError[], addresses: readonly string[]): string {
  const mine = errors.filter((error) => error.field === field);
  if (mine.length === 0) return '';
  const items = mine.map((error) => {
    const message = escapeHtml(error.message);
    return error.index === undefined
      ? `<li>${message}</li>`
      : `<li>${tHtml(lang, 'form.error_with_label', { label: addressLabel(lang, error.index, addresses), message })}</li>`;
  });
  return `<ul class="field-errors"${attr('id', `${field}-error`)}>${items.join('')}</ul>`;
}

/** Attributes tying a control to its help text and errors. */
function describedBy(field: ReportFormField, hasHelp: boolean, errors: readonly PlacedError[]): string {
  const invalid = errors.some((error) => error.field === field);
  const ids = [hasHelp ? `${field}-help` : '', invalid ? `${field}-error` : ''].filter((id) => id !== '');
  return (ids.length > 0 ? attr('aria-describedby', ids.join(' ')) : '') + (invalid ? ' aria-invalid="true"' : '');
}

function fieldClass(field: ReportFormField, errors: readonly PlacedError[]): string {
  return errors.some((error) => error.field === field) ? 'field invalid' : 'field';
}

/** Textarea content: a leading newline is swallowed by HTML parsers, so one is always written first. */
function textareaContent(value: string | undefined): string {
  return `\n${escapeHtml(value ?? '')}`;
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The report form, optionally re-filled with `values` and showing `errors` (a summary at the top
 * with links to the fields, and each message beside its field). There is deliberately no CSRF
 * token (`csrfFree`): the form is anonymous, stateless and sets no cookie.
 */
export function renderReportPage(opts: { lang: Language; values?: ReportFormValues; errors?: { field: string; message: string }[]; csrfFree?: never }): string {
  const lang = safeLanguage(opts.lang);
  const values = opts.values ?? {};
  const errors: PlacedError[] = (Array.isArray(opts.errors) ? opts.errors : []).map((error) => {
    const placed = formFieldOf(error?.field);
    return { field: placed?.field, index: placed?.index, message: String(error?.message ?? '') };
  });
  const urlsText = stringValue(values.urls);
  const addresses = splitUrls(urlsText ?? '');
  const contentType = stringValue(values.contentType) ?? '';
  const reportLanguage = negotiateLanguage({ explicit: values.language, acceptLanguage: lang });

  // The empty value means "not sure"; the others are the API's own words (libs/domain).
  const contentTypeOptions = [
    `<option value=""${isReportedContentType(contentType) ? '' : ' selected'}>${tx(lang, 'form.content_type.not_sure')}</option>`,
    ...REPORTED_CONTENT_TYPES.map((type) => `<option${attr('value', type)}${type === contentType ? ' selected' : ''}>${tx(lang, `form.content_type.${type}`)}</option>`),
  ].join('');

  const languageOptions = SUPPORTED_LANGUAGES.map(
    (code) => `<option${attr('value', code)}${attr('lang', htmlLang(code))}${code === reportLanguage ? ' selected' : ''}>${escapeHtml(LANGUAGE_NAMES[code])}</option>`,
  ).join('');

  const body = [
    '<header>',
    languageLinks(lang),
    `<h1>${tx(lang, 'page.title')}</h1>`,
    '</header>',
    '<main>',
    errors.length > 0 ? errorSummary(lang, errors, addresses) : '',
    `<p>${tx(lang, 'page.intro.what')}</p>`,
    `<p class="note warning"><strong>${tx(lang, 'page.intro.do_not_copy')}</strong></p>`,
    `<p>${tx(lang, 'page.intro.anonymous')}</p>`,
    `<p>${tx(lang, 'page.intro.next')}</p>`,
    `<p class="note emergency"><strong>${tx(lang, 'page.emergency')}</strong></p>`,
    '<form method="post" action="/" accept-charset="UTF-8">',

    `<div${attr('class', fieldClass('urls', errors))}>`,
    `<label for="urls">${tx(lang, 'form.urls.label')}</label>`,
    `<p class="help" id="urls-help">${tx(lang, 'form.urls.help', { max: MAX_REPORT_URLS })}</p>`,
    fieldErrors(lang, 'urls', errors, addresses),
    `<textarea id="urls" name="urls" rows="5" required dir="ltr" spellcheck="false" autocapitalize="off" autocomplete="off"${describedBy('urls', true, errors)}>${textareaContent(urlsText)}</textarea>`,
    '</div>',

    `<div${attr('class', fieldClass('contentType', errors))}>`,
    `<label for="contentType">${tx(lang, 'form.content_type.label')}</label>`,
    fieldErrors(lang, 'contentType', errors, addresses),
    `<select id="contentType" name="contentType"${describedBy('contentType', false, errors)}>${contentTypeOptions}</select>`,
    '</div>',

    `<div${attr('class', fieldClass('description', errors))}>`,
    `<label for="description">${tx(lang, 'form.description.label')}</label>`,
    `<p class="help" id="description-help">${tx(lang, 'form.description.help', { max: MAX_REPORT_DESCRIPTION_LENGTH })}</p>`,
    fieldErrors(lang, 'description', errors, addresses),
    `<textarea id="description" name="description" rows="6"${attr('maxlength', MAX_REPORT_DESCRIPTION_LENGTH)} autocomplete="off"${describedBy('description', true, errors)}>${textareaContent(stringValue(values.description))}</textarea>`,
    '</div>',

    `<div${attr('class', fieldClass('email', errors))}>`,
    `<label for="email">${tx(lang, 'form.email.label')}</label>`,
    `<p class="help" id="email-help">${tx(lang, 'form.email.help')}</p>`,
    fieldErrors(lang, 'email', errors, addresses),
    `<input type="email" id="email" name="email" dir="ltr" autocomplete="email" spellcheck="false" autocapitalize="off"${attr('maxlength', MAX_CONTACT_EMAIL_LENGTH)}${attr('value', stringValue(values.email) ?? '')}${describedBy('email', true, errors)}>`,
    '</div>',

    `<div${attr('class', fieldClass('victimIdentifiable', errors))}>`,
    fieldErrors(lang, 'victimIdentifiable', errors, addresses),
    '<div class="check">',
    `<input type="checkbox" id="victimIdentifiable" name="victimIdentifiable" value="true"${values.victimIdentifiable === true ? ' checked' : ''}${describedBy('victimIdentifiable', true, errors)}>`,
    `<label for="victimIdentifiable">${tx(lang, 'form.victim.label')}</label>`,
    '</div>',
    `<p class="help" id="victimIdentifiable-help">${tx(lang, 'page.emergency')}</p>`,
    '</div>',

    `<div${attr('class', fieldClass('language', errors))}>`,
    `<label for="language">${tx(lang, 'form.language.label')}</label>`,
    fieldErrors(lang, 'language', errors, addresses),
    `<select id="language" name="language"${describedBy('language', false, errors)}>${languageOptions}</select>`,
    '</div>',

    `<p><button type="submit">${tx(lang, 'form.submit')}</button></p>`,
    '</form>',
    `<p><a${attr('href', `/status?lang=${lang}`)}>${tx(lang, 'status.check.title')}</a></p>`,
    '</main>',
  ]
    .filter((line) => line !== '')
    .join('\n');

  return document(lang, tx(lang, 'page.title'), body);
}

function formatTime(lang: Language, receivedAt: string, timeZone: string): string {
  const time = Date.parse(receivedAt);
  if (!Number.isFinite(time)) return escapeHtml(receivedAt);
  try {
    const text = new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'long', timeStyle: 'long', timeZone }).format(time);
    return `<time${attr('datetime', new Date(time).toISOString())}>${escapeHtml(text)}</time>`;
  } catch {
    return escapeHtml(receivedAt);
  }
}

/**
 * The page shown after a report was stored: the reference and the status token (both needed to
 * check the status later). It has no language links, because following one would leave the only
 * page showing the token. Serve it with `Cache-Control: no-store`.
 */
export function renderReceiptPage(opts: {
  lang: Language;
  reference: string;
  statusToken: string;
  receivedAt: string;
  /** IANA time zone for the received time; UTC by default. */
  timeZone?: string;
}): string {
  const lang = safeLanguage(opts.lang);
  const body = [
    '<main>',
    `<h1>${tx(lang, 'receipt.title')}</h1>`,
    `<p>${tx(lang, 'receipt.thanks')}</p>`,
    '<dl>',
    `<dt>${tx(lang, 'receipt.reference')}</dt>`,
    `<dd><code class="token" dir="ltr" id="reference">${escapeHtml(opts.reference)}</code></dd>`,
    `<dt>${tx(lang, 'receipt.status_token')}</dt>`,
    `<dd><code class="token" dir="ltr" id="status-token">${escapeHtml(opts.statusToken)}</code></dd>`,
    `<dt>${tx(lang, 'receipt.received_at')}</dt>`,
    `<dd>${formatTime(lang, String(opts.receivedAt ?? ''), opts.timeZone ?? 'UTC')}</dd>`,
    '</dl>',
    `<p class="note warning"><strong>${tx(lang, 'receipt.keep')}</strong></p>`,
    `<p>${tx(lang, 'receipt.no_contact')}</p>`,
    `<p class="note emergency"><strong>${tx(lang, 'page.emergency')}</strong></p>`,
    `<p><a${attr('href', `/?lang=${lang}`)}>${tx(lang, 'receipt.another')}</a></p>`,
    statusCheckForm(lang, String(opts.reference ?? ''), true),
    '</main>',
  ].join('\n');
  return document(lang, tx(lang, 'receipt.title'), body, { noindex: true });
}

/**
 * The status check form (reference and status token, posted to `/status`). The reference may be
 * prefilled; the token never is. The page's language travels in a hidden `language` field.
 */
function statusCheckForm(lang: Language, reference: string, withHeading: boolean): string {
  return [
    withHeading ? '<section class="status-check" aria-labelledby="status-check-title">' : '<section>',
    withHeading ? `<h2 id="status-check-title">${tx(lang, 'status.check.title')}</h2>` : '',
    `<p>${tx(lang, 'status.check.intro')}</p>`,
    '<form method="post" action="/status" accept-charset="UTF-8" id="status-check">',
    `<input type="hidden" name="language"${attr('value', lang)}>`,
    '<div class="field">',
    `<label for="check-reference">${tx(lang, 'receipt.reference')}</label>`,
    `<input type="text" id="check-reference" name="reference" required dir="ltr" spellcheck="false" autocapitalize="characters" autocomplete="off" maxlength="64"${attr('value', reference)}>`,
    '</div>',
    '<div class="field">',
    `<label for="check-token">${tx(lang, 'receipt.status_token')}</label>`,
    '<input type="text" id="check-token" name="token" required dir="ltr" spellcheck="false" autocapitalize="off" autocomplete="off" maxlength="128">',
    '</div>',
    `<p><button type="submit">${tx(lang, 'status.check.submit')}</button></p>`,
    '</form>',
    '</section>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** What the status page shows above its form. */
export type StatusPageResult =
  /** The report's public status (one of `REPORT_STATUS_KEYS`) and when it last changed. */
  | { kind: 'found'; status: string; updatedAt: string }
  /** Unknown reference or wrong token: one message for both. */
  | { kind: 'not_found' }
  /** Any other problem (rate limited, storage unavailable): already localised texts. */
  | { kind: 'error'; title: string; message: string };

function isReportStatus(status: unknown): status is (typeof REPORT_STATUS_KEYS)[number] {
  return typeof status === 'string' && (REPORT_STATUS_KEYS as readonly string[]).includes(status);
}

function problemBox(title: string, message: string): string {
  return [
    '<div class="errors" id="errors" role="alert" aria-labelledby="errors-title" tabindex="-1">',
    `<h2 id="errors-title">${escapeHtml(title)}</h2>`,
    `<p>${escapeHtml(message)}</p>`,
    '</div>',
  ].join('\n');
}

/**
 * `GET /status` (the empty check form) and the answer to `POST /status`: the report's public
 * status in words and when it last changed, or a problem. The token is never part of the page;
 * `reference` (prefilled in the form) is the one the API answered with, or what was typed.
 */
export function renderStatusPage(opts: { lang: Language; reference?: string; result?: StatusPageResult; timeZone?: string }): string {
  const lang = safeLanguage(opts.lang);
  const reference = typeof opts.reference === 'string' ? opts.reference : '';
  const result = opts.result;
  let answer = '';
  let title = tx(lang, 'status.check.title');
  if (result?.kind === 'found') {
    title = tx(lang, 'status.title');
    const known = isReportStatus(result.status) ? result.status : undefined;
    const word = known ? tx(lang, `status.${known}`) : escapeHtml(result.status);
    answer = [
      '<dl class="result" aria-live="polite">',
      `<dt>${tx(lang, 'receipt.reference')}</dt>`,
      `<dd><code dir="ltr" id="result-reference">${escapeHtml(reference)}</code></dd>`,
      `<dt>${tx(lang, 'status.current')}</dt>`,
      `<dd><strong class="status-word" id="status">${word}</strong></dd>`,
      known ? `<dd id="status-detail">${tx(lang, `status.${known}.detail`)}</dd>` : '',
      `<dt>${tx(lang, 'status.updated_at')}</dt>`,
      `<dd id="updated-at">${formatTime(lang, String(result.updatedAt ?? ''), opts.timeZone ?? 'UTC')}</dd>`,
      '</dl>',
    ]
      .filter((line) => line !== '')
      .join('\n');
  } else if (result?.kind === 'not_found') {
    answer = problemBox(t(lang, 'problem.not_found.title'), t(lang, 'problem.not_found.detail'));
  } else if (result?.kind === 'error') {
    answer = problemBox(String(result.title ?? ''), String(result.message ?? ''));
  }
  const found = result?.kind === 'found';
  const body = [
    '<header>',
    languageLinks(lang),
    `<h1>${title}</h1>`,
    '</header>',
    '<main>',
    answer,
    statusCheckForm(lang, reference, found),
    `<p><a${attr('href', `/?lang=${lang}`)}>${tx(lang, 'receipt.another')}</a></p>`,
    '</main>',
  ]
    .filter((line) => line !== '')
    .join('\n');
  return document(lang, title, body, { noindex: true });
}
