import { HotlineConfig } from '@hotline/config';
import { html, ProblemException, type SafeHtml } from '@hotline/http';
import { MIN_PASSWORD_LENGTH, STAFF_ROLES, StaffDirectory, StaffDirectoryError, type StaffUser } from '@hotline/security';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { actorOf, StaffPrincipal } from '../../staff-access/staff-principal';
import { type ConsoleMessageKey, ct, formatDateTime } from '../i18n';
import { csrfField, errorSummary, kbd, notice, PAGE_TITLE_ID, type PageContext, pageContext, scrollableTable } from '../layout';
import { field, pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';
import {
  checkNewUser,
  checkRoleChange,
  directoryProblem,
  DONE_NOTICES,
  type FormProblem,
  isDoneNotice,
  isUserId,
  MAX_PASSWORD,
  NEW_USER_FIELDS,
  ROLE_FIELDS,
} from './users-form';

/** What was typed in the create form (never the password: it is not written back). */
interface NewUserState {
  email: string;
  role: string;
  agency: string;
}

/** Which form of a user's page failed, with what was typed. */
type UserFormState = { form: 'role'; role: string; agency: string } | { form: 'disable' } | { form: 'reset' };

const NO_PROBLEMS: readonly FormProblem[] = [];

/**
 * The administrators' users page: the staff list, creating a user (who enrols their second
 * factor by QR code at first sign-in, so no admin sees its secret), changing a role or agency,
 * disabling, and resetting the second factor. StaffDirectory does each change and audits it in
 * its transaction (request.audited); the forms are checked here first so errors are shown in
 * the user's language next to their field.
 */
@ApiExcludeController()
@ConsolePages()
@Controller('admin/users')
export class UsersPages {
  constructor(
    private readonly directory: StaffDirectory,
    private readonly config: HotlineConfig,
  ) {}

  @Get()
  @Requires('users.manage')
  async list(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query('done') done?: string, @Query('id') id?: string): Promise<string> {
    const ctx = pageContext(request, this.config);
    const users = await this.directory.list();
    let said: string | null = null;
    if (isDoneNotice(done)) {
      const email = typeof id === 'string' ? (users.find((user) => user.id === id)?.email ?? '') : '';
      said = ct(ctx.lang, DONE_NOTICES[done], { email });
    }
    return this.listPage(reply, ctx, users, { email: '', role: '', agency: '' }, NO_PROBLEMS, said);
  }

  @Post()
  @HttpCode(200)
  @Requires('users.manage')
  async create(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const typed: NewUserState = { email: field(form, 'email', 400), role: field(form, 'role', 40), agency: field(form, 'agency', 200) };
    const checked = checkNewUser({ ...typed, password: field(form, 'password', MAX_PASSWORD + 1) });
    let problems: readonly FormProblem[] = checked.ok ? NO_PROBLEMS : checked.problems;
    if (checked.ok) {
      try {
        // The secret is delivered by QR code on the new user's own screen, never shown here.
        const created = await this.directory.create(checked.value, actorOf(staff), 'qr-code');
        request.audited = true;
        return redirectTo(reply, `/admin/users?done=created&id=${created.id}`);
      } catch (error) {
        if (!(error instanceof StaffDirectoryError)) throw error;
        problems = [directoryProblem(error, NEW_USER_FIELDS) ?? { field: null, key: 'users.error.refused' }];
      }
    }
    return this.listPage(reply, ctx, await this.directory.list(), typed, problems, null, 400);
  }

  @Get(':id')
  @Requires('users.manage')
  async user(
    @Param('id') id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const user = await this.find(id);
    return this.userPage(reply, ctx, user, staff, null, NO_PROBLEMS);
  }

  @Post(':id/role')
  @HttpCode(200)
  @Requires('users.manage')
  async changeRole(
    @Param('id') id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const user = await this.find(id);
    const state: UserFormState = { form: 'role', role: field(form, 'role', 40), agency: field(form, 'agency', 200) };
    const refusal = this.refusal(user, staff);
    if (refusal) return this.userPage(reply, ctx, user, staff, state, [refusal], 400);
    const checked = checkRoleChange(state);
    if (!checked.ok) return this.userPage(reply, ctx, user, staff, state, checked.problems, 400);
    try {
      await this.directory.setRole(user.id, checked.value.role, checked.value.agency, actorOf(staff));
    } catch (error) {
      return this.userPage(reply, ctx, user, staff, state, [this.problemOf(error)], 400);
    }
    request.audited = true;
    return redirectTo(reply, `/admin/users?done=role&id=${user.id}`);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Requires('users.manage')
  async disable(
    @Param('id') id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const user = await this.find(id);
    const state: UserFormState = { form: 'disable' };
    const refusal = this.refusal(user, staff);
    if (refusal) return this.userPage(reply, ctx, user, staff, state, [refusal], 400);
    if (field(form, 'confirm', 8) !== 'yes') return this.userPage(reply, ctx, user, staff, state, [{ field: 'disable-confirm', key: 'users.error.confirm' }], 400);
    try {
      await this.directory.disable(user.id, actorOf(staff));
    } catch (error) {
      return this.userPage(reply, ctx, user, staff, state, [this.problemOf(error)], 400);
    }
    request.audited = true;
    return redirectTo(reply, `/admin/users?done=disabled&id=${user.id}`);
  }

  @Post(':id/reset-totp')
  @HttpCode(200)
  @Requires('users.manage')
  async resetTotp(
    @Param('id') id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const user = await this.find(id);
    const state: UserFormState = { form: 'reset' };
    if (user.disabledAt) return this.userPage(reply, ctx, user, staff, state, [{ field: null, key: 'users.error.disabled' }], 400);
    if (field(form, 'confirm', 8) !== 'yes') return this.userPage(reply, ctx, user, staff, state, [{ field: 'reset-confirm', key: 'users.error.confirm' }], 400);
    try {
      // The new secret reaches the user by QR code at their next sign-in; the admin never sees it.
      await this.directory.resetTotp(user.id, actorOf(staff), 'qr-code');
    } catch (error) {
      return this.userPage(reply, ctx, user, staff, state, [this.problemOf(error)], 400);
    }
    request.audited = true;
    return redirectTo(reply, `/admin/users?done=totp&id=${user.id}`);
  }

  /** The user of a path: anything but a staff user's id is the not-found page. */
  private async find(id: string): Promise<StaffUser> {
    const user = isUserId(id) ? (await this.directory.list()).find((candidate) => candidate.id === id) : undefined;
    if (!user) throw new ProblemException('resource_not_found');
    return user;
  }

  /** Why a role change or disabling is refused before it is tried: oneself, or a disabled account. */
  private refusal(user: StaffUser, staff: StaffPrincipal): FormProblem | null {
    if (user.id === staff.id) return { field: null, key: 'users.error.self' };
    if (user.disabledAt) return { field: null, key: 'users.error.disabled' };
    return null;
  }

  private problemOf(error: unknown): FormProblem {
    if (!(error instanceof StaffDirectoryError)) throw error;
    const problem = directoryProblem(error, ROLE_FIELDS);
    if (!problem) throw new ProblemException('resource_not_found');
    return problem;
  }

  private listPage(
    reply: FastifyReply,
    ctx: PageContext,
    users: readonly StaffUser[],
    typed: NewUserState,
    problems: readonly FormProblem[],
    said: string | null,
    status = 200,
  ): string {
    const { lang } = ctx;
    const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
    const table = scrollableTable(
      PAGE_TITLE_ID,
      html`<table id="users-list" class="users-list">
        <caption>
          ${t('users.caption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('users.col.email')}</th>
            <th scope="col">${t('users.col.role')}</th>
            <th scope="col">${t('users.col.agency')}</th>
            <th scope="col">${t('users.col.secondFactor')}</th>
            <th scope="col">${t('users.col.status')}</th>
            <th scope="col">${t('users.col.manage')}</th>
          </tr>
        </thead>
        <tbody>
          ${users.map(
            (user) =>
              html`<tr data-user-id="${user.id}" ${user.disabledAt ? html` class="disabled-user"` : ''}>
                <th scope="row">
                  <span id="user-${user.id}" dir="ltr">${user.email}</span>${user.id === ctx.staff?.id ? html` <span class="badge">${t('users.you')}</span>` : ''}
                </th>
                <td data-label="${t('users.col.role')}">${t(`role.${user.role}` as ConsoleMessageKey)}</td>
                <td data-label="${t('users.col.agency')}">
                  ${user.agency ?? html`<span aria-hidden="true">${t('users.none')}</span><span class="visually-hidden">${t('common.none')}</span>`}
                </td>
                <td class="factor" data-label="${t('users.col.secondFactor')}">
                  ${user.totpEnrolled ? t('users.factor.enrolled') : t('users.factor.pending')}${
                    user.passwordChangeRequired ? html`<div class="help">${t('users.password.pending')}</div>` : ''
                  }
                </td>
                <td class="status" data-label="${t('users.col.status')}">
                  ${
                    user.disabledAt
                      ? html`<span class="badge">${t('users.status.disabled', { date: formatDateTime(lang, user.disabledAt) })}</span>`
                      : t('users.status.active')
                  }
                </td>
                <td class="open"><a href="/admin/users/${user.id}" aria-describedby="user-${user.id}">${t('users.manage')}</a></td>
              </tr>`,
          )}
        </tbody>
      </table>`,
    );
    const createForm = html`<section class="panel narrow-form" aria-labelledby="create-title">
      <h2 id="create-title">${t('users.create.title')}</h2>
      ${errorSummary(
        ctx,
        problems.map((p) => ({ field: p.field ?? undefined, message: t(p.key, p.params) })),
      )}
      <p class="help">${t('users.create.intro')}</p>
      <form method="post" action="/admin/users" novalidate>
        ${csrfField(ctx)}
        ${fieldBlock(ctx, problems, {
          id: NEW_USER_FIELDS.email,
          label: html`<label for="${NEW_USER_FIELDS.email}">${t('users.field.email')} ${kbd('C')}</label>`,
          control: (describedBy) =>
            html`<input
              type="email"
              id="${NEW_USER_FIELDS.email}"
              name="email"
              dir="ltr"
              autocomplete="off"
              required
              maxlength="320"
              value="${typed.email}"
              data-key="c"
              aria-keyshortcuts="c"
              ${describedBy}
            />`,
        })}
        ${fieldBlock(ctx, problems, {
          id: NEW_USER_FIELDS.role,
          label: html`<label for="${NEW_USER_FIELDS.role}">${t('users.field.role')}</label>`,
          control: (describedBy) => roleSelect(ctx, NEW_USER_FIELDS.role, typed.role, true, describedBy),
        })}
        ${fieldBlock(ctx, problems, {
          id: NEW_USER_FIELDS.agency,
          label: html`<label for="${NEW_USER_FIELDS.agency}">${t('users.field.agency')}</label>`,
          help: t('users.field.agencyHelp'),
          control: (describedBy) =>
            html`<input type="text" id="${NEW_USER_FIELDS.agency}" name="agency" dir="auto" maxlength="100" autocomplete="off" value="${typed.agency}" ${describedBy} />`,
        })}
        ${fieldBlock(ctx, problems, {
          id: NEW_USER_FIELDS.password,
          label: html`<label for="${NEW_USER_FIELDS.password}">${t('users.field.password')}</label>`,
          help: t('users.field.passwordHelp', { min: MIN_PASSWORD_LENGTH }),
          control: (describedBy) =>
            html`<input
              type="password"
              id="${NEW_USER_FIELDS.password}"
              name="password"
              autocomplete="new-password"
              required
              minlength="${MIN_PASSWORD_LENGTH}"
              maxlength="${MAX_PASSWORD}"
              ${describedBy}
            />`,
        })}
        <div class="actions"><button type="submit">${t('users.create.submit')}</button></div>
      </form>
    </section>`;
    // After a refused form, the form comes first: its errors are the first thing seen.
    const body = html`${notice(said)}
      <p>${t('users.intro')}</p>
      ${
        problems.length
          ? html`${createForm} ${table}`
          : html`<p><a class="button secondary" href="#create-title">${t('users.toCreate')}</a></p>
              ${table} ${createForm}`
      }`;
    return pageReply(reply, ctx, { title: t('users.title'), active: 'users', body, shortcuts: [{ key: 'C', label: t('users.create.key') }] }, status);
  }

  private userPage(
    reply: FastifyReply,
    ctx: PageContext,
    user: StaffUser,
    staff: StaffPrincipal,
    state: UserFormState | null,
    problems: readonly FormProblem[],
    status = 200,
  ): string {
    const { lang } = ctx;
    const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
    const self = user.id === staff.id;
    const disabled = user.disabledAt !== null;
    const summary = (form: UserFormState['form']) =>
      state?.form === form
        ? errorSummary(
            ctx,
            problems.map((p) => ({ field: p.field ?? undefined, message: t(p.key, p.params) })),
          )
        : '';
    const formProblems = (form: UserFormState['form']) => (state?.form === form ? problems : NO_PROBLEMS);
    const role = state?.form === 'role' ? state.role : user.role;
    const agency = state?.form === 'role' ? state.agency : (user.agency ?? '');
    const confirmBox = (form: 'disable' | 'reset', label: string) =>
      fieldBlock(ctx, formProblems(form), {
        id: `${form}-confirm`,
        control: (describedBy) =>
          html`<label class="choice user-confirm" for="${form}-confirm">
            <input type="checkbox" id="${form}-confirm" name="confirm" value="yes" required ${describedBy} />
            ${label}
          </label>`,
      });
    // Which forms this user's page has: none for a disabled account, no role or disable for oneself.
    const shown = { role: !disabled && !self, reset: !disabled, disable: !disabled && !self };

    const roleSection = html`<section class="panel" aria-labelledby="role-title">
      <h2 id="role-title">${t('users.role.title')}</h2>
      ${summary('role')}
      <p class="help">${t('users.role.help')}</p>
      <form method="post" action="/admin/users/${user.id}/role" novalidate>
        ${csrfField(ctx)}
        ${fieldBlock(ctx, formProblems('role'), {
          id: ROLE_FIELDS.role,
          label: html`<label for="${ROLE_FIELDS.role}">${t('users.field.role')} ${kbd('R')}</label>`,
          control: (describedBy) => roleSelect(ctx, ROLE_FIELDS.role, role, false, html` data-key="r" aria-keyshortcuts="r"${describedBy}`),
        })}
        ${fieldBlock(ctx, formProblems('role'), {
          id: ROLE_FIELDS.agency,
          label: html`<label for="${ROLE_FIELDS.agency}">${t('users.field.agency')}</label>`,
          help: t('users.field.agencyHelp'),
          control: (describedBy) =>
            html`<input type="text" id="${ROLE_FIELDS.agency}" name="agency" dir="auto" maxlength="100" autocomplete="off" value="${agency}" ${describedBy} />`,
        })}
        <div class="actions"><button type="submit">${t('users.role.submit')}</button></div>
      </form>
    </section>`;
    const resetSection = html`<section class="panel" aria-labelledby="reset-title">
      <h2 id="reset-title">${t('users.reset.title')}</h2>
      ${summary('reset')}
      <p class="help">${t('users.reset.help')}</p>
      <form method="post" action="/admin/users/${user.id}/reset-totp" novalidate>
        ${csrfField(ctx)} ${confirmBox('reset', t('users.reset.confirm', { email: user.email }))}
        <div class="actions"><button type="submit" class="danger">${t('users.reset.submit')}</button></div>
      </form>
    </section>`;
    const disableSection = html`<section class="panel" aria-labelledby="disable-title">
      <h2 id="disable-title">${t('users.disable.title')}</h2>
      ${summary('disable')}
      <p class="help">${t('users.disable.help')}</p>
      <form method="post" action="/admin/users/${user.id}/disable" novalidate>
        ${csrfField(ctx)} ${confirmBox('disable', t('users.disable.confirm', { email: user.email }))}
        <div class="actions"><button type="submit" class="danger">${t('users.disable.submit')}</button></div>
      </form>
    </section>`;
    // A refused change whose form the page does not have (oneself, a disabled account) is said at the top.
    const refusedAbove = state !== null && !shown[state.form];
    const body = html`<p><a href="/admin/users">${t('users.user.back')}</a></p>
      ${
        refusedAbove
          ? errorSummary(
              ctx,
              problems.map((p) => ({ message: t(p.key, p.params) })),
            )
          : ''
      }
      <section class="panel" aria-label="${user.email}">
        <dl class="facts" id="user-facts">
          <dt>${t('users.col.email')}</dt>
          <dd dir="ltr">${user.email}</dd>
          <dt>${t('users.col.role')}</dt>
          <dd>${t(`role.${user.role}` as ConsoleMessageKey)}</dd>
          <dt>${t('users.col.agency')}</dt>
          <dd>${user.agency ?? t('common.none')}</dd>
          <dt>${t('users.col.secondFactor')}</dt>
          <dd>
            ${user.totpEnrolled ? t('users.factor.enrolled') : t('users.factor.pending')}${user.passwordChangeRequired ? html`<div class="help">${t('users.password.pending')}</div>` : ''}
          </dd>
          <dt>${t('users.col.status')}</dt>
          <dd>${user.disabledAt ? t('users.status.disabled', { date: formatDateTime(lang, user.disabledAt) }) : t('users.status.active')}</dd>
          <dt>${t('users.user.created')}</dt>
          <dd>${formatDateTime(lang, user.createdAt)}</dd>
        </dl>
      </section>
      ${disabled ? html`<p class="notice warn">${t('users.error.disabled')}</p>` : ''} ${self ? html`<p class="notice warn">${t('users.user.self')}</p>` : ''}
      <div class="grid user-forms">${shown.role ? roleSection : ''} ${shown.reset ? resetSection : ''} ${shown.disable ? disableSection : ''}</div>`;
    const shortcuts = shown.role ? [{ key: 'R', label: t('users.role.key') }] : [];
    return pageReply(reply, ctx, { title: t('users.user.title', { email: user.email }), active: 'users', body, shortcuts }, status);
  }
}

/** A field with its label, its help and its error (if any) next to it; aria-describedby names both (also the password page's). */
export function fieldBlock(
  ctx: PageContext,
  problems: readonly FormProblem[],
  spec: { id: string; label?: SafeHtml; help?: string; control: (describedBy: SafeHtml) => SafeHtml },
): SafeHtml {
  const { id } = spec;
  const problem = problems.find((p) => p.field === id);
  const described = [spec.help ? `${id}-help` : null, problem ? `${id}-error` : null].filter(Boolean).join(' ');
  const describedBy = html`${described ? html` aria-describedby="${described}"` : ''}${problem ? html` aria-invalid="true"` : ''}`;
  return html`<div class="${problem ? 'invalid' : ''}">
    ${spec.label ?? ''} ${spec.help ? html`<p class="help" id="${id}-help">${spec.help}</p>` : ''}
    ${problem ? html`<p class="field-error" id="${id}-error">${ct(ctx.lang, problem.key, problem.params)}</p>` : ''} ${spec.control(describedBy)}
  </div>`;
}

function roleSelect(ctx: PageContext, id: string, selected: string, withPrompt: boolean, extra: SafeHtml): SafeHtml {
  const { lang } = ctx;
  return html`<select id="${id}" name="role" required ${extra}>
    ${withPrompt ? html`<option value="" ${selected === '' ? html` selected` : ''}>${ct(lang, 'users.field.chooseRole')}</option>` : ''}
    ${STAFF_ROLES.map((role) => html`<option value="${role}" ${role === selected ? html` selected` : ''}>${ct(lang, `role.${role}` as ConsoleMessageKey)}</option>`)}
  </select>`;
}
