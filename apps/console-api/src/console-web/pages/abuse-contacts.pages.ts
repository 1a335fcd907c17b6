import { HotlineConfig } from '@hotline/config';
import { ABUSE_CONTACT_CSV_COLUMNS, ABUSE_CONTACT_LANGUAGES, parseAbuseContactsCsv } from '@hotline/enrichment';
import { html, intlLocale, ProblemException, type SafeHtml } from '@hotline/http';
import type { AbuseContactRow } from '@hotline/persistence';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AbuseContactDirectory, AbuseContactDirectoryError, decodeAbuseContactCursor, MAX_ABUSE_CONTACT_QUERY } from '../../abuse-contacts/abuse-contact-directory';
import { CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { actorOf, StaffPrincipal } from '../../staff-access/staff-principal';
import { ct, type ConsoleLanguage, type ConsoleMessageKey } from '../i18n';
import { csrfField, errorSummary, notice, PAGE_TITLE_ID, type PageContext, pageContext, scrollableTable } from '../layout';
import { field, pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';
import {
  CONTACT_FIELDS,
  contactFormOf,
  contactFormOfRow,
  type ContactFormProblem,
  type ContactFormValues,
  contactProblemOf,
  EMPTY_CONTACT_FORM,
  rawContactOf,
  takenProblem,
} from './abuse-contact-form';

const CONTACT_ID = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException('resource_not_found') });
const LIST = '/admin/abuse-contacts';
/** The CSV a page form carries: under the body limit of a form (64 KB) with room for the rest of it. */
const MAX_PASTED_CSV = 60_000;
const MAX_LINES_SHOWN = 50;

const DONE = {
  added: 'directory.contacts.done.added',
  saved: 'directory.contacts.done.saved',
  deleted: 'directory.contacts.done.deleted',
  imported: 'directory.contacts.done.imported',
} as const satisfies Record<string, ConsoleMessageKey>;

interface ListState {
  said?: SafeHtml;
  add: { values: ContactFormValues; problems: ContactFormProblem[] };
  importing?: { csv: string; problems: { message: string }[] };
}

