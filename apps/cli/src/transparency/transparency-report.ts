import { type Figure, METRIC_DEFINITIONS } from '@hotline/domain';
import { html, type SafeHtml, trustedHtml } from '@hotline/http';
import { countAxis, durationAxis } from '../../../console-api/src/console-web/charts/chart-axes';
import { barChart, lineChart } from '../../../console-api/src/console-web/charts/svg-chart';
import { TRANSPARENCY_STYLE } from './transparency-style';
import type { CountFigure, TransparencyFigures, TransparencyMetric } from './transparency-figures';

/**
 * The yearly transparency report as one self-contained HTML document: the figures a hotline
 * publishes, month-by-month charts drawn inline as SVG (the console's chart module), and the
 * methodology behind them. Pure: figures in, text out. Every value goes through the `html`
 * template (escaped); the document loads nothing (its own CSP says so to the browser that opens it).
 */

const NUMBER = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
const MONTH_SHORT = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });
const MONTH_LONG = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const HOSTING_LABELS: Record<string, string> = {
  domestic: 'In the country (domestic)',
  partner_country: 'In a country with a partner hotline',
  no_hotline_country: 'In a country with no partner hotline',
  unknown: 'Unknown (hosting not resolved)',
  onion: 'Onion services (no hosting country)',
};

const METRIC_LABELS: Record<TransparencyMetric, string> = {
  deduplication: 'URLs reported and unique URLs',
  public_accuracy: 'Accuracy of public reports',
  police_notification: 'Confirmed, and referred to police or a partner hotline within 3 working days',
  time_to_removal: 'Time to removal (received to removed), and removed within 3 working days',
  notice_to_removal: 'Time to removal (notice to removed)',
  removal_completion: 'Removed within 30 days of confirmation',
};

export function countryName(code: string): string | null {
  if (!/^[A-Z]{2}$/.test(code) || code === 'ZZ') return null;
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code);
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}

/** A duration read back from the histogram (within ±2.5 %): so shown to two or three significant figures. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${NUMBER.format(seconds)} s`;
  if (seconds < 3_600) return `${NUMBER.format(seconds / 60)} min`;
  if (seconds < 48 * 3_600) return `${ONE_DECIMAL.format(seconds / 3_600)} hours`;
  return `${ONE_DECIMAL.format(seconds / 86_400)} days`;
}

export function formatPercent(rate: number): string {
  return `${ONE_DECIMAL.format(rate * 100)}%`;
}

const fewer = (minCell: number) => `fewer than ${NUMBER.format(minCell)}`;

/** A count as shown: the number, or the suppression wording. */
function count(value: number | null, suppressed: boolean, minCell: number): string {
  return suppressed || value === null ? fewer(minCell) : NUMBER.format(value);
}

/** A rate with its counts ("83.3% (5 of 6)"), suppressed, or "none" for an empty cell. */
function rate(figure: Figure, minCell: number): string {
  if (figure.suppressed) return `${fewer(minCell)} cases: not shown`;
  if (figure.rate === null || figure.count === null || figure.hits === null) return 'none this year';
  return `${formatPercent(figure.rate)} (${NUMBER.format(figure.hits)} of ${NUMBER.format(figure.count)})`;
}

/** A percentile in a table cell: the rounded text, the value behind it in `data-seconds` (for re-use of the document's figures). */
function durationCell(figure: Figure, which: 'median' | 'p90', minCell: number): SafeHtml {
  const seconds = figure[which];
  if (figure.suppressed) return html`<td class="withheld">${fewer(minCell)}</td>`;
  if (seconds === null) {
    return html`<td class="withheld">${(figure.measured ?? 0) === 0 ? 'none' : `withheld (${fewer(minCell)} timed)`}</td>`;
  }
  return html`<td data-seconds="${Math.round(seconds)}">${formatDuration(seconds)}</td>`;
}

function countCell(value: CountFigure | Figure, minCell: number): SafeHtml {
  const shown = count(value.count, value.suppressed, minCell);
  return value.suppressed ? html`<td class="withheld">${shown}</td>` : html`<td data-count="${value.count}">${shown}</td>`;
}

function keyFigure(id: string, label: string, value: string, note: SafeHtml | string | null, suppressed: boolean): SafeHtml {
  return html`<div class="key-figure" id="${id}">
    <dt>${label}</dt>
    <dd class="${suppressed ? 'value withheld' : 'value'}">${value}</dd>
    ${note && html`<dd class="note">${note}</dd>`}
  </div>`;
}

