import { HotlineConfig } from '@hotline/config';
import { html, ProblemException, type SafeHtml } from '@hotline/http';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CASE_ID } from '../../cases/cases.controller';
import { decodeEscalationCursor } from '../../escalations/escalation-cursor';
import type { EscalationDetailView, EscalationView } from '../../escalations/escalation-view';
import { EscalationsService, HOLD_REASON_LENGTH } from '../../escalations/escalations.service';
import { CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { StaffPrincipal } from '../../staff-access/staff-principal';
import { ct, formatDateTime, formatDuration, type ConsoleMessageKey } from '../i18n';
import { csrfField, errorSummary, kbd, notice, type PageContext, pageContext } from '../layout';
import { field, pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';
import { actionsSection, classificationSummary, holdBanner, timelineSection } from './case/case-sections';
import { labelOf } from './case/case-labels';

/** Escalations the inbox page lists at once; the next ones are a page further. */
const INBOX_PAGE = 50;

const DONE: Record<string, ConsoleMessageKey> = { acknowledged: 'le.done.acknowledged', held: 'le.done.held', lifted: 'le.done.lifted' };
const SAID: Record<string, ConsoleMessageKey> = { 'hold-exists': 'le.said.holdExists', 'no-hold': 'le.said.noHold' };

const REASON_FIELD = 'hold-reason';

/**
 * The law-enforcement liaison's pages: the inbox of their agency's escalations (their start page),
 * one escalation (the case's facts without content, its actions and their delivery, the timeline,
 * holds) with its forms (acknowledge, place or lift a hold) and the export package's download. Forms
 * post and redirect (no script needed); every view and change is audited (the interceptor, or the
 * service's own event).
 */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class EscalationsPages {
  constructor(
    private readonly escalations: EscalationsService,
    private readonly config: HotlineConfig,
  ) {}

  @Get('escalations')
  @Requires('escalations.read')
  async inbox(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('cursor') cursorText?: string,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const { lang } = ctx;
    const cursor = typeof cursorText === 'string' ? decodeEscalationCursor(cursorText) : null;
    if (cursor === undefined) throw new ProblemException('invalid_request', { errors: [{ field: 'cursor', message: 'field.invalid' }] });
    const page = await this.escalations.inbox(staff, { limit: INBOX_PAGE, after: cursor });
    request.shownCaseIds = page.items.map((item) => item.caseId);
    const body = html`<p class="help">${ct(lang, 'le.inbox.intro')}</p>
      ${staff.agency ? html`<p><strong>${ct(lang, 'le.inbox.waiting', { count: page.unacknowledged })}</strong></p>` : notice(ct(lang, 'le.inbox.noAgency'), 'warn')}
      ${
        page.items.length === 0
          ? html`<p class="panel">${ct(lang, 'le.inbox.none')}</p>`
          : html`<ol class="escalation-list" aria-label="${ct(lang, 'le.inbox.listLabel')}">
              ${page.items.map((item, i) => inboxEntry(ctx, item, i === 0 && !cursor))}
            </ol>`
      }
      ${page.nextCursor ? html`<p><a href="/escalations?cursor=${page.nextCursor}">${ct(lang, 'le.inbox.more')}</a></p>` : ''}`;
    return pageReply(reply, ctx, {
      title: ct(lang, 'le.inbox.title', { agency: staff.agency ?? '—' }),
      active: 'escalations',
      body,
      shortcuts: page.items.length > 0 && !cursor ? [{ key: 'O', label: ct(lang, 'le.inbox.openFirst') }] : [],
    });
  }

  @Get('escalations/:id')
  @Requires('escalations.read')
  async detail(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: Record<string, unknown>,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const view = await this.escalations.detail(staff, id);
    request.shownCaseIds = [view.caseId];
    const said =
      typeof query.done === 'string' && Object.hasOwn(DONE, query.done)
        ? notice(ct(ctx.lang, DONE[query.done]))
        : typeof query.said === 'string' && Object.hasOwn(SAID, query.said)
          ? notice(ct(ctx.lang, SAID[query.said]), 'warn')
          : html``;
    return this.detailPage(reply, ctx, view, said);
  }

  @Post('escalations/:id/acknowledge')
  @HttpCode(200)
  @Requires('escalations.act')
  async acknowledge(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    await this.escalations.acknowledge(staff, id);
    request.audited = true;
    return redirectTo(reply, `/escalations/${id}?done=acknowledged`);
  }

  @Post('escalations/:id/hold')
  @HttpCode(200)
  @Requires('escalations.act')
  async hold(
    @Param('id', CASE_ID) id: string,
    @Body() form: unknown,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const reason = field(form, 'reason', HOLD_REASON_LENGTH.max * 4);
    const text = reason.trim().replace(/\s+/g, ' ');
    if (text.length < HOLD_REASON_LENGTH.min || text.length > HOLD_REASON_LENGTH.max) {
      // Shown again with the reason as typed, the error next to it (an unknown escalation is still 404).
      const ctx = pageContext(request, this.config);
      const view = await this.escalations.detail(staff, id);
      request.shownCaseIds = [view.caseId];
      const message = ct(ctx.lang, 'le.error.reason', HOLD_REASON_LENGTH);
      return this.detailPage(reply, ctx, view, errorSummary(ctx, [{ field: REASON_FIELD, message }]), { reason, error: message }, 400);
    }
    try {
      await this.escalations.placeHold(staff, id, text);
    } catch (error) {
      if (error instanceof ProblemException && error.kind === 'conflict') return redirectTo(reply, `/escalations/${id}?said=hold-exists`);
      throw error;
    }
    request.audited = true;
    return redirectTo(reply, `/escalations/${id}?done=held`);
  }

  @Post('escalations/:id/hold/lift')
  @HttpCode(200)
  @Requires('escalations.act')
  async lift(
    @Param('id', CASE_ID) id: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    try {
      await this.escalations.liftHold(staff, id);
    } catch (error) {
      if (error instanceof ProblemException && error.kind === 'conflict') return redirectTo(reply, `/escalations/${id}?said=no-hold`);
      throw error;
    }
    request.audited = true;
    return redirectTo(reply, `/escalations/${id}?done=lifted`);
  }

  private detailPage(
    reply: FastifyReply,
    ctx: PageContext,
    view: EscalationDetailView,
    said: SafeHtml,
    holdForm: { reason: string; error: string } | null = null,
    status = 200,
  ): string {
    const { lang } = ctx;
    const mine = view.hold === null || view.hold.ours;
    const shortcuts = [
      ...(view.acknowledgedAt === null ? [{ key: 'A', label: ct(lang, 'le.work.acknowledge') }] : []),
      ...(view.hold === null ? [{ key: 'H', label: ct(lang, 'le.work.hold.reason') }] : mine ? [{ key: 'L', label: ct(lang, 'le.work.hold.lift') }] : []),
      { key: 'D', label: ct(lang, 'le.work.export') },
      { key: 'B', label: ct(lang, 'le.detail.back') },
    ];
    const body = html`<p><a href="/escalations" data-key="b" aria-keyshortcuts="b">${ct(lang, 'le.detail.back')}</a></p>
      ${said} ${escalationHoldBanner(ctx, view.hold)}
      <div class="case-layout">
        <div class="case-work">${caseFacts(ctx, view)} ${workPanel(ctx, view, holdForm)}</div>
        <div class="case-context">${hostingFacts(ctx, view)} ${holdsSection(ctx, view)} ${timelineSection(ctx, view)}</div>
      </div>
      ${actionsSection(ctx, { actions: view.actions, hold: null, removalCheck: null })}
      </div>`;
    return pageReply(reply, ctx, { title: ct(lang, 'le.detail.title'), active: 'escalations', body, shortcuts }, status);
  }
}

const when = (ctx: PageContext, iso: string | null): SafeHtml =>
  iso ? html`<time datetime="${iso}">${formatDateTime(ctx.lang, new Date(iso))}</time>` : html`${ct(ctx.lang, 'le.detail.notYet')}`;

function badges(ctx: PageContext, item: EscalationView): SafeHtml {
  const { lang } = ctx;
  return html`<p class="badges">
    <span class="badge">${ct(lang, item.acknowledgedAt ? 'le.badge.acknowledged' : 'le.badge.unacknowledged')}</span>
    <span class="badge">${ct(lang, `le.reason.${item.reason}` as ConsoleMessageKey)}</span>
    ${item.victimIdentifiable ? html`<span class="badge">${ct(lang, 'le.badge.victim')}</span>` : ''}
    ${item.onHold ? html`<span class="badge">${ct(lang, 'le.badge.onHold')}</span>` : ''}
  </p>`;
}

function inboxEntry(ctx: PageContext, item: EscalationView, first: boolean): SafeHtml {
  const { lang } = ctx;
  const since = item.sentAt ?? item.createdAt;
  const age = formatDuration(lang, (ctx.now.getTime() - new Date(since).getTime()) / 1000);
  const where = [labelOf(lang, 'analyst.hostingClass', item.hosting.class), item.hosting.country, item.hosting.organisation].filter(Boolean).join(' · ');
  return html`<li class="panel" data-escalation-id="${item.id}" ${item.acknowledgedAt ? '' : html` data-unacknowledged`}>
    <h2>
      <a href="/escalations/${item.id}" ${first ? html` data-key="o" aria-keyshortcuts="o"` : ''}><code class="url" dir="ltr">${item.url}</code></a>
    </h2>
    ${badges(ctx, item)}
    <p class="help">
      <time datetime="${since}">${ct(lang, 'le.inbox.received', { age })}</time> · ${ct(lang, 'le.inbox.priority', { priority: item.priority })} ·
      ${labelOf(lang, 'analyst.status', item.caseStatus)} · <span dir="auto">${where}</span>
    </p>
  </li>`;
}

function caseFacts(ctx: PageContext, view: EscalationDetailView): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey) => ct(lang, key);
  return html`<section class="panel" aria-labelledby="case-title">
    <h2 id="case-title">${t('le.detail.case')}</h2>
    <p><span class="visually-hidden">${t('le.detail.url')}: </span><code class="url" dir="ltr" id="escalation-url">${view.url}</code></p>
    ${badges(ctx, view)}
    <dl class="facts" id="escalation-facts">
      <dt>${t('le.detail.reason')}</dt>
      <dd>${ct(lang, `le.reason.${view.reason}` as ConsoleMessageKey)}</dd>
      <dt>${t('le.detail.sent')}</dt>
      <dd>${when(ctx, view.sentAt)}</dd>
      <dt>${t('le.detail.acknowledged')}</dt>
      <dd id="acknowledged-at">${when(ctx, view.acknowledgedAt)}</dd>
      <dt>${t('le.detail.caseId')}</dt>
      <dd><code dir="ltr">${view.caseId}</code></dd>
      <dt>${t('le.detail.caseStatus')}</dt>
      <dd>${labelOf(lang, 'analyst.status', view.caseStatus)}</dd>
      <dt>${t('le.detail.verdict')}</dt>
      <dd>${view.verdict ? labelOf(lang, 'analyst.verdict', view.verdict) : t('le.detail.notYet')}</dd>
      ${
        view.classification
          ? html`<dt>${t('le.detail.classification')}</dt>
              <dd>${classificationSummary(ctx, view.classification)}</dd>`
          : ''
      }
      <dt>${t('le.detail.priority')}</dt>
      <dd>${view.priority}</dd>
      <dt>${t('le.detail.victim')}</dt>
      <dd>${ct(lang, view.victimIdentifiable ? 'common.yes' : 'common.no')}</dd>
      <dt>${t('le.detail.reports')}</dt>
      <dd>${view.reportCount}</dd>
      <dt>${t('le.detail.firstReported')}</dt>
      <dd>${when(ctx, view.firstReportedAt)}</dd>
      <dt>${t('le.detail.lastReported')}</dt>
      <dd>${when(ctx, view.lastReportedAt)}</dd>
      ${
        view.removedAt
          ? html`<dt>${t('le.detail.removed')}</dt>
              <dd>${when(ctx, view.removedAt)}</dd>`
          : ''
      }
    </dl>
  </section>`;
}

