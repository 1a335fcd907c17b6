import { HotlineConfig } from '@hotline/config';
import { html, intlLocale, type SafeHtml } from '@hotline/http';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { firstReviewable, type ReviewList } from '../../review/review-list';
import { type ReviewOverview, ReviewOverviewService } from '../../review/review-overview.service';
import type { ReviewQuality } from '../../review/review-quality';
import { CurrentStaff, Requires } from '../../staff-access/access.decorators';
import { StaffPrincipal } from '../../staff-access/staff-principal';
import { type ConsoleLanguage, type ConsoleMessageKey, ct, formatDateTime, formatDuration } from '../i18n';
import { kbd, type PageContext, pageContext, scrollableTable, type Shortcut } from '../layout';
import { pageReply } from '../page-reply';
import { ConsolePages } from '../page-routes';

/**
 * The senior analysts' review list: cases waiting for a second review and cases under appeal,
 * most urgent first, with what a reviewer may know before opening one (never the verdict under
 * blind review), and how often the second look changed the verdict. Decisions are made on the
 * case's page.
 */
@ApiExcludeController()
@ConsolePages()
@Controller()
export class ReviewPages {
  constructor(
    private readonly review: ReviewOverviewService,
    private readonly config: HotlineConfig,
  ) {}

  @Get('review')
  @Requires('cases.review')
  async list(@CurrentStaff() staff: StaffPrincipal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const ctx = pageContext(request, this.config);
    const overview = await this.review.overview(staff, ctx.now);
    request.shownCaseIds = [...overview.reviews.items, ...overview.appeals.items].map((item) => item.id);
    const { body, shortcuts } = reviewPage(ctx, overview);
    return pageReply(reply, ctx, { title: ct(ctx.lang, 'review.title'), active: 'review', body, shortcuts });
  }
}

/** The page's body and keys (a pure function of what the service found). */
export function reviewPage(ctx: PageContext, overview: ReviewOverview): { body: SafeHtml; shortcuts: Shortcut[] } {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
  const firstReview = firstReviewable(overview.reviews);
  const firstAppeal = firstReviewable(overview.appeals);
  const shortcuts: Shortcut[] = [
    ...(firstReview ? [{ key: 'O', label: t('review.openFirst') }] : []),
    ...(firstAppeal ? [{ key: 'A', label: t('review.openFirstAppeal') }] : []),
  ];
  const openButton = (id: string, label: string, key: string) =>
    html`<a class="button" href="/cases/${id}" data-key="${key}" aria-keyshortcuts="${key}">${label}${kbd(key.toUpperCase())}</a>`;
  const body = html`<p class="notice" id="review-blind">${overview.blind ? t('review.blindOn') : t('review.blindOff')}</p>
    ${
      firstReview || firstAppeal
        ? html`<p class="actions">
            ${firstReview ? openButton(firstReview.id, t('review.openFirst'), 'o') : ''}
            ${firstAppeal ? openButton(firstAppeal.id, t('review.openFirstAppeal'), 'a') : ''}
          </p>`
        : ''
    }
    <section aria-labelledby="pending-title">
      <h2 id="pending-title">${t('review.pending.title')}</h2>
      ${reviewTable(ctx, overview, overview.reviews, 'pending')}
    </section>
    <section aria-labelledby="appeals-title">
      <h2 id="appeals-title">${t('review.appeals.title')}</h2>
      <p class="help" id="appeals-how">${t('review.appeals.how')}</p>
      ${reviewTable(ctx, overview, overview.appeals, 'appeals')}
    </section>
    <section aria-labelledby="quality-title">
      <h2 id="quality-title">${t('review.quality.title')}</h2>
      ${qualityTable(ctx, overview)}
    </section>`;
  return { body, shortcuts };
}

