import type { HotlineConfig } from '@hotline/config';
import { html, type HtmlValue, SafeHtml } from '@hotline/http';
import { allows, type Permission } from '@hotline/security';
import type { FastifyRequest } from 'fastify';
import type { StaffPrincipal } from '../staff-access/staff-principal';
import { ASSET_PATHS } from './assets';
import { CONSOLE_LANGUAGES, consoleDirection, consoleLanguage, consoleLanguageName, ct, formatTime, type ConsoleLanguage, type ConsoleMessageKey } from './i18n';
import { CSRF_FIELD, csrfToken } from './session-cookie';

/**
 * Every console page's Content-Security-Policy: scripts and styles only from this origin (no
 * inline script), fetches only to this origin, forms only to it, never framed. Images only from
 * data: (the empty favicon), so not even a stray <img> of a reported URL could load.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** What every page knows of its request: the language, who is signed in and their CSRF token. */
export interface PageContext {
  lang: ConsoleLanguage;
  staff: StaffPrincipal | null;
  csrf: string | null;
  now: Date;
  config: HotlineConfig;
  /** This page's path, to come back to after changing the language (a form's answer has none). */
  path: string;
}

export function pageContext(request: FastifyRequest, config: HotlineConfig): PageContext {
  const staff = request.staff ?? null;
  const query = (request.query ?? {}) as Record<string, unknown>;
  return {
    lang: consoleLanguage(staff?.language, query.lang, request.headers['accept-language']),
    staff,
    csrf: staff ? csrfToken(config.tokenSigningKey, staff.sessionId) : null,
    now: new Date(),
    config,
    path: request.method === 'GET' ? request.url : '/',
  };
}

/** A key of the page and what it does, shown in the `?` overlay (and on its button as <kbd>). */
export interface Shortcut {
  key: string;
  label: string;
}

export type NavKey =
  'home' | 'queues' | 'review' | 'users' | 'routing' | 'partners' | 'deadLetters' | 'escalations' | 'abuseContacts' | 'apiKeys' | 'stats' | 'auditVerify';

interface NavItem {
  key: NavKey;
  href: string;
  label: ConsoleMessageKey;
  permission: Permission;
}

const NAV: readonly NavItem[] = [
  { key: 'queues', href: '/queues', label: 'nav.queues', permission: 'queues.read' },
  { key: 'review', href: '/review', label: 'nav.review', permission: 'cases.review' },
  { key: 'escalations', href: '/escalations', label: 'le.nav.escalations', permission: 'escalations.read' },
  { key: 'users', href: '/admin/users', label: 'nav.users', permission: 'users.manage' },
  { key: 'routing', href: '/admin/routing', label: 'nav.routing', permission: 'routing.manage' },
  { key: 'partners', href: '/admin/partners', label: 'nav.partners', permission: 'partners.manage' },
  { key: 'deadLetters', href: '/admin/dead-letters', label: 'nav.deadLetters', permission: 'dead-letters.manage' },
  { key: 'abuseContacts', href: '/admin/abuse-contacts', label: 'directory.nav.abuseContacts', permission: 'abuse-contacts.manage' },
  { key: 'apiKeys', href: '/admin/api-keys', label: 'directory.nav.apiKeys', permission: 'api-keys.manage' },
  { key: 'stats', href: '/stats', label: 'stats.nav', permission: 'stats.read' },
  { key: 'auditVerify', href: '/audit/verify', label: 'stats.nav.audit', permission: 'audit.verify' },
];

/** The pages of the navigation this user's role may open, in order. */
export function navFor(staff: StaffPrincipal): readonly NavItem[] {
  return NAV.filter((item) => allows(staff.role, item.permission));
}

/** The hidden CSRF field every form of a signed-in page carries. */
export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf ?? ''}" />`;
}

/** The id of every page's <h1> (its title), for what the whole page is about, such as its one table. */
export const PAGE_TITLE_ID = 'page-title';