function workPanel(ctx: PageContext, view: EscalationDetailView, holdForm: { reason: string; error: string } | null): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
  const acknowledge =
    view.acknowledgedAt === null
      ? html`<form method="post" action="/escalations/${view.id}/acknowledge">
          ${csrfField(ctx)}
          <p class="help">${t('le.work.acknowledgeHelp')}</p>
          <button type="submit" id="acknowledge" data-key="a" aria-keyshortcuts="a">${t('le.work.acknowledge')} ${kbd('A')}</button>
        </form>`
      : '';
  const hold =
    view.hold === null
      ? html`<form method="post" action="/escalations/${view.id}/hold" class="${holdForm ? 'invalid' : ''}">
          ${csrfField(ctx)}
          <h3>${t('le.work.hold.title')}</h3>
          <p class="help">${t('le.work.hold.help')}</p>
          <label for="${REASON_FIELD}">${t('le.work.hold.reason')} ${kbd('H')}</label>
          <p class="help" id="${REASON_FIELD}-help">${t('le.work.hold.reasonHelp', HOLD_REASON_LENGTH)}</p>
          ${holdForm ? html`<p class="field-error" id="${REASON_FIELD}-error">${holdForm.error}</p>` : ''}
          <textarea
            id="${REASON_FIELD}"
            name="reason"
            maxlength="${HOLD_REASON_LENGTH.max}"
            data-key="h"
            data-key-focus
            aria-describedby="${REASON_FIELD}-help${holdForm ? ` ${REASON_FIELD}-error` : ''}"
            ${holdForm ? html` aria-invalid="true"` : ''}
          >
${holdForm?.reason ?? ''}</textarea>
          <p class="actions"><button type="submit" id="place-hold" class="secondary">${t('le.work.hold.place')}</button></p>
        </form>`
      : view.hold.ours
        ? html`<form method="post" action="/escalations/${view.id}/hold/lift">
            ${csrfField(ctx)}
            <h3>${t('le.work.hold.title')}</h3>
            <p class="help">${t('le.work.hold.liftHelp')}</p>
            <button type="submit" id="lift-hold" class="secondary" data-key="l" aria-keyshortcuts="l">${t('le.work.hold.lift')} ${kbd('L')}</button>
          </form>`
        : html`<p>${t('le.work.hold.otherAgency')}</p>`;
  return html`<section class="panel" aria-labelledby="work-title">
    <h2 id="work-title">${t('le.work.title')}</h2>
    ${acknowledge} ${hold}
    <h3>${t('le.work.export')}</h3>
    <p class="help">${t('le.work.exportHelp')}</p>
    <p>
      <a class="button" id="export" href="/api/v1/escalations/${view.id}/export" download data-key="d" aria-keyshortcuts="d">${t('le.work.export')} ${kbd('D')}</a>
    </p>
  </section>`;
}