function reviewTable(ctx: PageContext, overview: ReviewOverview, list: ReviewList, kind: 'pending' | 'appeals'): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
  if (list.total === 0) return html`<p id="${kind}-none">${t(kind === 'pending' ? 'review.pending.none' : 'review.appeals.none')}</p>`;
  const withVerdict = !overview.blind;
  const verdictColumn = t(kind === 'pending' ? 'review.col.verdict' : 'review.col.appealedVerdict');
  return html`<p id="${kind}-count">
      ${t(kind === 'pending' ? 'review.pending.count' : 'review.appeals.count', { count: list.total })}
      ${list.total > list.items.length ? t('review.shownOf', { shown: list.items.length }) : ''}
    </p>
    ${scrollableTable(
      `${kind}-title`,
      html`<table class="review-list" id="${kind}-list">
        <caption class="visually-hidden">
          ${t(kind === 'pending' ? 'review.caption.pending' : 'review.caption.appeals')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('review.col.url')}</th>
            <th scope="col" class="num">${t('review.col.priority')}</th>
            <th scope="col">${t('review.col.assessed')}</th>
            <th scope="col" class="num">${t('review.col.waiting')}</th>
            ${withVerdict ? html`<th scope="col">${verdictColumn}</th>` : ''}
            <th scope="col">${t('review.col.case')}</th>
          </tr>
        </thead>
        <tbody>
          ${list.items.map((item) => {
            const urlId = `${kind}-url-${item.id}`;
            return html`<tr data-case-id="${item.id}" ${item.tookPart ? html` class="took-part"` : ''}>
              <th scope="row"><code id="${urlId}" dir="ltr">${item.url}</code></th>
              <td class="num" data-label="${t('review.col.priority')}">${item.priority}</td>
              <td data-label="${t('review.col.assessed')}">${item.assessedAt ? formatDateTime(lang, item.assessedAt) : t('review.notAssessed')}</td>
              <td class="num" data-label="${t('review.col.waiting')}">${formatDuration(lang, item.waitingSeconds)}</td>
              ${withVerdict ? html`<td class="verdict" data-label="${verdictColumn}">${item.verdict ? verdictLabel(lang, item.verdict) : ''}</td>` : ''}
              <td class="open">
                <a href="/cases/${item.id}" aria-describedby="${urlId}">${t('review.open')}</a>
                ${
                  item.tookPart
                    ? html`<p class="took-part-note"><span class="badge">${t('review.tookPartBadge')}</span> <span class="help">${t('review.tookPart')}</span></p>`
                    : ''
                }
              </td>
            </tr>`;
          })}
        </tbody>
      </table>`,
    )}`;
}

function qualityTable(ctx: PageContext, overview: ReviewOverview): SafeHtml {
  const { lang } = ctx;
  const t = (key: ConsoleMessageKey, params?: Record<string, string | number>) => ct(lang, key, params);
  const { recent, allTime, recentDays } = overview.quality;
  const cell = (quality: ReviewQuality, which: 'reviews' | 'appeals', id: string) => {
    const [changed, decided, rate] =
      which === 'reviews'
        ? [quality.overturned, quality.reviews, quality.disagreementRate]
        : [quality.appealsReversed, quality.appealsDecided, quality.appealReversalRate];
    return html`<td class="num" id="${id}" data-changed="${changed}" data-decided="${decided}">
      ${
        rate === null
          ? t('review.quality.noneDecided')
          : t('review.quality.ratio', { changed: formatCount(lang, changed), decided: formatCount(lang, decided), rate: formatRate(lang, rate) })
      }
    </td>`;
  };
  return html`<p class="help">${t('review.quality.intro')}</p>
    ${scrollableTable(
      'quality-title',
      html`<table id="review-quality">
        <caption class="visually-hidden">
          ${t('review.quality.caption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('review.quality.kind')}</th>
            <th scope="col" class="num">${t('review.quality.recent', { days: recentDays })}</th>
            <th scope="col" class="num">${t('review.quality.allTime')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">${t('review.quality.reviews')}</th>
            ${cell(recent, 'reviews', 'disagreement-recent')} ${cell(allTime, 'reviews', 'disagreement-all')}
          </tr>
          <tr>
            <th scope="row">${t('review.quality.appeals')}</th>
            ${cell(recent, 'appeals', 'appeals-recent')} ${cell(allTime, 'appeals', 'appeals-all')}
          </tr>
        </tbody>
      </table>`,
    )}`;
}

function verdictLabel(lang: ConsoleLanguage, verdict: string): string {
  return ct(lang, `review.verdict.${verdict}` as ConsoleMessageKey);
}

function formatCount(lang: ConsoleLanguage, value: number): string {
  return new Intl.NumberFormat(intlLocale(lang)).format(value);
}

function formatRate(lang: ConsoleLanguage, rate: number): string {
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}
