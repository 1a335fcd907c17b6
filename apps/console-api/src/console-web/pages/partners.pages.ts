import { HotlineConfig } from '@hotline/config';
import { type Partner, PartnerDirectory, PartnerDirectoryError, PARTNER_NAME } from '@hotline/exchange';
import { html, ProblemException, type SafeHtml } from '@hotline/http';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { actorOf, StaffPrincipal } from '../../staff-access/staff-principal';
import { ct, formatDateTime, type ConsoleMessageKey } from '../i18n';
import { csrfField, errorSummary, kbd, notice, type PageContext, pageContext } from '../layout';
import { field, pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';
import {
  EMPTY_PARTNER_FORM,
  newPartnerOf,
  PARTNER_FIELDS,
  partnerFormOf,
  partnerFormProblems,
  type PartnerFormValues,
  type PartnerProblem,
  partnerProblemOf,
} from './partner-form';

/** What the page says after a change (post/redirect/get): `?done=<what>&partner=<name>`. */
const DONE: Record<string, ConsoleMessageKey> = {
  added: 'admin.partners.done.added',
  disabled: 'admin.partners.done.disabled',
  rotated: 'admin.partners.done.rotated',
  activated: 'admin.partners.done.activated',
  keySet: 'admin.partners.done.keySet',
};

/** The page as it is drawn: the add form as typed, or one partner's form with its problem. */
interface PartnersPageState {
  said?: SafeHtml;
  add: { values: PartnerFormValues; problems: readonly PartnerProblem[] };
  /** A refused change of one partner: which form, what was typed, why. */
  refused?: { partner: string; form: 'key' | 'disable' | 'activate'; value?: string; problem: PartnerProblem };
}

/**
 * The partner hotlines (admins): the list with both sides' keys, register one, disable, rotate our
 * key without a gap (prepare, give the partner the next public key, activate), install theirs.
 * Every change goes through PartnerDirectory, which audits it in its transaction, as the JSON
 * API does (request.audited).
 */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class PartnersPages {
  constructor(
    private readonly partners: PartnerDirectory,
    private readonly config: HotlineConfig,
  ) {}

  @Get('admin/partners')
  @Requires('partners.manage')
  async list(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<string> {
    const ctx = pageContext(request, this.config);
    const done = typeof query.done === 'string' && Object.hasOwn(DONE, query.done) ? DONE[query.done] : undefined;
    const name = typeof query.partner === 'string' && PARTNER_NAME.test(query.partner) ? query.partner : null;
    const said = done && name ? notice(ct(ctx.lang, done, { partner: name })) : undefined;
    return this.page(reply, ctx, { said, add: { values: EMPTY_PARTNER_FORM, problems: [] } });
  }

  @Post('admin/partners')
  @HttpCode(200)
  @Requires('partners.manage')
  async add(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const values = partnerFormOf(form);
    const input = newPartnerOf(values);
    const problems = partnerFormProblems(input);
    if (problems.length === 0) {
      try {
        const partner = await this.partners.add(input, actorOf(staff));
        request.audited = true;
        return redirectTo(reply, `/admin/partners?done=added&partner=${partner.name}#partner-${partner.name}`);
      } catch (error) {
        if (!(error instanceof PartnerDirectoryError)) throw error;
        problems.push(partnerProblemOf(error));
      }
    }
    return this.page(reply, ctx, { add: { values, problems } }, 400);
  }

  @Post('admin/partners/:name/disable')
  @HttpCode(200)
  @Requires('partners.manage')
  async disable(
    @Param('name') name: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    await this.existing(name);
    if (field(form, 'confirm') !== 'yes') {
      const ctx = pageContext(request, this.config);
      return this.page(
        reply,
        ctx,
        {
          add: { values: EMPTY_PARTNER_FORM, problems: [] },
          refused: { partner: name, form: 'disable', problem: { field: null, message: 'admin.partners.error.confirm' } },
        },
        400,
      );
    }
    return this.change(request, reply, name, 'disabled', () => this.partners.disable(name, actorOf(staff)));
  }

  @Post('admin/partners/:name/rotate-key')
  @HttpCode(200)
  @Requires('partners.manage')
  async rotateKey(
    @Param('name') name: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.change(request, reply, name, 'rotated', () => this.partners.rotateKey(name, actorOf(staff)));
  }

  @Post('admin/partners/:name/activate-key')
  @HttpCode(200)
  @Requires('partners.manage')
  async activateKey(
    @Param('name') name: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return this.change(request, reply, name, 'activated', () => this.partners.activateKey(name, actorOf(staff)));
  }

  @Post('admin/partners/:name/key')
  @HttpCode(200)
  @Requires('partners.manage')
  async setKey(
    @Param('name') name: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    await this.existing(name);
    const publicKey = field(form, 'publicKey', 300);
    return this.change(request, reply, name, 'keySet', () => this.partners.setKey(name, publicKey, actorOf(staff)), publicKey);
  }

  /** A partner named in a path: any other name is a page that does not exist. */
  private async existing(name: string): Promise<Partner> {
    const partner = PARTNER_NAME.test(name) ? await this.partners.get(name) : null;
    if (!partner) throw new ProblemException('resource_not_found');
    return partner;
  }

  /** Runs a change of one partner (the directory audits it) and goes back to the list, or shows why not. */
  private async change(
    request: FastifyRequest,
    reply: FastifyReply,
    name: string,
    done: keyof typeof DONE,
    run: () => Promise<Partner>,
    typed?: string,
  ): Promise<string> {
    if (!PARTNER_NAME.test(name)) throw new ProblemException('resource_not_found');
    try {
      await run();
      request.audited = true;
      return redirectTo(reply, `/admin/partners?done=${done}&partner=${name}#partner-${name}`);
    } catch (error) {
      if (!(error instanceof PartnerDirectoryError)) throw error;
      if (error.kind === 'not_found') throw new ProblemException('resource_not_found');
      const ctx = pageContext(request, this.config);
      const state = error.kind === 'state' && error.state?.reason === 'no_next_key';
      const problem: PartnerProblem = state ? { field: null, message: 'admin.partners.error.noNextKey' } : partnerProblemOf(error);
      const form = state ? 'activate' : 'key';
      return this.page(reply, ctx, { add: { values: EMPTY_PARTNER_FORM, problems: [] }, refused: { partner: name, form, value: typed, problem } }, state ? 409 : 400);
    }
  }

  private async page(reply: FastifyReply, ctx: PageContext, state: PartnersPageState, status = 200): Promise<string> {
    const { lang } = ctx;
    const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
    const partners = await this.partners.list();
    const addProblems = state.add.problems.map((problem) => ({
      field: problem.field ? `partner-new-${problem.field}` : undefined,
      message: t(problem.message, problem.params),
    }));
    const refused = state.refused;
    const refusedSummary = refused
      ? [
          {
            field: refusedAnchor(refused),
            message: t('admin.partners.error.ofPartner', { partner: refused.partner, message: t(refused.problem.message, refused.problem.params) }),
          },
        ]
      : [];
    const body = html`${state.said ?? ''} ${errorSummary(ctx, [...refusedSummary, ...addProblems])}
      <p>${t('admin.partners.intro')}</p>
      ${partners.length === 0 ? html`<p class="panel">${t('admin.partners.none')}</p>` : partners.map((partner) => partnerSection(ctx, partner, refused?.partner === partner.name ? refused : undefined))}
      ${addForm(ctx, state.add.values, state.add.problems)}`;
    return pageReply(reply, ctx, { title: t('nav.partners'), active: 'partners', body, shortcuts: [{ key: 'N', label: t('admin.partners.add.title') }] }, status);
  }
}

function refusedAnchor(refused: NonNullable<PartnersPageState['refused']>): string {
  return refused.form === 'key'
    ? `partner-${refused.partner}-publicKey`
    : refused.form === 'disable'
      ? `partner-${refused.partner}-confirm`
      : `partner-${refused.partner}-activate`;
}

/** A public key, as text to copy (the partner registers ours), with its key id. */
function keyBlock(ctx: PageContext, id: string, keyId: string, publicKey: string): SafeHtml {
  return html`<span class="key-id"><code dir="ltr">${keyId}</code></span>
    <code class="public-key" id="${id}" dir="ltr">${publicKey}</code>
    <button type="button" class="secondary" data-copy="${id}" data-copy-status="${id}-copied" data-copied-text="${ct(ctx.lang, 'admin.partners.copied')}" hidden>
      ${ct(ctx.lang, 'admin.partners.copy')}
    </button>
    <span id="${id}-copied" role="status" class="help"></span>`;
}

function partnerSection(ctx: PageContext, partner: Partner, refused: PartnersPageState['refused']): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
  const id = `partner-${partner.name}`;
  const active = partner.status === 'active';
  const problemOf = (form: 'key' | 'disable' | 'activate') => (refused?.form === form ? t(refused.problem.message, refused.problem.params) : null);
  const keyProblem = problemOf('key');
  const disableProblem = problemOf('disable');
  const activateProblem = problemOf('activate');
  return html`<section class="panel partner" id="${id}" aria-labelledby="${id}-title">
    <h2 id="${id}-title">${partner.name} <span class="badge status-${partner.status}">${t(`admin.partners.status.${partner.status}`)}</span></h2>
    <dl class="facts">
      <dt>${t('admin.partners.field.countries')}</dt>
      <dd>${partner.countries.join(', ')}</dd>
      <dt>${t('admin.partners.field.baseUrl')}</dt>
      <dd><code dir="ltr">${partner.baseUrl}</code></dd>
      <dt>${t('admin.partners.field.rateLimitPerMinute')}</dt>
      <dd>${t('admin.partners.rate', { rate: partner.rateLimitPerMinute })}</dd>
      <dt>${t('admin.partners.theirKey')}</dt>
      <dd><code dir="ltr">${partner.theirKeyId}</code></dd>
      <dt>${t('admin.partners.ourKey')}</dt>
      <dd>${keyBlock(ctx, `${id}-our-key`, partner.ourKeyId, partner.ourPublicKey)}</dd>
      <dt>${t('admin.partners.nextKey')}</dt>
      <dd>
        ${
          partner.nextKeyId && partner.nextPublicKey
            ? html`${keyBlock(ctx, `${id}-next-key`, partner.nextKeyId, partner.nextPublicKey)}
                <p class="help">${t('admin.partners.nextKeyHelp')}</p>`
            : t('admin.partners.noNextKey')
        }
      </dd>
      <dt>${t('admin.partners.updated')}</dt>
      <dd>${formatDateTime(lang, partner.updatedAt)}</dd>
    </dl>
    ${
      active
        ? html`<div class="partner-actions">
            <form method="post" action="/admin/partners/${partner.name}/rotate-key" class="inline">
              ${csrfField(ctx)}<button type="submit" class="secondary">${t(partner.nextKeyId ? 'admin.partners.rotateAgain' : 'admin.partners.rotate')}</button>
            </form>
            ${
              partner.nextKeyId || activateProblem
                ? html`<form method="post" action="/admin/partners/${partner.name}/activate-key" class="inline">
                    ${csrfField(ctx)}
                    <button type="submit" id="${id}-activate" ${activateProblem ? html`aria-describedby="${id}-activate-error"` : ''}>
                      ${t('admin.partners.activate')}
                    </button>
                    ${activateProblem ? html`<span class="field-error" id="${id}-activate-error">${activateProblem}</span>` : ''}
                  </form>`
                : ''
            }
            <form method="post" action="/admin/partners/${partner.name}/key" class="${keyProblem ? 'invalid' : ''}">
              ${csrfField(ctx)}
              <label for="${id}-publicKey">${t('admin.partners.setKey.label')}</label>
              <p class="help" id="${id}-publicKey-help">${t('admin.partners.setKey.help')}</p>
              ${keyProblem ? html`<p class="field-error" id="${id}-publicKey-error">${keyProblem}</p>` : ''}
              <input
                type="text"
                id="${id}-publicKey"
                name="publicKey"
                maxlength="300"
                autocomplete="off"
                spellcheck="false"
                dir="auto"
                value="${refused?.form === 'key' ? (refused.value ?? '') : ''}"
                aria-describedby="${id}-publicKey-help${keyProblem ? ` ${id}-publicKey-error` : ''}"
                ${keyProblem ? html`aria-invalid="true"` : ''}
              />
              <div class="actions"><button type="submit" class="secondary">${t('admin.partners.setKey.submit')}</button></div>
            </form>
            <form method="post" action="/admin/partners/${partner.name}/disable" class="${disableProblem ? 'invalid' : ''}">
              ${csrfField(ctx)} ${disableProblem ? html`<p class="field-error" id="${id}-confirm-error">${disableProblem}</p>` : ''}
              <label class="choice" for="${id}-confirm">
                <input
                  type="checkbox"
                  id="${id}-confirm"
                  name="confirm"
                  value="yes"
                  ${disableProblem ? html`aria-invalid="true" aria-describedby="${id}-confirm-error"` : ''}
                />
                ${t('admin.partners.disable.confirm', { partner: partner.name })}
              </label>
              <div class="actions"><button type="submit" class="danger">${t('admin.partners.disable.submit')}</button></div>
            </form>
          </div>`
        : html`<p class="help">${t('admin.partners.disabledHelp')}</p>`
    }
  </section>`;
}

function addForm(ctx: PageContext, values: PartnerFormValues, problems: readonly PartnerProblem[]): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
  const input = (name: (typeof PARTNER_FIELDS)[number], options: { maxlength: number; numeric?: boolean; key?: string }) => {
    const id = `partner-new-${name}`;
    const mine = problems.filter((problem) => problem.field === name);
    const describedBy = [`${id}-help`, ...(mine.length > 0 ? [`${id}-error`] : [])].join(' ');
    return html`<div class="field ${mine.length > 0 ? 'invalid' : ''}">
      <label for="${id}">${t(`admin.partners.field.${name}`)} ${options.key ? kbd(options.key.toUpperCase()) : ''}</label>
      <p class="help" id="${id}-help">${t(`admin.partners.help.${name}`)}</p>
      ${mine.length > 0 ? html`<p class="field-error" id="${id}-error">${mine.map((problem) => t(problem.message, problem.params)).join(' ')}</p>` : ''}
      <input
        type="text"
        id="${id}"
        name="${name}"
        value="${values[name]}"
        maxlength="${options.maxlength}"
        autocomplete="off"
        spellcheck="false"
        dir="auto"
        aria-describedby="${describedBy}"
        ${options.numeric ? html`inputmode="numeric"` : ''}
        ${mine.length > 0 ? html`aria-invalid="true"` : ''}
        ${options.key ? html`data-key="${options.key}" aria-keyshortcuts="${options.key}"` : ''}
      />
    </div>`;
  };
  const general = problems.filter((problem) => problem.field === null);
  return html`<section class="panel" aria-labelledby="partner-new-title">
    <h2 id="partner-new-title">${t('admin.partners.add.title')}</h2>
    <p class="help">${t('admin.partners.add.help')}</p>
    ${general.length > 0 ? html`<p class="field-error">${general.map((problem) => t(problem.message, problem.params)).join(' ')}</p>` : ''}
    <form method="post" action="/admin/partners" novalidate>
      ${csrfField(ctx)} ${input('name', { maxlength: 63, key: 'n' })} ${input('countries', { maxlength: 1000 })} ${input('baseUrl', { maxlength: 2048 })}
      ${input('publicKey', { maxlength: 300 })} ${input('rateLimitPerMinute', { maxlength: 6, numeric: true })}
      <div class="actions"><button type="submit">${t('admin.partners.add.submit')}</button></div>
    </form>
  </section>`;
}