/** A note's mark; each note is marked once, so its id can lead back. */
const footnote = (n: number) => html`<sup><a href="#note-${n}" id="ref-${n}">${n}</a></sup>`;

function keyFigures(f: TransparencyFigures): SafeHtml {
  const { deduplication, police_notification: confirmed, time_to_removal: removal, public_accuracy: accuracy, removal_completion: completion } = f.totals;
  const unique = deduplication.suppressed || deduplication.count === null || deduplication.hits === null ? null : deduplication.count - deduplication.hits;
  return html`<dl class="key-figures">
    ${keyFigure('reports-received', 'Reports received', count(f.reportsReceived.count, f.reportsReceived.suppressed, f.minCell), 'reports made to the hotline, each of one or more URLs', f.reportsReceived.suppressed)}
    ${keyFigure('urls-reported', 'URLs reported', count(deduplication.count, deduplication.suppressed, f.minCell), 'every URL of every report', deduplication.suppressed)}
    ${keyFigure(
      'unique-urls',
      'Unique URLs',
      count(unique, unique === null, f.minCell),
      unique === null
        ? null
        : html`URLs that opened a case or reopened one after removal; ${NUMBER.format(deduplication.hits ?? 0)} repeated an address already open${footnote(2)}`,
      unique === null,
    )}
    ${keyFigure('confirmed', 'Confirmed illegal', count(confirmed.count, confirmed.suppressed, f.minCell), html`URLs confirmed as child sexual abuse material${footnote(1)}`, confirmed.suppressed)}
    ${keyFigure('removed-within', 'Removed within 3 working days of the report', rate(removal, f.minCell), 'of the removals this year', removal.suppressed)}
    ${keyFigure(
      'median-removal',
      'Median time to removal',
      removal.suppressed ? fewer(f.minCell) : removal.median === null ? 'withheld' : formatDuration(removal.median),
      'from the report to the content’s removal',
      removal.suppressed || removal.median === null,
    )}
    ${keyFigure('public-accuracy', 'Accuracy of public reports', rate(accuracy, f.minCell), html`public cases confirmed illegal${footnote(3)}`, accuracy.suppressed)}
    ${keyFigure('referred-within', 'Referred within 3 working days', rate(confirmed, f.minCell), 'confirmed URLs referred to police or a partner hotline', confirmed.suppressed)}
    ${keyFigure('removal-completion', 'Removed within 30 days', rate(completion, f.minCell), 'of confirmed URLs, from their confirmation', completion.suppressed)}
  </dl>`;
}