/** A table that may scroll sideways (some fonts, some languages) must take the keyboard focus to be scrolled: WCAG 2.1.1, axe scrollable-region-focusable. */
export function scrollableTable(labelledBy: string, table: SafeHtml, attributes: SafeHtml = html``): SafeHtml {
  return html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="${labelledBy}" ${attributes}>${table}</div>`;
}

/** A key shown on its button: `<kbd>`, hidden from screen readers (aria-keyshortcuts says it). */
export function kbd(key: string): SafeHtml {
  return html`<kbd class="key" aria-hidden="true">${key}</kbd>`;
}

export interface PageOptions {
  title: string;
  body: HtmlValue;
  active?: NavKey;
  shortcuts?: readonly Shortcut[];
  /** Extra attributes of <main>, for the page's script (data-*). */
  mainData?: Readonly<Record<string, string>>;
  /** False on a page a link cannot come back to (the enrolment page answers a form): no language links. */
  languageLinks?: false;
}

/** A whole console page. Signed out (sign-in, enrolment), it has no navigation. */
export function renderPage(ctx: PageContext, options: PageOptions): string {
  const { lang, staff } = ctx;
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
  const dataAttrs = Object.entries(options.mainData ?? {}).map(([name, value]) => html` data-${name}="${value}"`);
  const page = html`<!doctype html>
    <html lang="${lang}" dir="${consoleDirection(lang)}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.title} · ${t('app.name')}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="${ASSET_PATHS.css}" />
        <script src="${ASSET_PATHS.js}" defer></script>
        ${ctx.csrf ? html`<meta name="csrf-token" content="${ctx.csrf}" />` : ''}
      </head>
      <body>
        <a class="skip" href="#main">${t('nav.skip')}</a>
        <header class="top">
          <div class="top-row">
            <a class="brand" href="/">${t('app.name')}</a>
            ${staff ? sessionBlock(ctx) : options.languageLinks === false ? '' : languageLinks(ctx)}
          </div>
          ${staff && !staff.passwordChangeRequired ? navBlock(ctx, options.active) : ''}
        </header>
        <main id="main" tabindex="-1" ${dataAttrs}>
          <h1 id="${PAGE_TITLE_ID}">${options.title}</h1>
          ${accountNotice(ctx)} ${options.body}
        </main>
        ${shortcutsDialog(ctx, options.shortcuts ?? [])}
      </body>
    </html> `;
  return page.toString();
}

function navBlock(ctx: PageContext, active: NavKey | undefined): SafeHtml {
  const items = navFor(ctx.staff!);
  const dashboard = allows(ctx.staff!.role, 'queue-dashboard.use') && ctx.config.bullBoardEnabled;
  return html`<nav aria-label="${ct(ctx.lang, 'nav.label')}">
    <ul class="nav">
      ${items.map((item) => html`<li><a href="${item.href}" ${item.key === active ? html` aria-current="page"` : ''}>${ct(ctx.lang, item.label)}</a></li>`)}
      ${dashboard ? html`<li><a href="/admin/queues">${ct(ctx.lang, 'nav.queueDashboard')}</a></li>` : ''}
    </ul>
  </nav>`;
}

function sessionBlock(ctx: PageContext): SafeHtml {
  const { lang, staff } = ctx;
  const expires = staff!.sessionExpiresAt;
  return html`<div class="session">
    <p class="who">${ct(lang, 'session.who', { email: staff!.email, role: ct(lang, `role.${staff!.role}` as ConsoleMessageKey) })}</p>
    <p class="lapse" id="session-lapse" data-session-expires="${expires.toISOString()}">${lapseText(ctx, expires)}</p>
    <form method="post" action="/me/language" class="inline">
      ${csrfField(ctx)}<input type="hidden" name="back" value="${ctx.path}" />
      <label for="console-language">${ct(lang, 'language.label')}</label>
      <select id="console-language" name="language">
        ${CONSOLE_LANGUAGES.map((code) => html`<option value="${code}" ${code === lang ? html` selected` : ''} lang="${code}">${consoleLanguageName(code)}</option>`)}
      </select>
      <button type="submit" class="secondary">${ct(lang, 'language.save')}</button>
    </form>
    <a href="/me/password" ${ctx.path.split('?')[0] === '/me/password' ? html` aria-current="page"` : ''}>${ct(lang, 'account.password.link')}</a>
    <form method="post" action="/logout" class="inline" data-leaves-case>
      ${csrfField(ctx)}<button type="submit" class="secondary">${ct(lang, 'session.signOut')}</button>
    </form>
    <form method="post" action="/logout-everywhere" class="inline" data-leaves-case>
      ${csrfField(ctx)}<button type="submit" class="secondary">${ct(lang, 'session.signOutEverywhere')}</button>
    </form>
    <p class="hint">${ct(lang, 'shortcuts.hint')}</p>
  </div>`;
}

/**
 * What a page says after a change to one's own account sent the browser to it
 * (`?account=<what>`; the start page passes it on to where a role starts).
 */
export const ACCOUNT_NOTICES = { 'password-changed': 'account.password.changed' } as const satisfies Record<string, ConsoleMessageKey>;

export function isAccountNotice(value: unknown): value is keyof typeof ACCOUNT_NOTICES {
  return typeof value === 'string' && Object.hasOwn(ACCOUNT_NOTICES, value);
}

function accountNotice(ctx: PageContext): SafeHtml {
  const said = new URL(ctx.path, 'http://console.invalid').searchParams.get('account');
  return isAccountNotice(said) ? notice(ct(ctx.lang, ACCOUNT_NOTICES[said])) : html``;
}

/** This page's address in another language, keeping its other parameters (the sign-in page's `next`). */
function withLanguage(path: string, lang: ConsoleLanguage): string {
  const url = new URL(path, 'http://console.invalid');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

/** "If idle, the session ends at <time>", the time in its own element for the script to update. */
function lapseText(ctx: PageContext, expires: Date): SafeHtml {
  const MARK = '\u0000';
  const [before, after] = ct(ctx.lang, 'session.endsAt', { time: MARK }).split(MARK);
  return html`${before}<span id="session-lapse-time">${formatTime(ctx.lang, expires)}</span>${after}`;
}

function languageLinks(ctx: PageContext): SafeHtml {
  return html`<ul class="langs" aria-label="${ct(ctx.lang, 'language.label')}">
    ${CONSOLE_LANGUAGES.map((code) =>
      code === ctx.lang
        ? html`<li><span aria-current="true" lang="${code}">${consoleLanguageName(code)}</span></li>`
        : html`<li><a href="${withLanguage(ctx.path, code)}" lang="${code}" hreflang="${code}">${consoleLanguageName(code)}</a></li>`,
    )}
  </ul>`;
}

function shortcutsDialog(ctx: PageContext, shortcuts: readonly Shortcut[]): SafeHtml {
  const { lang } = ctx;
  const all: Shortcut[] = [...shortcuts, { key: '?', label: ct(lang, 'shortcuts.help') }, { key: 'Esc', label: ct(lang, 'shortcuts.escape') }];
  return html`<dialog id="shortcuts" aria-labelledby="shortcuts-title">
    <h2 id="shortcuts-title">${ct(lang, 'shortcuts.title')}</h2>
    ${shortcuts.length === 0 ? html`<p>${ct(lang, 'shortcuts.none')}</p>` : ''}
    <dl class="shortcut-list">
      ${all.map(
        (s) =>
          html`<div>
            <dt><kbd>${s.key}</kbd></dt>
            <dd>${s.label}</dd>
          </div>`,
      )}
    </dl>
    <form method="dialog"><button type="submit" class="secondary" autofocus>${ct(lang, 'shortcuts.close')}</button></form>
  </dialog>`;
}

/** A list of problems at the top of a form, announced when the page loads. */
export function errorSummary(ctx: PageContext, problems: readonly { field?: string; message: string }[]): SafeHtml {
  if (problems.length === 0) return html``;
  return html`<div class="errors" role="alert" tabindex="-1" id="errors">
    <h2>${ct(ctx.lang, 'common.errorsTitle')}</h2>
    <ul>
      ${problems.map((p) => (p.field ? html`<li><a href="#${p.field}">${p.message}</a></li>` : html`<li>${p.message}</li>`))}
    </ul>
  </div>`;
}

/** A message after an action ("Done."), announced politely. */
export function notice(text: string | null | undefined, kind: 'ok' | 'warn' = 'ok'): SafeHtml {
  return text ? html`<p class="notice ${kind}" role="status">${text}</p>` : html``;
}
