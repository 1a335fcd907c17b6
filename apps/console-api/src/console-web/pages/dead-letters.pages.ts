import { HotlineConfig } from '@hotline/config';
import { html, type SafeHtml } from '@hotline/http';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DeadLetterDesk, type DeadLetterEntry, deadLetterIdOf, errorWithoutAddresses, jobIdWithoutAddresses } from '../../dead-letters/dead-letter-desk';
import { Requires } from '../../staff-access/access.decorators';
import { ct, formatDateTime } from '../i18n';
import { csrfField, errorSummary, kbd, notice, PAGE_TITLE_ID, type PageContext, pageContext, scrollableTable } from '../layout';
import { field, pageReply, redirectTo } from '../page-reply';
import { ConsolePages } from '../page-routes';

/** How many open dead letters the page lists (oldest first); the count says how many there are. */
export const DEAD_LETTERS_SHOWN = 500;

/**
 * Dead letters (admins): jobs that ran out of attempts, with their queue, job, attempts, time and
 * error (only its leading plain words, errorWithoutAddresses: admins see no case content), never a payload;
 * redriven one by one or all at once, as `dlq:list` and `dlq:redrive` do (DeadLetterDesk).
 */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class DeadLettersPages {
  constructor(
    private readonly desk: DeadLetterDesk,
    private readonly config: HotlineConfig,
  ) {}

  @Get('admin/dead-letters')
  @Requires('dead-letters.manage')
  async list(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<string> {
    const ctx = pageContext(request, this.config);
    return this.page(reply, ctx, saidOf(ctx, query));
  }

  @Post('admin/dead-letters/:id/redrive')
  @HttpCode(200)
  @Requires('dead-letters.manage')
  async redrive(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { redriven } = await this.desk.redrive({ id });
    const known = deadLetterIdOf(id);
    if (redriven.length === 0) return redirectTo(reply, known ? `/admin/dead-letters?notOpen=${known}` : '/admin/dead-letters?notOpen');
    return redirectTo(reply, `/admin/dead-letters?redriven=${redriven[0]}`);
  }

  /** Every open dead letter; the form says so (`scope=all`), so a stray POST redrives nothing. */
  @Post('admin/dead-letters/redrive-all')
  @HttpCode(200)
  @Requires('dead-letters.manage')
  async redriveAll(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() form: unknown): Promise<string> {
    if (field(form, 'scope') !== 'all') {
      const ctx = pageContext(request, this.config);
      return this.page(reply, ctx, errorSummary(ctx, [{ message: ct(ctx.lang, 'admin.deadLetters.error.scope') }]), 400);
    }
    const { redriven } = await this.desk.redrive({ all: true });
    return redirectTo(reply, `/admin/dead-letters?redrivenAll=${redriven.length}`);
  }

  private async page(reply: FastifyReply, ctx: PageContext, said: SafeHtml, status = 200): Promise<string> {
    const { lang } = ctx;
    const [{ letters }, open] = await Promise.all([this.desk.list({ limit: DEAD_LETTERS_SHOWN }), this.desk.countOpen()]);
    const body = html`${said} ${deadLettersTable(ctx, letters, open)}`;
    return pageReply(
      reply,
      ctx,
      {
        title: ct(lang, 'nav.deadLetters'),
        active: 'deadLetters',
        body,
        shortcuts: open > 0 ? [{ key: 'R', label: ct(lang, 'admin.deadLetters.redriveAll', { count: open }) }] : [],
      },
      status,
    );
  }
}

/** The notice of the last redrive (post/redirect/get), from the query. */
function saidOf(ctx: PageContext, query: Record<string, unknown>): SafeHtml {
  const { lang } = ctx;
  const id = deadLetterIdOf(query.redriven);
  if (id) return notice(ct(lang, 'admin.deadLetters.redriven', { id }));
  if (typeof query.redrivenAll === 'string' && /^\d{1,9}$/.test(query.redrivenAll)) {
    return notice(ct(lang, 'admin.deadLetters.redrivenAll', { count: Number(query.redrivenAll) }));
  }
  if (query.notOpen !== undefined) {
    const notOpen = deadLetterIdOf(query.notOpen);
    return notice(notOpen ? ct(lang, 'admin.deadLetters.notOpen', { id: notOpen }) : ct(lang, 'admin.deadLetters.notOpenUnknown'), 'warn');
  }
  return html``;
}

export function deadLettersTable(ctx: PageContext, letters: readonly DeadLetterEntry[], open: number): SafeHtml {
  const { lang } = ctx;
  const t = (key: Parameters<typeof ct>[1], params?: Record<string, string | number>) => ct(lang, key, params);
  if (letters.length === 0) return html`<p class="panel">${t('admin.deadLetters.none')}</p>`;
  return html`<div class="panel admin-panel">
      <p>${t('admin.deadLetters.intro')}</p>
      <form method="post" action="/admin/dead-letters/redrive-all" class="inline">
        ${csrfField(ctx)}<input type="hidden" name="scope" value="all" />
        <button type="submit" data-key="r" aria-keyshortcuts="r">${t('admin.deadLetters.redriveAll', { count: open })} ${kbd('R')}</button>
      </form>
    </div>
    ${scrollableTable(
      PAGE_TITLE_ID,
      html`<table class="dead-letters">
        <caption>
          ${t('admin.deadLetters.caption', { count: open })}
          ${letters.length < open ? html`<span class="help">${t('admin.deadLetters.shown', { shown: letters.length })}</span>` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="num">${t('admin.deadLetters.id')}</th>
            <th scope="col">${t('admin.deadLetters.job')}</th>
            <th scope="col" class="num">${t('admin.deadLetters.attempts')}</th>
            <th scope="col">${t('admin.deadLetters.failedAt')}</th>
            <th scope="col">${t('admin.deadLetters.error')}</th>
            <th scope="col"><span class="visually-hidden">${t('admin.deadLetters.redrive')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${letters.map(
            (letter) =>
              html`<tr id="dead-letter-${letter.id}">
                <th scope="row" class="num">${letter.id}</th>
                <td>
                  <code dir="ltr">${letter.queue}</code>
                  <div class="help"><bdi dir="ltr">${letter.jobName}</bdi></div>
                  <div class="help job-id" dir="ltr"><code>${jobIdWithoutAddresses(letter.jobId)}</code></div>
                </td>
                <td class="num" data-label="${t('admin.deadLetters.attempts')}">${letter.attempts}</td>
                <td data-label="${t('admin.deadLetters.failedAt')}">${formatDateTime(lang, new Date(letter.failedAt))}</td>
                <td class="error-text"><span dir="ltr">${errorWithoutAddresses(letter.error)}</span></td>
                <td class="redrive">
                  <form method="post" action="/admin/dead-letters/${letter.id}/redrive" class="inline">
                    ${csrfField(ctx)}
                    <button type="submit" class="secondary">
                      ${t('admin.deadLetters.redrive')}<span class="visually-hidden"> ${t('admin.deadLetters.letter', { id: letter.id })}</span>
                    </button>
                  </form>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`,
    )}`;
}