function hostingTable(f: TransparencyFigures, country: string | null): SafeHtml {
  const total = f.totals.police_notification;
  const share = (value: Figure) => (value.suppressed || value.count === null || total.suppressed || !total.count ? '–' : formatPercent(value.count / total.count));
  const label = (hosting: string) => (hosting === 'domestic' && country ? `In ${country} (domestic)` : (HOSTING_LABELS[hosting] ?? hosting));
  return html`<div class="table-scroll">
    <table id="hosting">
      <caption>
        Confirmed URLs by where the content was hosted
      </caption>
      <thead>
        <tr>
          <th scope="col">Where hosted</th>
          <th scope="col">Confirmed</th>
          <th scope="col">Share of confirmed</th>
        </tr>
      </thead>
      <tbody>
        ${f.byHosting.map(
          (row) =>
            html`<tr data-hosting="${row.hosting}">
              <th scope="row">${label(row.hosting)}</th>
              ${countCell(row.confirmed, f.minCell)}
              <td>${share(row.confirmed)}</td>
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">All confirmed</th>
          ${countCell(total, f.minCell)}
          <td>${total.suppressed || !total.count ? '–' : '100%'}</td>
        </tr>
      </tfoot>
    </table>
  </div>`;
}

function removalTables(f: TransparencyFigures, country: string | null): SafeHtml {
  const clock = (id: string, label: string, figure: Figure) =>
    html`<tr id="${id}">
      <th scope="row">${label}</th>
      ${countCell(figure.suppressed ? figure : { count: figure.measured, suppressed: false }, f.minCell)}${durationCell(figure, 'median', f.minCell)}${durationCell(figure, 'p90', f.minCell)}
    </tr>`;
  const label = (hosting: string) => (hosting === 'domestic' && country ? `In ${country} (domestic)` : (HOSTING_LABELS[hosting] ?? hosting));
  return html`<div class="table-scroll">
      <table id="removal-clocks">
        <caption>
          Time to removal, on both clocks
        </caption>
        <thead>
          <tr>
            <th scope="col">Clock</th>
            <th scope="col">Removals timed</th>
            <th scope="col">Median</th>
            <th scope="col">90th percentile</th>
          </tr>
        </thead>
        <tbody>
          ${clock('clock-received', 'From the report to the removal (INHOPE’s clock)', f.totals.time_to_removal)}
          ${clock('clock-notice', 'From the notice to the host (or the forward to a partner hotline) to the removal (IWF’s clock)', f.totals.notice_to_removal)}
        </tbody>
      </table>
    </div>
    <p id="removed-within-text">Removed within 3 working days of the report: <strong>${rate(f.totals.time_to_removal, f.minCell)}</strong> of the removals.</p>
    <div class="table-scroll">
      <table id="removal-hosting">
        <caption>
          Removals by where the content was hosted
        </caption>
        <thead>
          <tr>
            <th scope="col">Where hosted</th>
            <th scope="col">Removals</th>
            <th scope="col">Within 3 working days</th>
            <th scope="col">Median, report to removal</th>
          </tr>
        </thead>
        <tbody>
          ${f.byHosting.map(
            (row) =>
              html`<tr data-hosting="${row.hosting}">
                <th scope="row">${label(row.hosting)}</th>
                ${countCell(row.removal, f.minCell)}
                <td>${row.removal.suppressed ? fewer(f.minCell) : row.removal.rate === null ? '–' : formatPercent(row.removal.rate)}</td>
                ${durationCell(row.removal, 'median', f.minCell)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

function monthCharts(f: TransparencyFigures): SafeHtml {
  const months = f.months.map((m) => ({ ...m, date: new Date(`${m.start}T00:00:00Z`) }));
  const words = (value: number | null, suppressed: boolean) => (suppressed ? fewer(f.minCell) : value === null ? 'none' : NUMBER.format(value));
  const bars = (id: string, title: string, pick: (m: (typeof months)[number]) => CountFigure | Figure, noun: string) => {
    const points = months.map((m) => {
      const v = pick(m);
      return {
        label: MONTH_SHORT.format(m.date),
        value: v.suppressed ? null : v.count,
        suppressed: v.suppressed,
        tip: `${MONTH_LONG.format(m.date)}: ${words(v.count, v.suppressed)} ${noun}`,
      };
    });
    const desc = points.map((p) => p.tip).join('; ');
    return html`<figure class="chart-figure">
      <figcaption>${title}</figcaption>
      ${barChart({ id, title, desc, dir: 'ltr', points, axis: countAxis('en') })}
    </figure>`;
  };
  const medians = months.map((m) => (m.removal.suppressed ? null : m.removal.median));
  const p90s = months.map((m) => (m.removal.suppressed ? null : m.removal.p90));
  const tip = (m: (typeof months)[number], which: 'median' | 'p90') => {
    const r = m.removal;
    const value = r.suppressed ? `${fewer(f.minCell)} removals` : r[which] === null ? 'not shown' : formatDuration(r[which]!);
    return `${MONTH_LONG.format(m.date)}: ${which === 'median' ? 'median' : '90th percentile'} ${value}`;
  };
  const lineTitle = 'Time to removal per month';
  return html`<div class="chart-grid">
      ${bars('chart-reports', 'Reports received per month', (m) => m.reports, 'reports')}
      ${bars('chart-confirmed', 'Confirmed URLs per month', (m) => m.confirmed, 'confirmed')}
      <figure class="chart-figure">
        <figcaption>${lineTitle}</figcaption>
        ${lineChart({
          id: 'chart-removal',
          title: lineTitle,
          desc: months.map((m) => `${tip(m, 'median')}, ${tip(m, 'p90').replace(/^[^:]*: /, '')}`).join('; '),
          dir: 'ltr',
          labels: months.map((m) => MONTH_SHORT.format(m.date)),
          series: [
            { className: 'median', values: medians, tips: months.map((m) => tip(m, 'median')) },
            { className: 'p90', values: p90s, tips: months.map((m) => tip(m, 'p90')) },
          ],
          axis: durationAxis('en'),
        })}
        <ul class="chart-legend">
          <li><span class="swatch line median" aria-hidden="true"></span>median</li>
          <li><span class="swatch line p90" aria-hidden="true"></span>90th percentile</li>
        </ul>
      </figure>
    </div>
    <p class="chart-note">
      A dashed column is a month of ${fewer(f.minCell)}: not shown. A month without a point on the line had ${fewer(f.minCell)} removals timed, or none.
    </p>`;
}

function monthTable(f: TransparencyFigures): SafeHtml {
  return html`<div class="table-scroll">
    <table id="months">
      <caption>
        Month by month
      </caption>
      <thead>
        <tr>
          <th scope="col">Month</th>
          <th scope="col">Reports received</th>
          <th scope="col">Confirmed</th>
          <th scope="col">Removals</th>
          <th scope="col">Median time to removal</th>
        </tr>
      </thead>
      <tbody>
        ${f.months.map(
          (m) =>
            html`<tr data-month="${m.start}">
              <th scope="row">${MONTH_LONG.format(new Date(`${m.start}T00:00:00Z`))}</th>
              ${countCell(m.reports, f.minCell)}${countCell(m.confirmed, f.minCell)}${countCell(m.removal, f.minCell)}${durationCell(m.removal, 'median', f.minCell)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function stillOnline(f: TransparencyFigures): SafeHtml {
  const on = DATE.format(new Date(f.generatedAt));
  const s = f.stillOnline;
  if (s.suppressed) return html`<p id="still-online">On ${on}, ${fewer(f.minCell)} confirmed URLs were still online (not yet removed).</p>`;
  if (!s.count) return html`<p id="still-online">On ${on}, no confirmed URL was still online.</p>`;
  return html`<p id="still-online">
    On ${on}, <strong>${NUMBER.format(s.count)}</strong> confirmed URLs were still online (not yet
    removed)${
      s.medianSeconds !== null
        ? html`; half of them had been confirmed more than ${formatDuration(s.medianSeconds)} before, the oldest ${formatDuration(s.oldestSeconds ?? s.medianSeconds)}`
        : ''
    }.
  </p>`;
}

function methodology(f: TransparencyFigures, country: string | null): SafeHtml {
  const cal = f.calendar;
  const weekend = cal.weekend.length
    ? [...cal.weekend]
        .sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7))
        .map((d) => WEEKDAYS[d] ?? String(d))
        .join(' and ')
    : 'none';
  const calendarCountry = countryName(cal.country);
  const behind = f.latestEvent !== f.throughEvent;
  return html`<p>
      Every figure is computed from the history of the hotline’s cases (the events recorded as each case moves from report to removal), never from the content, and never
      names a reporter, a URL or an analyst. Times are in UTC; each figure is counted in the month of the event that dates it (below).
    </p>
    <h3>Definitions</h3>
    <dl class="definitions">
      ${(Object.keys(METRIC_LABELS) as TransparencyMetric[]).map((metric) => {
        const d = METRIC_DEFINITIONS[metric];
        return html`<div id="definition-${metric}">
          <dt>${METRIC_LABELS[metric]}</dt>
          <dd>
            One observation is ${d.counts}${d.hit ? html`; it counts towards the share when ${d.hit}` : ''}${d.duration ? html`; the clock runs from ${d.duration}` : ''}.
            Dated by ${d.datedBy}.
          </dd>
        </div>`;
      })}
      <div id="definition-reports">
        <dt>Reports received</dt>
        <dd>Reports received in the year (public form and API, partner hotlines, trusted bulk sources), each of one or more URLs.</dd>
      </div>
    </dl>
    <h3>Percentiles</h3>
    <p id="method-percentiles">
      Durations are counted in logarithmic buckets: each is read back within ±${ONE_DECIMAL.format(f.durationRelativeError * 100)}% of its true value, and the median and
      90th percentile (by nearest rank) are within the same margin of the exact ones. They are shown rounded accordingly.
    </p>
    <h3>Small numbers</h3>
    <p id="method-suppression">
      A figure drawn from ${fewer(f.minCell)} cases is not shown: it reads “${fewer(f.minCell)}”, since so few could point at a single case. A median or percentile of
      ${fewer(f.minCell)} durations is withheld while its count is shown. A zero is shown as zero. This is the rule of the regulators’ statistics (STATS_MIN_CELL =
      ${NUMBER.format(f.minCell)}), applied here to every cell, each month and each hosting class alike, and to reports received and URLs still online.
    </p>
    <h3>Working days</h3>
    <p id="method-calendar">
      Working days are those of ${calendarCountry ?? (country || 'the hotline’s country')}${calendarCountry ? ` (${cal.country})` : ''}: the weekend is ${weekend}, and
      ${
        cal.holidays.length === 0
          ? html`no public holiday in ${f.year} is counted`
          : html`${cal.holidays.length === 1 ? 'one public holiday' : `${NUMBER.format(cal.holidays.length)} public holidays`} in ${f.year}
            ${cal.holidays.length === 1 ? 'does' : 'do'} not count
            (${cal.holidays.map((day, i) => html`${i > 0 ? ', ' : ''}<time datetime="${day}">${DATE.format(new Date(`${day}T00:00:00Z`))}</time>`)})`
      }.
      ${
        cal.source === 'file'
          ? 'The calendar is the one the hotline keeps (WORKING_DAYS_FILE).'
          : 'The calendar is the public holidays of the country as published in the date-holidays package, and its usual weekend.'
      }
      A report received on a Friday at 17:00 is within 3 working days until the next Wednesday at 17:00 (when Saturday and Sunday are the weekend); one received on a
      Saturday, until Wednesday at midnight.
    </p>
    <h3>The data</h3>
    <p id="method-data">
      Produced on ${DATE_TIME.format(new Date(f.generatedAt))} (UTC) from the statistics’ rollups, which include every case event up to no.
      <span id="through-event">${f.throughEvent}</span>${
        behind ? html` (the latest recorded then was no. ${f.latestEvent}: the few after it, seconds old, are not included)` : ''
      }.
      ${f.inProgress ? html`The year ${f.year} was not over: its figures run to the day of production.` : ''}
    </p>`;
}

function notes(f: TransparencyFigures): SafeHtml {
  return html`<ol class="notes">
    <li id="note-1">
      Confirmed counts each confirmation of a case (one canonical URL): assessed illegal by an analyst and, where required, a second one, or matched against a partner
      hotline’s list of confirmed URLs. It is the population of the police-notification figure, dated by the confirmation; it includes what partner hotlines and trusted
      bulk sources sent, whereas the accuracy of public reports counts public cases only. A URL that comes back after its removal and is confirmed again counts again.
    </li>
    <li id="note-2">
      Reports of an address that is already open join its case and make no new work: unique URLs are those that opened a case (or reopened one after the content’s
      removal).
    </li>
    <li id="note-3">Of the cases reported by the public (web form or API) and settled in ${f.year}, the share confirmed illegal after second review.</li>
  </ol>`;
}

/** The report: one HTML document, with nothing to load. */
export function renderTransparencyReport(f: TransparencyFigures): string {
  const country = countryName(f.country);
  const title = country ? `${country} hotline: transparency report ${f.year}` : `Hotline transparency report ${f.year}`;
  const period = f.inProgress ? `1 January ${f.year} to ${DATE.format(new Date(f.generatedAt))} (the year in progress)` : `1 January to 31 December ${f.year}`;
  const page = html`<html lang="en" dir="ltr">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
      <meta name="referrer" content="no-referrer" />
      <title>${title}</title>
      <style>
        ${trustedHtml(TRANSPARENCY_STYLE)}
      </style>
    </head>
    <body>
      <header>
        <h1>${title}</h1>
        <p class="period">${period}</p>
      </header>
      <main>
        <section aria-labelledby="h-glance">
          <h2 id="h-glance">${f.year} at a glance</h2>
          ${keyFigures(f)}
        </section>
        <section aria-labelledby="h-hosting">
          <h2 id="h-hosting">Where confirmed content was hosted</h2>
          ${hostingTable(f, country)}
        </section>
        <section aria-labelledby="h-removal">
          <h2 id="h-removal">Time to removal</h2>
          ${removalTables(f, country)}
        </section>
        <section aria-labelledby="h-months">
          <h2 id="h-months">Month by month</h2>
          ${monthCharts(f)} ${monthTable(f)}
        </section>
        <section aria-labelledby="h-online">
          <h2 id="h-online">Still online</h2>
          ${stillOnline(f)}
        </section>
        <section aria-labelledby="h-method">
          <h2 id="h-method">Methodology</h2>
          ${methodology(f, country)}
        </section>
        <section aria-labelledby="h-notes">
          <h2 id="h-notes">Notes</h2>
          ${notes(f)}
        </section>
      </main>
    </body>
  </html>`;
  return `<!doctype html>\n${page.markup}\n`;
}