/** The abuse-contact directory's pages (admins): list and search, add, edit, delete, CSV import. */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class AbuseContactsPages {
  constructor(
    private readonly config: HotlineConfig,
    private readonly directory: AbuseContactDirectory,
  ) {}

  @Get('admin/abuse-contacts')
  @Requires('abuse-contacts.manage')
  async list(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<string> {
    const ctx = pageContext(request, this.config);
    return this.listPage(reply, ctx, query, { said: await this.said(ctx, query), add: { values: EMPTY_CONTACT_FORM, problems: [] } });
  }

  @Post('admin/abuse-contacts')
  @HttpCode(200)
  @Requires('abuse-contacts.manage')
  async add(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const values = contactFormOf(form);
    try {
      const row = await this.directory.create(rawContactOf(values), actorOf(staff));
      request.audited = true;
      return redirectTo(reply, `${LIST}?done=added&id=${row.id}#contact-${row.id}`);
    } catch (error) {
      const problems = problemsOf(error);
      return this.listPage(reply, pageContext(request, this.config), {}, { add: { values, problems } }, problems.some(isTaken) ? 409 : 400);
    }
  }

  @Post('admin/abuse-contacts/import')
  @HttpCode(200)
  @Requires('abuse-contacts.manage')
  async import(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const csv = field(form, 'csv', MAX_PASTED_CSV);
    const { contacts, errors } = parseAbuseContactsCsv(csv);
    const problems: { message: string }[] =
      csv.trim() === ''
        ? [{ message: ct(ctx.lang, 'directory.contacts.error.import.empty') }]
        : errors.slice(0, MAX_LINES_SHOWN).map((e) => ({ message: ct(ctx.lang, 'directory.contacts.import.line', { line: e.line, message: lineMessage(ctx.lang, e) }) }));
    if (errors.length > MAX_LINES_SHOWN) problems.push({ message: ct(ctx.lang, 'directory.contacts.import.more', { count: errors.length - MAX_LINES_SHOWN }) });
    if (problems.length === 0 && contacts.length === 0) problems.push({ message: ct(ctx.lang, 'directory.contacts.error.import.empty') });
    if (problems.length > 0) return this.listPage(reply, ctx, {}, { add: { values: EMPTY_CONTACT_FORM, problems: [] }, importing: { csv, problems } }, 400);
    const counts = await this.directory.import(
      contacts.map((c) => c.contact),
      'csv',
      actorOf(staff),
      { via: 'console', lines: contacts.length },
    );
    request.audited = true;
    return redirectTo(reply, `${LIST}?done=imported&created=${counts.created}&updated=${counts.updated}`);
  }

  @Get('admin/abuse-contacts/:id')
  @Requires('abuse-contacts.manage')
  async edit(@Param('id', CONTACT_ID) id: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const row = await this.existing(id);
    return this.editPage(reply, pageContext(request, this.config), row, contactFormOfRow(row), []);
  }

  @Post('admin/abuse-contacts/:id')
  @HttpCode(200)
  @Requires('abuse-contacts.manage')
  async save(
    @Param('id', CONTACT_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const row = await this.existing(id);
    const values = contactFormOf(form);
    try {
      await this.directory.update(id, rawContactOf(values), actorOf(staff));
      request.audited = true;
      return redirectTo(reply, `${LIST}?done=saved&id=${id}#contact-${id}`);
    } catch (error) {
      if (error instanceof AbuseContactDirectoryError && error.kind === 'not_found') throw new ProblemException('resource_not_found');
      const problems = problemsOf(error);
      return this.editPage(reply, pageContext(request, this.config), row, values, problems, problems.some(isTaken) ? 409 : 400);
    }
  }

  @Post('admin/abuse-contacts/:id/delete')
  @HttpCode(200)
  @Requires('abuse-contacts.manage')
  async delete(
    @Param('id', CONTACT_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const row = await this.existing(id);
    if (field(form, 'confirm') !== 'yes') {
      return this.editPage(reply, pageContext(request, this.config), row, contactFormOfRow(row), [], 400, 'directory.contacts.error.confirm');
    }
    try {
      await this.directory.delete(id, actorOf(staff));
    } catch (error) {
      if (error instanceof AbuseContactDirectoryError && error.kind === 'not_found') throw new ProblemException('resource_not_found');
      throw error;
    }
    request.audited = true;
    return redirectTo(reply, `${LIST}?done=deleted`);
  }

  private async existing(id: string): Promise<AbuseContactRow> {
    const row = await this.directory.get(id);
    if (!row) throw new ProblemException('resource_not_found');
    return row;
  }

  /** What the list says after a change sent the browser to it (`done`, the contact's id or the import's counts). */
  private async said(ctx: PageContext, query: Record<string, unknown>): Promise<SafeHtml | undefined> {
    const done = typeof query.done === 'string' && Object.hasOwn(DONE, query.done) ? (query.done as keyof typeof DONE) : null;
    if (done === 'deleted') return notice(ct(ctx.lang, DONE.deleted));
    if (done === 'imported') {
      const count = (value: unknown) => (typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : 0);
      return notice(ct(ctx.lang, DONE.imported, { created: count(query.created), updated: count(query.updated) }));
    }
    if (!done || typeof query.id !== 'string' || !/^[0-9a-f-]{36}$/.test(query.id)) return undefined;
    const row = await this.directory.get(query.id);
    return row ? notice(ct(ctx.lang, DONE[done], { organisation: row.organisation })) : undefined;
  }

  private async listPage(reply: FastifyReply, ctx: PageContext, query: Record<string, unknown>, state: ListState, status = 200): Promise<string> {
    const { lang } = ctx;
    const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
    const q = typeof query.q === 'string' ? query.q.slice(0, MAX_ABUSE_CONTACT_QUERY) : '';
    const cursor = typeof query.cursor === 'string' ? (decodeAbuseContactCursor(query.cursor) ?? null) : null;
    const page = await this.directory.page({ text: q, cursor });
    const addProblems = state.add.problems.map((p) => ({ field: p.field ? `contact-new-${p.field}` : undefined, message: t(p.message, p.params) }));
    const importProblems = (state.importing?.problems ?? []).map((p) => ({ field: 'contact-import-csv', message: p.message }));
    const next = page.nextCursor ? `${LIST}?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor })}` : null;
    const body = html`${state.said ?? ''} ${errorSummary(ctx, [...addProblems, ...importProblems])}
      <p>${t('directory.contacts.intro')}</p>
      <form method="get" action="${LIST}" class="panel search" role="search">
        <label for="contact-q">${t('directory.contacts.search')}</label>
        <p class="help" id="contact-q-help">${t('directory.contacts.searchHelp')}</p>
        <input type="search" id="contact-q" name="q" value="${q}" maxlength="${MAX_ABUSE_CONTACT_QUERY}" aria-describedby="contact-q-help" dir="auto" />
        <div class="actions"><button type="submit" class="secondary">${t('directory.contacts.search')}</button></div>
      </form>
      ${page.contacts.length === 0 ? html`<p class="panel">${t('directory.contacts.none')}</p>` : contactsTable(ctx, page.contacts)}
      ${next ? html`<p><a href="${next}" rel="next">${t('directory.contacts.next')}</a></p>` : ''}
      <section class="panel" aria-labelledby="contact-new-title">
        <h2 id="contact-new-title">${t('directory.contacts.add.title')}</h2>
        <form method="post" action="${LIST}" novalidate>
          ${csrfField(ctx)} ${contactFields(ctx, 'contact-new', state.add.values, state.add.problems)}
          <div class="actions"><button type="submit">${t('directory.contacts.add.submit')}</button></div>
        </form>
      </section>
      ${importForm(ctx, state.importing)}`;
    return pageReply(reply, ctx, { title: t('directory.nav.abuseContacts'), active: 'abuseContacts', body }, status);
  }

  private editPage(
    reply: FastifyReply,
    ctx: PageContext,
    row: AbuseContactRow,
    values: ContactFormValues,
    problems: ContactFormProblem[],
    status = 200,
    confirmProblem?: ConsoleMessageKey,
  ): string {
    const { lang } = ctx;
    const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
    const summary = [
      ...problems.map((p) => ({ field: p.field ? `contact-edit-${p.field}` : undefined, message: t(p.message, p.params) })),
      ...(confirmProblem ? [{ field: 'contact-delete-confirm', message: t(confirmProblem) }] : []),
    ];
    const body = html`${errorSummary(ctx, summary)}
      <p><a href="${LIST}">${t('directory.contacts.edit.back')}</a></p>
      <section class="panel" aria-labelledby="contact-edit-title">
        <h2 id="contact-edit-title"><code dir="ltr">${row.domain ?? `AS${row.asn}`}</code></h2>
        <form method="post" action="${LIST}/${row.id}" novalidate>
          ${csrfField(ctx)} ${contactFields(ctx, 'contact-edit', values, problems)}
          <div class="actions"><button type="submit">${t('directory.contacts.edit.submit')}</button></div>
        </form>
      </section>
      <section class="panel">
        <form method="post" action="${LIST}/${row.id}/delete" class="${confirmProblem ? 'invalid' : ''}">
          ${csrfField(ctx)} ${confirmProblem ? html`<p class="field-error" id="contact-delete-confirm-error">${t(confirmProblem)}</p>` : ''}
          <label class="choice" for="contact-delete-confirm">
            <input
              type="checkbox"
              id="contact-delete-confirm"
              name="confirm"
              value="yes"
              ${confirmProblem ? html`aria-invalid="true" aria-describedby="contact-delete-confirm-error"` : ''}
            />
            ${t('directory.contacts.delete.confirm', { organisation: row.organisation })}
          </label>
          <div class="actions"><button type="submit" class="danger">${t('directory.contacts.delete.submit')}</button></div>
        </form>
      </section>`;
    return pageReply(reply, ctx, { title: t('directory.contacts.edit.title', { organisation: row.organisation }), active: 'abuseContacts', body }, status);
  }
}

function isTaken(problem: ContactFormProblem): boolean {
  return problem.message === 'directory.contacts.error.taken.domain' || problem.message === 'directory.contacts.error.taken.asn';
}

function problemsOf(error: unknown): ContactFormProblem[] {
  if (!(error instanceof AbuseContactDirectoryError) || error.kind === 'not_found') throw error;
  if (error.kind === 'taken') return [takenProblem(error.field ?? 'domain')];
  return error.problems.map(contactProblemOf);
}

/** A bad line of a pasted file, in the user's language where the parser named the problem, else its own (English) words. */
function lineMessage(lang: ConsoleLanguage, error: { message: string; problems?: readonly Parameters<typeof contactProblemOf>[0][] }): string {
  if (!error.problems) return error.message;
  return error.problems
    .map((problem) => {
      const p = contactProblemOf(problem);
      return `${ct(lang, `directory.contacts.field.${problem.field}` as ConsoleMessageKey)}: ${ct(lang, p.message, p.params)}`;
    })
    .join(' ');
}

function languageName(lang: ConsoleLanguage, code: string): string {
  try {
    return new Intl.DisplayNames([intlLocale(lang)], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

function contactsTable(ctx: PageContext, contacts: readonly AbuseContactRow[]): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey) => ct(lang, key);
  return scrollableTable(
    PAGE_TITLE_ID,
    html`<table class="abuse-contacts">
      <thead>
        <tr>
          <th scope="col">${t('directory.contacts.col.organisation')}</th>
          <th scope="col">${t('directory.contacts.col.scope')}</th>
          <th scope="col">${t('directory.contacts.col.email')}</th>
          <th scope="col">${t('directory.contacts.col.language')}</th>
          <th scope="col">${t('directory.contacts.col.source')}</th>
          <th scope="col">${t('directory.contacts.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        ${contacts.map(
          (c) =>
            html`<tr id="contact-${c.id}">
              <th scope="row" dir="auto">${c.organisation}</th>
              <td><code dir="ltr">${c.domain ?? `AS${c.asn}`}</code></td>
              <td><code dir="ltr">${c.email}</code></td>
              <td>${languageName(lang, c.language)}</td>
              <td>${t(`directory.contacts.source.${c.source}`)}</td>
              <td><a href="${LIST}/${c.id}" aria-label="${t('directory.contacts.edit')}: ${c.organisation}">${t('directory.contacts.edit')}</a></td>
            </tr>`,
        )}
      </tbody>
    </table>`,
  );
}

function contactFields(ctx: PageContext, prefix: string, values: ContactFormValues, problems: readonly ContactFormProblem[]): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
  return html`${CONTACT_FIELDS.map((name) => {
    const id = `${prefix}-${name}`;
    const mine = problems.filter((p) => p.field === name);
    const help = name === 'domain' || name === 'asn' ? html`<p class="help" id="${id}-help">${t(`directory.contacts.help.${name}`)}</p>` : '';
    const describedBy = [...(help ? [`${id}-help`] : []), ...(mine.length > 0 ? [`${id}-error`] : [])].join(' ');
    const common = html`id="${id}" name="${name}" ${describedBy ? html`aria-describedby="${describedBy}"` : ''} ${mine.length > 0 ? html`aria-invalid="true"` : ''}`;
    const control =
      name === 'language'
        ? html`<select ${common}>
            ${ABUSE_CONTACT_LANGUAGES.map((code) => html`<option value="${code}" ${code === values.language ? html` selected` : ''}>${languageName(lang, code)} (${code})</option>`)}
          </select>`
        : name === 'note'
          ? html`<textarea ${common} rows="2" maxlength="1000" dir="auto">${values.note}</textarea>`
          : html`<input
              type="${name === 'email' ? 'email' : 'text'}"
              ${common}
              value="${values[name]}"
              maxlength="${name === 'organisation' ? 200 : name === 'asn' ? 12 : 254}"
              autocomplete="off"
              spellcheck="false"
              dir="${name === 'organisation' ? 'auto' : 'ltr'}"
              ${name === 'asn' ? html`inputmode="numeric"` : ''}
            />`;
    return html`<div class="field ${mine.length > 0 ? 'invalid' : ''}">
      <label for="${id}">${t(`directory.contacts.field.${name}`)}</label>
      ${help} ${mine.length > 0 ? html`<p class="field-error" id="${id}-error">${mine.map((p) => t(p.message, p.params)).join(' ')}</p>` : ''} ${control}
    </div>`;
  })}`;
}

function importForm(ctx: PageContext, importing: ListState['importing']): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey) => ct(lang, key);
  const invalid = (importing?.problems.length ?? 0) > 0;
  return html`<section class="panel" aria-labelledby="contact-import-title">
    <h2 id="contact-import-title">${t('directory.contacts.import.title')}</h2>
    <form method="post" action="${LIST}/import" novalidate class="${invalid ? 'invalid' : ''}">
      ${csrfField(ctx)}
      <div class="field ${invalid ? 'invalid' : ''}">
        <label for="contact-import-csv">${t('directory.contacts.import.label')}</label>
        <p class="help" id="contact-import-csv-help">
          ${t('directory.contacts.import.help')}
          <code dir="ltr">${ABUSE_CONTACT_CSV_COLUMNS.map((name, i) => html`${i > 0 ? html`,<wbr />` : ''}${name}`)}</code>
        </p>
        ${
          invalid
            ? html`<ul class="field-error" id="contact-import-csv-error">
                ${importing!.problems.map((p) => html`<li>${p.message}</li>`)}
              </ul>`
            : ''
        }
        <textarea
          id="contact-import-csv"
          name="csv"
          rows="8"
          dir="ltr"
          spellcheck="false"
          maxlength="${MAX_PASTED_CSV}"
          aria-describedby="contact-import-csv-help${invalid ? ' contact-import-csv-error' : ''}"
          ${invalid ? html`aria-invalid="true"` : ''}
        >
${importing?.csv ?? ''}</textarea>
      </div>
      <div class="actions"><button type="submit">${t('directory.contacts.import.submit')}</button></div>
    </form>
  </section>`;
}
