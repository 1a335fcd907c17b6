import { HotlineConfig } from '@hotline/config';
import { html, ProblemException, type SafeHtml } from '@hotline/http';
import { API_KEY_SCOPES, type ApiKeyRow } from '@hotline/persistence';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyDesk, ApiKeyDeskError } from '../../api-keys/api-key-desk';
import { CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { actorOf, StaffPrincipal } from '../../staff-access/staff-principal';
import { ct, formatDateTime, type ConsoleMessageKey } from '../i18n';
import { csrfField, errorSummary, notice, PAGE_TITLE_ID, type PageContext, pageContext, scrollableTable } from '../layout';
import { field, pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';

const KEY_ID = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException('resource_not_found') });
const LIST = '/admin/api-keys';

interface KeyForm {
  name: string;
  scopes: string[];
  dailyQuota: string;
}
type KeyProblem = { field: 'name' | 'scopes' | 'dailyQuota' | null; message: ConsoleMessageKey };

function keyFormOf(form: unknown): KeyForm {
  const raw = form && typeof form === 'object' ? (form as Record<string, unknown>).scopes : undefined;
  const scopes = (Array.isArray(raw) ? raw : [raw]).filter((s): s is string => typeof s === 'string').slice(0, 10);
  return { name: field(form, 'name', 200), scopes, dailyQuota: field(form, 'dailyQuota', 12).trim() };
}