function hostingFacts(ctx: PageContext, view: EscalationDetailView): SafeHtml {
  const { lang } = ctx;
  const { hosting } = view;
  const t = (key: ConsoleMessageKey) => ct(lang, key);
  const unknown = t('analyst.hosting.unknown');
  return html`<section class="panel" aria-labelledby="hosting-title">
    <h2 id="hosting-title">${t('analyst.hosting.title')}</h2>
    <dl class="facts">
      <dt>${t('analyst.hosting.class')}</dt>
      <dd>${labelOf(lang, 'analyst.hostingClass', hosting.class)}</dd>
      <dt>${t('analyst.hosting.ip')}</dt>
      <dd>${hosting.ip ? html`<code dir="ltr">${hosting.ip}</code>` : unknown}</dd>
      <dt>${t('analyst.hosting.country')}</dt>
      <dd>${hosting.country ? html`<code dir="ltr">${hosting.country}</code>` : unknown}</dd>
      <dt>${t('analyst.hosting.asn')}</dt>
      <dd>${hosting.asn !== null ? html`<code dir="ltr">AS${hosting.asn}</code>` : unknown}</dd>
      <dt>${t('analyst.hosting.organisation')}</dt>
      <dd>${hosting.organisation ? html`<span dir="auto">${hosting.organisation}</span>` : unknown}</dd>
      ${
        hosting.cnames.length
          ? html`<dt>${t('analyst.hosting.cnames')}</dt>
              <dd>${hosting.cnames.map((name) => html`<code dir="ltr">${name}</code> `)}</dd>`
          : ''
      }
    </dl>
  </section>`;
}

