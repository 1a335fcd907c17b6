import { html, SafeHtml } from '@hotline/http';
import type { Exposure } from '../../claims/case-leases.service';
import { ct, formatDuration } from '../i18n';
import type { PageContext } from '../layout';

/**
 * Time holding cases today against the daily limit (EXPOSURE_DAILY_LIMIT, IWF: 5 h). Reached, it
 * says stop in words, and the claim buttons are disabled (the API refuses claims anyway).
 */
export function exposureMeter(ctx: PageContext, exposure: Exposure): SafeHtml {
  const { lang } = ctx;
  const reached = exposure.remainingSeconds <= 0;
  const params = { held: formatDuration(lang, exposure.heldSeconds), limit: formatDuration(lang, exposure.limitSeconds) };
  return html`<section class="panel" aria-labelledby="exposure-title">
    <h2 id="exposure-title">${ct(lang, 'analyst.exposure.title')}</h2>
    <label for="exposure-meter">${ct(lang, 'analyst.exposure.today', params)}</label>
    <meter
      id="exposure-meter"
      class="meter"
      min="0"
      max="${exposure.limitSeconds}"
      low="${Math.round(exposure.limitSeconds * 0.6)}"
      high="${Math.round(exposure.limitSeconds * 0.85)}"
      optimum="0"
      value="${exposure.heldSeconds}"
    >
      ${params.held}
    </meter>
    ${
      reached
        ? html`<div class="stop" role="alert">
            <strong>${ct(lang, 'analyst.exposure.stopTitle')}</strong>
            <p>${ct(lang, 'analyst.exposure.stopDetail')}</p>
          </div>`
        : html`<p class="help">${ct(lang, 'analyst.exposure.remaining', { remaining: formatDuration(lang, exposure.remainingSeconds) })}</p>`
    }
  </section>`;
}
