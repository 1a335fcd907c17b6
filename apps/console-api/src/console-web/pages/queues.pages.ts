import { HotlineConfig } from '@hotline/config';
import { html } from '@hotline/http';
import { allows } from '@hotline/security';
import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CaseLeasesService } from '../../claims/case-leases.service';
import { ReviewQueuesService } from '../../queues/review-queues.service';
import { CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { StaffPrincipal } from '../../staff-access/staff-principal';
import { ct, formatDuration, formatTime } from '../i18n';
import { csrfField, isAccountNotice, kbd, notice, PAGE_TITLE_ID, pageContext, scrollableTable } from '../layout';
import { pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';
import { exposureMeter } from './exposure-meter';
import { isolatedQueueName } from './queue-name';

/** Seconds between refreshes of the queue counts while the page is open and visible. */
const REFRESH_SECONDS = 30;

/** Where each role starts, and the analysts' queues overview with claim-next. */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class QueuesPages {
  constructor(
    private readonly queues: ReviewQueuesService,
    private readonly leases: CaseLeasesService,
    private readonly config: HotlineConfig,
  ) {}

  @Get()
  @Requires('session.own')
  home(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('account') account?: string,
  ): string {
    // A notice of a change to one's own account (the password) goes along to where the role starts.
    const along = isAccountNotice(account) ? `?account=${account}` : '';
    // A regulator starts at the statistics (they may also look at the queues' counts).
    if (staff.role === 'regulator') return redirectTo(reply, `/stats${along}`);
    if (allows(staff.role, 'queues.read') && staff.role !== 'admin') return redirectTo(reply, `/queues${along}`);
    if (allows(staff.role, 'users.manage')) return redirectTo(reply, `/admin/users${along}`);
    // A law-enforcement liaison starts at their agency's escalations.
    if (allows(staff.role, 'escalations.read')) return redirectTo(reply, `/escalations${along}`);
    const ctx = pageContext(request, this.config);
    return pageReply(reply, ctx, { title: ct(ctx.lang, 'home.title'), active: 'home', body: html`<p class="panel">${ct(ctx.lang, 'home.le_liaison')}</p>` });
  }

  @Get('queues')
  @Requires('queues.read')
  async overview(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('empty') empty?: string,
  ): Promise<string> {
    const ctx = pageContext(request, this.config);
    const { lang } = ctx;
    const canClaim = allows(staff.role, 'cases.claim');
    const [queues, exposure] = await Promise.all([this.queues.overview(), canClaim ? this.leases.exposure(staff.id) : null]);
    const stopped = exposure !== null && exposure.remainingSeconds <= 0;
    const first = queues.find((queue) => queue.open > 0);
    const emptyQueue = typeof empty === 'string' ? queues.find((queue) => queue.name === empty) : undefined;
    const claimButton = (name: string, label: string, key?: string) =>
      html`<form method="post" action="/queues/${name}/claim" class="inline">
        ${csrfField(ctx)}<button type="submit" ${stopped ? html` disabled` : ''}${key ? html` data-key="${key}" aria-keyshortcuts="${key}"` : ''}>
          ${label}${key ? kbd(key.toUpperCase()) : ''}
        </button>
      </form>`;
    const body = html` ${emptyQueue ? notice(ct(lang, 'analyst.queues.empty', { queue: isolatedQueueName(emptyQueue.name) }), 'warn') : ''}
    ${exposure ? exposureMeter(ctx, exposure) : ''}
    ${canClaim && first && !stopped ? html`<p>${claimButton(first.name, ct(lang, 'analyst.queues.claimIn', { queue: isolatedQueueName(first.name) }), 'n')}</p>` : ''}
    ${scrollableTable(
      PAGE_TITLE_ID,
      html`<table>
          <caption>
            ${ct(lang, 'analyst.queues.caption')} ·
            <span class="help">${ct(lang, 'common.refreshed', { time: formatTime(lang, ctx.now) })}</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">${ct(lang, 'analyst.queues.name')}</th>
              <th scope="col" class="num">${ct(lang, 'analyst.queues.open')}</th>
              <th scope="col" class="num">${ct(lang, 'analyst.queues.oldest')}</th>
              ${canClaim ? html`<th scope="col"><span class="visually-hidden">${ct(lang, 'analyst.queues.claim')}</span></th>` : ''}
            </tr>
          </thead>
          <tbody>
            ${queues.map(
              (queue) =>
                html`<tr>
                  <th scope="row">
                    <code>${queue.name}</code>
                    <div class="help">${queue.description}</div>
                  </th>
                  <td class="num">${queue.open}</td>
                  <td class="num">${queue.open > 0 ? formatDuration(lang, queue.oldestAgeSeconds) : ct(lang, 'analyst.queues.none')}</td>
                  ${canClaim ? html`<td>${queue.open > 0 ? claimButton(queue.name, ct(lang, 'analyst.queues.claim')) : ''}</td>` : ''}
                </tr>`,
            )}
          </tbody>
        </table>
        ${queues.every((queue) => queue.open === 0) ? html`<p>${ct(lang, 'analyst.queues.nothing')}</p>` : ''}`,
      html`id="queue-table" data-refreshable`,
    )}`;
    return pageReply(reply, ctx, {
      title: ct(lang, 'analyst.queues.title'),
      active: 'queues',
      body,
      mainData: { 'refresh-seconds': String(REFRESH_SECONDS) },
      shortcuts: canClaim && first && !stopped ? [{ key: 'N', label: ct(lang, 'analyst.queues.claimFirst') }] : [],
    });
  }

  /** Claims the next free case of the queue and opens it; an empty queue says so on the overview. */
  @Post('queues/:name/claim')
  @Requires('cases.claim')
  async claim(
    @Param('name') name: string,
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const claimed = await this.leases.claimNext(name, staff);
    if (!claimed) return redirectTo(reply, `/queues?empty=${encodeURIComponent(name)}`);
    request.audited = true;
    return redirectTo(reply, `/cases/${claimed.id}`);
  }
}