/**
 * Organisations' API keys (admins): the list (prefixes only), a key made and shown this once on
 * the page that answers its form (no-store, never a redirect that could be reloaded or cached),
 * revocation after a confirmation.
 */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class ApiKeysPages {
  constructor(
    private readonly config: HotlineConfig,
    private readonly desk: ApiKeyDesk,
  ) {}

  @Get('admin/api-keys')
  @Requires('api-keys.manage')
  async list(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<string> {
    const ctx = pageContext(request, this.config);
    let said: SafeHtml | undefined;
    if (query.done === 'revoked' && typeof query.prefix === 'string' && /^[a-z2-7]{12}$/.test(query.prefix))
      said = notice(ct(ctx.lang, 'directory.keys.done.revoked', { prefix: query.prefix }));
    return this.page(reply, ctx, { said, form: { name: '', scopes: [], dailyQuota: '' }, problems: [] });
  }

  @Post('admin/api-keys')
  @HttpCode(200)
  @Requires('api-keys.manage')
  async create(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const values = keyFormOf(form);
    const quota = values.dailyQuota === '' ? null : /^\d{1,9}$/.test(values.dailyQuota) ? Number(values.dailyQuota) : NaN;
    try {
      const { row, key } = await this.desk.create({ name: values.name, scopes: values.scopes, dailyQuota: quota }, actorOf(staff));
      request.audited = true;
      return this.created(reply, ctx, row, key);
    } catch (error) {
      if (!(error instanceof ApiKeyDeskError)) throw error;
      const at = error.field ?? 'name';
      return this.page(reply, ctx, { form: values, problems: [{ field: at, message: `directory.keys.error.${at}` }] }, 400);
    }
  }

  @Post('admin/api-keys/:id/revoke')
  @HttpCode(200)
  @Requires('api-keys.manage')
  async revoke(
    @Param('id', KEY_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const empty = { name: '', scopes: [], dailyQuota: '' };
    if (field(form, 'confirm') !== 'yes') return this.page(reply, ctx, { form: empty, problems: [], refused: { id, message: 'directory.keys.error.confirm' } }, 400);
    try {
      const row = await this.desk.revoke(id, actorOf(staff));
      request.audited = true;
      return redirectTo(reply, `${LIST}?done=revoked&prefix=${row.prefix}#key-${row.id}`);
    } catch (error) {
      if (!(error instanceof ApiKeyDeskError)) throw error;
      if (error.kind === 'not_found') throw new ProblemException('resource_not_found');
      return this.page(reply, ctx, { form: empty, problems: [], refused: { id, message: 'directory.keys.error.revoked' } }, 409);
    }
  }

  /** The one page that ever shows the key. */
  private created(reply: FastifyReply, ctx: PageContext, row: ApiKeyRow, key: string): string {
    const t = (k: ConsoleMessageKey, params?: Record<string, string | number>) => ct(ctx.lang, k, params);
    const body = html`<section class="panel" aria-labelledby="key-created-title">
      <h2 id="key-created-title">${t('directory.keys.created.title', { name: row.name })}</h2>
      <p class="notice warn" role="status">${t('directory.keys.created.warning')}</p>
      <p><code class="public-key" id="new-api-key" dir="ltr">${key}</code></p>
      <p>
        <button type="button" class="secondary" data-copy="new-api-key" data-copy-status="new-api-key-copied" data-copied-text="${t('directory.keys.copied')}" hidden>
          ${t('directory.keys.copy')}
        </button>
        <span id="new-api-key-copied" role="status" class="help"></span>
      </p>
      <dl class="facts">
        <dt>${t('directory.keys.col.prefix')}</dt>
        <dd><code dir="ltr">${row.prefix}</code></dd>
        <dt>${t('directory.keys.col.scopes')}</dt>
        <dd>${row.scopes.map((s) => t(`directory.keys.scope.${s}`)).join(' · ')}</dd>
      </dl>
      <p><a href="${LIST}?key=${row.id}#key-${row.id}">${t('directory.keys.back')}</a></p>
    </section>`;
    return pageReply(reply, ctx, { title: t('directory.nav.apiKeys'), active: 'apiKeys', body });
  }

  private async page(
    reply: FastifyReply,
    ctx: PageContext,
    state: { said?: SafeHtml; form: KeyForm; problems: KeyProblem[]; refused?: { id: string; message: ConsoleMessageKey } },
    status = 200,
  ): Promise<string> {
    const { lang } = ctx;
    const t = (k: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, k, params);
    const keys = await this.desk.list();
    const summary = [
      ...state.problems.map((p) => ({ field: p.field ? `key-new-${p.field}` : undefined, message: t(p.message) })),
      ...(state.refused ? [{ field: `key-${state.refused.id}-confirm`, message: t(state.refused.message) }] : []),
    ];
    const problemOf = (name: KeyProblem['field']) => state.problems.find((p) => p.field === name);
    const fieldError = (name: 'name' | 'scopes' | 'dailyQuota') => {
      const p = problemOf(name);
      return p ? html`<p class="field-error" id="key-new-${name}-error">${t(p.message)}</p>` : '';
    };
    const invalid = (name: 'name' | 'scopes' | 'dailyQuota') => (problemOf(name) ? html`aria-invalid="true" aria-describedby="key-new-${name}-error"` : '');
    const body = html`${state.said ?? ''} ${errorSummary(ctx, summary)}
      <p>${t('directory.keys.intro')}</p>
      ${keys.length === 0 ? html`<p class="panel">${t('directory.keys.none')}</p>` : keysTable(ctx, keys, state.refused)}
      <section class="panel" aria-labelledby="key-new-title">
        <h2 id="key-new-title">${t('directory.keys.create.title')}</h2>
        <form method="post" action="${LIST}" novalidate>
          ${csrfField(ctx)}
          <div class="field ${problemOf('name') ? 'invalid' : ''}">
            <label for="key-new-name">${t('directory.keys.field.name')}</label>
            ${fieldError('name')}
            <input type="text" id="key-new-name" name="name" value="${state.form.name}" maxlength="100" autocomplete="off" dir="auto" ${invalid('name')} />
          </div>
          <fieldset id="key-new-scopes" class="${problemOf('scopes') ? 'invalid' : ''}" ${problemOf('scopes') ? html`aria-describedby="key-new-scopes-error"` : ''}>
            <legend>${t('directory.keys.field.scopes')}</legend>
            ${fieldError('scopes')}
            ${API_KEY_SCOPES.map(
              (scope) =>
                html`<label class="choice" for="key-new-scope-${scope}">
                  <input type="checkbox" id="key-new-scope-${scope}" name="scopes" value="${scope}" ${state.form.scopes.includes(scope) ? html` checked` : ''} />
                  ${t(`directory.keys.scope.${scope}`)} <code dir="ltr">${scope}</code>
                </label>`,
            )}
          </fieldset>
          <div class="field ${problemOf('dailyQuota') ? 'invalid' : ''}">
            <label for="key-new-dailyQuota">${t('directory.keys.field.dailyQuota')}</label>
            ${fieldError('dailyQuota')}
            <input
              type="text"
              id="key-new-dailyQuota"
              name="dailyQuota"
              value="${state.form.dailyQuota}"
              maxlength="9"
              inputmode="numeric"
              autocomplete="off"
              dir="ltr"
              ${invalid('dailyQuota')}
            />
          </div>
          <div class="actions"><button type="submit">${t('directory.keys.create.submit')}</button></div>
        </form>
      </section>`;
    return pageReply(reply, ctx, { title: t('directory.nav.apiKeys'), active: 'apiKeys', body }, status);
  }
}

function keysTable(ctx: PageContext, keys: readonly ApiKeyRow[], refused: { id: string; message: ConsoleMessageKey } | undefined): SafeHtml {
  const { lang } = ctx;
  const t = (k: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, k, params);
  return scrollableTable(
    PAGE_TITLE_ID,
    html`<table class="api-keys">
      <thead>
        <tr>
          <th scope="col">${t('directory.keys.col.name')}</th>
          <th scope="col">${t('directory.keys.col.prefix')}</th>
          <th scope="col">${t('directory.keys.col.scopes')}</th>
          <th scope="col">${t('directory.keys.col.quota')}</th>
          <th scope="col">${t('directory.keys.col.created')}</th>
          <th scope="col">${t('directory.keys.col.lastUsed')}</th>
          <th scope="col">${t('directory.keys.col.status')}</th>
        </tr>
      </thead>
      <tbody>
        ${keys.map((key) => {
          const problem = refused?.id === key.id ? t(refused.message) : null;
          const id = `key-${key.id}`;
          return html`<tr id="${id}">
            <th scope="row" dir="auto">${key.name}</th>
            <td><code dir="ltr">${key.prefix}</code></td>
            <td>${key.scopes.map((s) => html`<code dir="ltr">${s}</code> `)}</td>
            <td>${key.scopes.includes('bulk_reports') ? (key.daily_quota ?? t('directory.keys.defaultQuota', { quota: ctx.config.bulkDailyQuota })) : '—'}</td>
            <td>${formatDateTime(lang, key.created_at)}</td>
            <td>${key.last_used_at ? formatDateTime(lang, key.last_used_at) : t('directory.keys.never')}</td>
            <td>
              ${
                key.revoked_at
                  ? t('directory.keys.revoked', { time: formatDateTime(lang, key.revoked_at) })
                  : html`${t('directory.keys.live')}
                      <form method="post" action="${LIST}/${key.id}/revoke" class="${problem ? 'invalid' : ''}">
                        ${csrfField(ctx)} ${problem ? html`<p class="field-error" id="${id}-confirm-error">${problem}</p>` : ''}
                        <label class="choice" for="${id}-confirm">
                          <input
                            type="checkbox"
                            id="${id}-confirm"
                            name="confirm"
                            value="yes"
                            ${problem ? html`aria-invalid="true" aria-describedby="${id}-confirm-error"` : ''}
                          />
                          ${t('directory.keys.revoke.confirm', { name: key.name })}
                        </label>
                        <button type="submit" class="danger">${t('directory.keys.revoke.submit')}</button>
                      </form>`
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>`,
  );
}
