import { HotlineConfig } from '@hotline/config';
import { html, ProblemException, trustedHtml } from '@hotline/http';
import { Public } from '@hotline/observability';
import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { AllowedBeforePasswordChange, CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { StaffPrincipal } from '../../staff-access/staff-principal';
import { EnrolmentRequired, StaffSessions } from '../../staff-access/staff-sessions.service';
import { ct, isConsoleLanguage, type ConsoleMessageKey } from '../i18n';
import { errorSummary, notice, type PageContext, pageContext } from '../layout';
import { field, fromThisConsole, pageReply, redirectTo } from '../page-reply';
import { safeReturnPath } from '../page-access';
import { ConsolePages } from '../page-routes';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../session-cookie';

const SIGNED_OUT_NOTICES: Record<string, ConsoleMessageKey> = { out: 'signin.signedOut', everywhere: 'signin.signedOutEverywhere', lapsed: 'signin.lapsed' };

/**
 * Signing in and out in a browser: email, password and TOTP code; a user whose second factor is
 * not enrolled yet is shown its QR code (drawn here, by the `qrcode` library, as inline SVG) and
 * signs in with its first code. The session is the API's, carried by an HttpOnly cookie.
 */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class SignInPages {
  constructor(
    private readonly sessions: StaffSessions,
    private readonly config: HotlineConfig,
  ) {}

  @Public()
  @Get('login')
  signInPage(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: Record<string, unknown>): string {
    const ctx = pageContext(request, this.config);
    const said = Object.entries(SIGNED_OUT_NOTICES).find(([flag]) => query[flag] !== undefined)?.[1];
    return this.signInForm(reply, ctx, { next: safeReturnPath(query.next), notice: said ? ct(ctx.lang, said) : null });
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  async signIn(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() form: unknown): Promise<string> {
    const ctx = this.formContext(request, form);
    const next = safeReturnPath(field(form, 'next'));
    const email = field(form, 'email', 320);
    if (!fromThisConsole(request)) throw new ProblemException('csrf_refused');
    let outcome: Awaited<ReturnType<StaffSessions['login']>> | EnrolmentRequired;
    try {
      outcome = await this.sessions.login(email, field(form, 'password', 1024), field(form, 'totp', 16).replace(/\s/g, ''), { enrol: true });
    } catch (error) {
      if (error instanceof ProblemException && error.kind === 'login_failed') return this.signInForm(reply, ctx, { next, email, failed: true }, 401);
      throw error;
    }
    if ('enrolment' in outcome) return this.enrolForm(reply, ctx, outcome.enrolment, next);
    await this.signedIn(request, reply, outcome.accessToken);
    return redirectTo(reply, next);
  }

  @Public()
  @Post('enrol')
  @HttpCode(200)
  async enrol(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() form: unknown): Promise<string> {
    const ctx = this.formContext(request, form);
    const next = safeReturnPath(field(form, 'next'));
    if (!fromThisConsole(request)) throw new ProblemException('csrf_refused');
    const ticket = field(form, 'ticket', 200);
    let outcome: Awaited<ReturnType<StaffSessions['completeEnrolment']>>;
    try {
      outcome = await this.sessions.completeEnrolment(ticket, field(form, 'code', 16).replace(/\s/g, ''));
    } catch (error) {
      if (error instanceof ProblemException && error.kind === 'login_failed') return this.signInForm(reply, ctx, { next, failed: true }, 401);
      throw error;
    }
    if ('wrongCode' in outcome) {
      const enrolment = await this.sessions.enrolmentOf(ticket);
      if (!enrolment) return this.signInForm(reply, ctx, { next, failed: true }, 401);
      return this.enrolForm(reply, ctx, enrolment, next, true);
    }
    await this.signedIn(request, reply, outcome.accessToken);
    return redirectTo(reply, next);
  }

  /**
   * The new session's cookie. A session this browser still carried (signed in again without
   * signing out, perhaps as someone else) is ended first: its cookie is replaced, so nothing would
   * ever use or end it, while anyone who copied it could.
   */
  private async signedIn(request: FastifyRequest, reply: FastifyReply, accessToken: string): Promise<void> {
    const previous = sessionTokenOf(request);
    if (previous && previous !== accessToken) await this.sessions.revokeToken(previous, 'signed in again');
    setSessionCookie(reply, request, this.config, accessToken);
  }

  @Post('logout')
  @Requires('session.own')
  @AllowedBeforePasswordChange()
  async signOut(@CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    await this.sessions.logout(staff);
    request.audited = true;
    clearSessionCookie(reply, request, this.config);
    return redirectTo(reply, '/login?out');
  }

  @Post('logout-everywhere')
  @Requires('session.own')
  @AllowedBeforePasswordChange()
  async signOutEverywhere(@CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    await this.sessions.logoutEverywhere(staff);
    request.audited = true;
    clearSessionCookie(reply, request, this.config);
    return redirectTo(reply, '/login?everywhere');
  }

  /** The user's console language, kept with their account (every device, every session). */
  @Post('me/language')
  @Requires('session.own')
  @AllowedBeforePasswordChange()
  async chooseLanguage(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Body() form: unknown,
  ): Promise<string> {
    const language = field(form, 'language', 8);
    if (!isConsoleLanguage(language)) throw new ProblemException('bad_request');
    await this.sessions.setLanguage(staff, language);
    request.audited = true;
    // Back to the page the form was on (the console sends no Referer: Referrer-Policy no-referrer).
    return redirectTo(reply, safeReturnPath(field(form, 'back', 500)));
  }

  /** The language of a sign-in form: the one it was shown in (a hidden field), else the browser's. */
  private formContext(request: FastifyRequest, form: unknown): PageContext {
    const ctx = pageContext(request, this.config);
    const lang = field(form, 'lang', 8);
    return isConsoleLanguage(lang) ? { ...ctx, lang } : ctx;
  }

  private signInForm(reply: FastifyReply, ctx: PageContext, state: { next: string; email?: string; failed?: boolean; notice?: string | null }, status = 200): string {
    const t = (key: ConsoleMessageKey) => ct(ctx.lang, key);
    const body = html`<div class="panel narrow">
      ${notice(state.notice)} ${state.failed ? errorSummary(ctx, [{ message: t('signin.failed') }]) : ''}
      <form method="post" action="/login" novalidate>
        <input type="hidden" name="next" value="${state.next}" />
        <input type="hidden" name="lang" value="${ctx.lang}" />
        <label for="email">${t('signin.email')}</label>
        <input type="email" id="email" name="email" autocomplete="username" required maxlength="320" value="${state.email ?? ''}" ${state.email ? '' : html`autofocus`} />
        <label for="password">${t('signin.password')}</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required maxlength="1024" ${state.email ? html`autofocus` : ''} />
        <label for="totp">${t('signin.code')}</label>
        <p class="help" id="totp-help">${t('signin.codeHelp')}</p>
        <input type="text" id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" maxlength="16" aria-describedby="totp-help" />
        <div class="actions"><button type="submit">${t('signin.submit')}</button></div>
      </form>
    </div>`;
    return pageReply(reply, ctx, { title: t('signin.title'), body }, status);
  }

  private async enrolForm(reply: FastifyReply, ctx: PageContext, enrolment: EnrolmentRequired['enrolment'], next: string, wrongCode = false): Promise<string> {
    const t = (key: ConsoleMessageKey, params?: Record<string, string>) => ct(ctx.lang, key, params);
    // Drawn here from the otpauth:// URI: the secret never leaves for a QR-code service.
    const svg = await QRCode.toString(enrolment.otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
    const grouped = enrolment.secret.replace(/(.{4})/g, '$1 ').trim();
    const body = html`<div class="panel narrow">
      ${wrongCode ? errorSummary(ctx, [{ field: 'code', message: t('enrol.wrongCode') }]) : ''}
      <p>${t('enrol.intro')}</p>
      <figure class="qr" role="img" aria-label="${t('enrol.qr', { email: enrolment.email })}">
        ${trustedHtml(svg.replace(/<svg /, '<svg aria-hidden="true" focusable="false" '))}
      </figure>
      <p>${t('enrol.manual')} <span class="secret" id="totp-secret">${grouped}</span></p>
      <p class="help">${t('enrol.expires')}</p>
      <form method="post" action="/enrol" novalidate>
        <input type="hidden" name="ticket" value="${enrolment.ticket}" />
        <input type="hidden" name="next" value="${next}" />
        <input type="hidden" name="lang" value="${ctx.lang}" />
        <div class="${wrongCode ? 'invalid' : ''}">
          <label for="code">${t('enrol.code')}</label>
          <input
            type="text"
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength="16"
            required
            autofocus${wrongCode ? html` aria-invalid="true"` : ''}
          />
        </div>
        <div class="actions"><button type="submit">${t('enrol.submit')}</button></div>
      </form>
    </div>`;
    // Its language is the sign-in form's: a language link would lead away from this QR code.
    return pageReply(reply, ctx, { title: t('enrol.title'), body, languageLinks: false }, wrongCode ? 400 : 200);
  }
}
