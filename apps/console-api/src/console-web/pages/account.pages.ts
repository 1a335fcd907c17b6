import { HotlineConfig } from '@hotline/config';
import { html, type SafeHtml } from '@hotline/http';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@hotline/security';
import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AllowedBeforePasswordChange, CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { StaffPrincipal } from '../../staff-access/staff-principal';
import { StaffSessions } from '../../staff-access/staff-sessions.service';
import { type ConsoleMessageKey, ct } from '../i18n';
import { csrfField, errorSummary, kbd, type PageContext, pageContext } from '../layout';
import { PASSWORD_PAGE } from '../page-access';
import { field, pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';
import { checkPasswordChange, PASSWORD_FIELDS } from './account-form';
import type { FormProblem } from './users-form';
import { fieldBlock } from './users.pages';

/**
 * The signed-in user's own password, at any time (the header links here), and before anything
 * else when an admin chose it (StaffAccessGuard sends such a user here). StaffSessions checks the
 * current password (a wrong one counts as a failed login), stores the new one, ends the user's
 * other sessions and audits it in its transaction (request.audited). No password is ever written
 * back into the page.
 */
@ApiExcludeController()
@ConsolePages()
@Controller(PASSWORD_PAGE.slice(1))
export class AccountPages {
  constructor(
    private readonly sessions: StaffSessions,
    private readonly config: HotlineConfig,
  ) {}

  @Get()
  @Requires('session.own')
  @AllowedBeforePasswordChange()
  page(@CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    return passwordPage(reply, pageContext(request, this.config), staff, []);
  }

  @Post()
  @HttpCode(200)
  @Requires('session.own')
  @AllowedBeforePasswordChange()
  async change(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const max = MAX_PASSWORD_LENGTH + 1;
    const checked = checkPasswordChange({ current: field(form, 'current', max), next: field(form, 'new', max), confirm: field(form, 'confirm', max) });
    if (!checked.ok) return passwordPage(reply, ctx, staff, checked.problems, 400);
    const outcome = await this.sessions.changePassword(staff, checked.value.current, checked.value.next);
    // Both outcomes are audited in the service's transaction (a refusal counts as a failed login).
    request.audited = true;
    if (!outcome.changed) {
      const key: ConsoleMessageKey = outcome.reason === 'locked' ? 'account.error.locked' : 'account.error.currentWrong';
      return passwordPage(reply, ctx, staff, [{ field: PASSWORD_FIELDS.current, key }], 400);
    }
    return redirectTo(reply, '/?account=password-changed');
  }
}

/** The password page: why (if the admin chose it), the three fields, each with its error next to it. */
export function passwordPage(reply: FastifyReply, ctx: PageContext, staff: StaffPrincipal, problems: readonly FormProblem[], status = 200): string {
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(ctx.lang, key, params);
  const password = (id: string, name: string, autocomplete: string, extra: SafeHtml) => (describedBy: SafeHtml) =>
    html`<input type="password" id="${id}" name="${name}" autocomplete="${autocomplete}" required maxlength="${MAX_PASSWORD_LENGTH}" ${extra}${describedBy} />`;
  const body = html`<div class="panel narrow account-password">
    ${staff.passwordChangeRequired ? html`<p class="notice warn" id="password-required">${t('account.password.required')}</p>` : ''}
    ${errorSummary(
      ctx,
      problems.map((p) => ({ field: p.field ?? undefined, message: t(p.key, p.params) })),
    )}
    <p>${t('account.password.intro')}</p>
    <form method="post" action="${PASSWORD_PAGE}" novalidate>
      ${csrfField(ctx)}
      ${fieldBlock(ctx, problems, {
        id: PASSWORD_FIELDS.current,
        label: html`<label for="${PASSWORD_FIELDS.current}">${t('account.password.current')} ${kbd('P')}</label>`,
        help: t('account.password.currentHelp'),
        control: password(
          PASSWORD_FIELDS.current,
          'current',
          'current-password',
          html`data-key="p" aria-keyshortcuts="p"${problems.length === 0 ? html` autofocus` : ''}`,
        ),
      })}
      ${fieldBlock(ctx, problems, {
        id: PASSWORD_FIELDS.next,
        label: html`<label for="${PASSWORD_FIELDS.next}">${t('account.password.new')}</label>`,
        help: t('account.password.newHelp', { min: MIN_PASSWORD_LENGTH }),
        control: password(PASSWORD_FIELDS.next, 'new', 'new-password', html`minlength="${MIN_PASSWORD_LENGTH}"`),
      })}
      ${fieldBlock(ctx, problems, {
        id: PASSWORD_FIELDS.confirm,
        label: html`<label for="${PASSWORD_FIELDS.confirm}">${t('account.password.confirm')}</label>`,
        control: password(PASSWORD_FIELDS.confirm, 'confirm', 'new-password', html`minlength="${MIN_PASSWORD_LENGTH}"`),
      })}
      <div class="actions"><button type="submit">${t('account.password.submit')}</button></div>
    </form>
  </div>`;
  return pageReply(reply, ctx, { title: t('account.password.title'), body, shortcuts: [{ key: 'P', label: t('account.password.key') }] }, status);
}