function holdsSection(ctx: PageContext, view: EscalationDetailView): SafeHtml {
  const { lang } = ctx;
  if (view.holds.length === 0) return html``;
  return html`<section class="panel" aria-labelledby="holds-title">
    <h2 id="holds-title">${ct(lang, 'le.holds.title')}</h2>
    <ul id="holds">
      ${view.holds.map((hold) => {
        const from = formatDateTime(lang, new Date(hold.placedAt));
        const to = hold.liftedAt ? formatDateTime(lang, new Date(hold.liftedAt)) : null;
        // Another agency's hold is shown as being there, nothing more (its reason is that agency's).
        if (!hold.ours) return html`<li>${to ? ct(lang, 'le.holds.otherEntry', { from, to }) : ct(lang, 'le.holds.otherInForce', { from })}</li>`;
        const MARK = '\u0000';
        const [before, after] = (
          to
            ? ct(lang, 'le.holds.entry', { agency: hold.agency ?? '', reason: MARK, from, to })
            : ct(lang, 'le.holds.inForce', { agency: hold.agency ?? '', reason: MARK, from })
        ).split(MARK);
        return html`<li>${before}<span dir="auto">${hold.reason}</span>${after}</li>`;
      })}
    </ul>
  </section>`;
}

/** The hold in force: this agency's with its reason (as the analyst sees it), another agency's only as being there. */
function escalationHoldBanner(ctx: PageContext, hold: EscalationDetailView['hold']): SafeHtml {
  if (!hold) return html``;
  if (hold.ours) return holdBanner(ctx, { agency: hold.agency ?? '', reason: hold.reason ?? '', placedAt: hold.placedAt, liftedAt: hold.liftedAt });
  return html`<div class="notice warn" role="status" id="notice-hold">
    <p>
      <strong>${ct(ctx.lang, 'le.hold.otherBanner', { since: formatDateTime(ctx.lang, new Date(hold.placedAt)) })}</strong>
    </p>
    <p class="help">${ct(ctx.lang, 'analyst.hold.help')}</p>
  </div>`;
}
