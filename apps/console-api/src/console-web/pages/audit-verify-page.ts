import type { ChainVerdict } from '@hotline/audit';
import { html, type SafeHtml } from '@hotline/http';
import { allows } from '@hotline/security';
import { ct, formatTime } from '../i18n';
import type { PageContext } from '../layout';
import { formatCount } from './stats-format';

/**
 * The audit log's integrity, as `audit:verify` and GET /api/v1/audit/verify give it: intact (every
 * event hashes to its stored value and links to the one before) or the first broken sequence number.
 */
export function auditVerifyBody(ctx: PageContext, verdict: ChainVerdict): SafeHtml {
  const { lang } = ctx;
  const broken = !verdict.ok;
  return html`<p class="help">${ct(lang, 'stats.audit.intro')}</p>
    <section class="panel">
      <p class="notice ${broken ? 'warn' : 'ok'}" role="status" id="audit-verdict" data-ok="${String(verdict.ok)}">
        ${
          broken
            ? ct(lang, 'stats.verify.broken', { seq: formatCount(lang, verdict.firstBrokenSeq ?? 0), events: formatCount(lang, verdict.events) })
            : ct(lang, 'stats.verify.ok', { events: formatCount(lang, verdict.events) })
        }
      </p>
      <dl class="facts">
        <dt>${ct(lang, 'stats.verify.result')}</dt>
        <dd>${ct(lang, broken ? 'stats.verify.brokenWord' : 'stats.verify.okWord')}</dd>
        <dt>${ct(lang, 'stats.verify.events')}</dt>
        <dd id="audit-events">${formatCount(lang, verdict.events)}</dd>
        ${
          broken
            ? html`<dt>${ct(lang, 'stats.verify.firstBroken')}</dt>
                <dd id="audit-first-broken">${verdict.firstBrokenSeq ?? '—'}</dd>`
            : ''
        }
        <dt>${ct(lang, 'stats.verify.checkedAt')}</dt>
        <dd>${formatTime(lang, ctx.now)}</dd>
      </dl>
      <p class="actions">
        <a class="button" href="/audit/verify">${ct(lang, 'stats.verify.again')}</a>
        ${ctx.staff && allows(ctx.staff.role, 'stats.read') ? html`<a class="button secondary" href="/stats">${ct(lang, 'stats.verify.back')}</a>` : ''}
      </p>
    </section>`;
}
