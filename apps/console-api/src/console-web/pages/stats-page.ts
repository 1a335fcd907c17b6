import { DIMENSION_VALUES, type SeriesPeriod, STAT_DIMENSIONS, type StatMetric } from '@hotline/domain';
import { html, intlLocale, type SafeHtml } from '@hotline/http';
import type { StatsBreakdownView, StatsFigureView, StatsSeriesView, StatsSummaryView, StillOnlineView } from '../../stats/stats-views';

/** The summary of the period with the figure of what is still online now. */
type PageSummary = StatsSummaryView & { stillOnline: StillOnlineView };
import { ct, formatDuration, type ConsoleLanguage, type ConsoleMessageKey } from '../i18n';
import { errorSummary, type PageContext, scrollableTable } from '../layout';
import { metricCharts } from './stats-charts';
import { formatCount, formatDay, formatHours, formatRate, hasClock, hasRate } from './stats-format';
import { RANGE_FIELDS, rangePresets, type StatsPageQuery } from './stats-range';

/** What the statistics page shows: the question, and (when it was a good one) the figures. */
export interface StatsPageData {
  query: StatsPageQuery;
  today: string;
  figures: { summary: PageSummary; series: StatsSeriesView; breakdown: StatsBreakdownView } | null;
}

const metricName = (lang: ConsoleLanguage, metric: StatMetric) => ct(lang, `stats.metric.${metric}` as ConsoleMessageKey);

/** A dash that says, to a screen reader, why there is nothing. */
function nothing(lang: ConsoleLanguage, key: ConsoleMessageKey): SafeHtml {
  return html`<span aria-hidden="true">—</span><span class="visually-hidden">${ct(lang, key)}</span>`;
}

function suppressedText(lang: ConsoleLanguage, minCell: number): string {
  return ct(lang, 'stats.suppressed', { min: minCell });
}

function rateCell(lang: ConsoleLanguage, f: StatsFigureView): SafeHtml {
  if (!hasRate(f.metric)) return nothing(lang, 'stats.notApplicable');
  if (f.rate === null) return nothing(lang, 'stats.noCases');
  return html`${formatRate(lang, f.rate)}
    <div class="help">${ct(lang, 'stats.rateOf', { hits: formatCount(lang, f.hits ?? 0), count: formatCount(lang, f.count ?? 0) })}</div>`;
}

function durationCell(lang: ConsoleLanguage, f: StatsFigureView, seconds: number | null, minCell: number): SafeHtml {
  if (!hasClock(f.metric)) return nothing(lang, 'stats.notApplicable');
  if (seconds !== null) return html`${formatDuration(lang, seconds)}`;
  return f.count === 0 ? nothing(lang, 'stats.noCases') : html`<span class="untimed">${ct(lang, 'stats.untimed', { min: minCell })}</span>`;
}

function summaryTable(ctx: PageContext, view: StatsSummaryView): SafeHtml {
  const { lang } = ctx;
  return scrollableTable(
    'stats-summary-heading',
    html`<table class="stats-table" id="stats-summary">
      <caption>
        ${ct(lang, 'stats.summary.caption')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${ct(lang, 'stats.col.metric')}</th>
          <th scope="col" class="num">${ct(lang, 'stats.col.count')}</th>
          <th scope="col" class="num">${ct(lang, 'stats.col.rate')}</th>
          <th scope="col" class="num">${ct(lang, 'stats.col.median')}</th>
          <th scope="col" class="num">${ct(lang, 'stats.col.p90')}</th>
        </tr>
      </thead>
      <tbody>
        ${view.figures.map(
          (f) =>
            html`<tr id="figure-${f.metric}" ${f.suppressed ? html` data-suppressed` : ''}>
              <th scope="row">
                ${metricName(lang, f.metric)}
                <div class="help">${ct(lang, `stats.metricHelp.${f.metric}` as ConsoleMessageKey)}</div>
              </th>
              ${
                f.suppressed
                  ? html`<td colspan="4" class="suppressed">${suppressedText(lang, view.minCell)}</td>`
                  : html`<td class="num">${formatCount(lang, f.count ?? 0)}</td>
                      <td class="num">${rateCell(lang, f)}</td>
                      <td class="num">${durationCell(lang, f, f.median, view.minCell)}</td>
                      <td class="num">${durationCell(lang, f, f.p90, view.minCell)}</td>`
              }
            </tr>`,
        )}
      </tbody>
    </table>`,
  );
}

function fact(label: string, value: string | SafeHtml, id?: string): SafeHtml {
  return html`<dt>${label}</dt>
    <dd ${id ? html`id="${id}"` : ''}>${value}</dd>`;
}

function viewingSection(ctx: PageContext, view: StatsSummaryView): SafeHtml {
  const { lang } = ctx;
  const v = view.viewing;
  return html`<section class="panel" aria-labelledby="stats-viewing-heading">
    <h2 id="stats-viewing-heading">${ct(lang, 'stats.viewing.heading')}</h2>
    <p class="help">${ct(lang, 'stats.viewing.intro')}</p>
    <dl class="facts" id="stats-viewing">
      ${fact(ct(lang, 'stats.viewing.hours'), formatHours(lang, v.hours))} ${fact(ct(lang, 'stats.viewing.analystDays'), formatCount(lang, v.analystDays))}
      ${fact(ct(lang, 'stats.viewing.perDay'), v.hoursPerAnalystDay === null ? nothing(lang, 'stats.noCases') : formatHours(lang, v.hoursPerAnalystDay))}
      ${fact(ct(lang, 'stats.viewing.longest'), formatHours(lang, v.maxHours))} ${fact(ct(lang, 'stats.viewing.cap'), formatHours(lang, v.capHours))}
      ${fact(ct(lang, 'stats.viewing.overCap'), formatCount(lang, v.overCap), 'stats-over-cap')}
    </dl>
  </section>`;
}

function onlineSection(ctx: PageContext, view: PageSummary): SafeHtml {
  const { lang } = ctx;
  const o = view.stillOnline;
  const age = (seconds: number | null) => (seconds === null ? nothing(lang, 'stats.noCases') : formatDuration(lang, seconds));
  return html`<section class="panel" aria-labelledby="stats-online-heading">
    <h2 id="stats-online-heading">${ct(lang, 'stats.online.heading')}</h2>
    <p class="help">${ct(lang, 'stats.online.intro')}</p>
    ${
      o.suppressed
        ? html`<p class="suppressed" id="stats-online">${suppressedText(lang, view.minCell)}</p>`
        : html`<dl class="facts" id="stats-online">
            ${fact(ct(lang, 'stats.online.count'), formatCount(lang, o.count ?? 0))} ${fact(ct(lang, 'stats.online.median'), age(o.medianSeconds))}
            ${fact(ct(lang, 'stats.online.p90'), age(o.p90Seconds))} ${fact(ct(lang, 'stats.online.oldest'), age(o.oldestSeconds))}
          </dl>`
    }
  </section>`;
}

function breakdownCell(lang: ConsoleLanguage, f: StatsFigureView, minCell: number): SafeHtml {
  if (f.suppressed) return html`<td class="num suppressed">${suppressedText(lang, minCell)}</td>`;
  if (hasRate(f.metric)) return html`<td class="num">${rateCell(lang, f)}</td>`;
  return html`<td class="num">
    ${formatCount(lang, f.count ?? 0)}
    ${f.median !== null ? html`<div class="help">${ct(lang, 'stats.breakdown.median', { duration: formatDuration(lang, f.median) })}</div>` : ''}
  </td>`;
}

function breakdownTable(ctx: PageContext, view: StatsBreakdownView): SafeHtml {
  const { lang } = ctx;
  const values = DIMENSION_VALUES[view.by];
  const cells = new Map(view.rows.map((row) => [`${row.metric}|${row.value}`, row]));
  const metrics = [...new Set(view.rows.map((row) => row.metric))];
  const valueName = (value: string) => ct(lang, `stats.value.${view.by}.${value}` as ConsoleMessageKey);
  return scrollableTable(
    'stats-breakdown-heading',
    html`<table class="stats-table stats-breakdown" id="stats-breakdown" data-by="${view.by}">
      <caption>
        ${ct(lang, 'stats.breakdown.caption')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${ct(lang, 'stats.col.metric')}</th>
          ${values.map((value) => html`<th scope="col" class="num">${valueName(value)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${metrics.map(
          (metric) =>
            html`<tr>
              <th scope="row">${metricName(lang, metric)}</th>
              ${values.map((value) => breakdownCell(lang, cells.get(`${metric}|${value}`)!, view.minCell))}
            </tr>`,
        )}
      </tbody>
    </table>`,
  );
}

const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

function exportLinks(ctx: PageContext, data: StatsPageData, period: SeriesPeriod): SafeHtml {
  const { lang } = ctx;
  const { from, to } = data.query.range;
  const kinds: { what: ConsoleMessageKey; path: string; params: Record<string, string> }[] = [
    { what: 'stats.exports.summary', path: 'summary', params: { from, to } },
    { what: 'stats.exports.series', path: 'series', params: { from, to, period } },
    { what: 'stats.exports.breakdown', path: 'breakdown', params: { from, to, by: data.query.by } },
  ];
  return html`<nav class="stats-exports" aria-labelledby="stats-exports-label">
    <h2 id="stats-exports-label" class="inline-heading">${ct(lang, 'stats.exports.label')}</h2>
    <ul>
      ${kinds.map(
        (kind) =>
          html`<li>
            <a href="/api/v1/stats/${kind.path}?${query({ ...kind.params, format: 'csv' })}" download data-export="${kind.path}-csv"
              >${ct(lang, 'stats.exports.csv', { what: ct(lang, kind.what) })}</a
            >
            ·
            <a href="/api/v1/stats/${kind.path}?${query(kind.params)}" data-export="${kind.path}-json"
              >${ct(lang, 'stats.exports.json', { what: ct(lang, kind.what) })}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

/** The period form (GET, works without a script): two dates, the breakdown, the quick periods as links. */
export function rangeForm(ctx: PageContext, data: StatsPageData): SafeHtml {
  const { lang } = ctx;
  const { typed, problems } = data.query;
  const problemOf = (field: string) => problems.find((p) => p.field === field);
  const control = (field: string, label: ConsoleMessageKey, input: (attrs: SafeHtml) => SafeHtml) => {
    const problem = problemOf(field);
    return html`<div class="stats-field ${problem ? 'invalid' : ''}">
      <label for="${field}">${ct(lang, label)}</label>
      ${problem ? html`<p class="field-error" id="${field}-error">${ct(lang, problem.key, problem.params)}</p>` : ''}
      ${input(problem ? html`aria-invalid="true" aria-describedby="${field}-error"` : html``)}
    </div>`;
  };
  return html`<form method="get" action="/stats" class="panel stats-range" aria-labelledby="stats-range-legend">
    <h2 id="stats-range-legend" class="visually-hidden">${ct(lang, 'stats.range.legend')}</h2>
    <div class="stats-fields">
      ${control(RANGE_FIELDS.from, 'stats.range.from', (attrs) => html`<input type="date" id="${RANGE_FIELDS.from}" name="from" value="${typed.from}" required ${attrs} />`)}
      ${control(RANGE_FIELDS.to, 'stats.range.to', (attrs) => html`<input type="date" id="${RANGE_FIELDS.to}" name="to" value="${typed.to}" required ${attrs} />`)}
      ${control(
        RANGE_FIELDS.by,
        'stats.range.by',
        (attrs) =>
          html`<select id="${RANGE_FIELDS.by}" name="by" ${attrs}>
            ${STAT_DIMENSIONS.map(
              (dimension) =>
                html`<option value="${dimension}" ${dimension === typed.by ? html` selected` : ''}>
                  ${ct(lang, `stats.dimension.${dimension}` as ConsoleMessageKey)}
                </option>`,
            )}
          </select>`,
      )}
      <div class="stats-submit"><button type="submit" id="stats-show">${ct(lang, 'stats.range.show')}</button></div>
    </div>
    <p class="stats-presets">
      <span id="stats-presets-label">${ct(lang, 'stats.presets')}:</span>
      ${rangePresets(data.today).map((preset) => html` <a href="/stats?${query({ from: preset.from, to: preset.to, by: data.query.by })}">${ct(lang, preset.key)}</a>`)}
    </p>
  </form>`;
}

/** The whole page's body: the form, then (for a good question) the summary, viewing, still online, charts, breakdown, exports and the audit check. */
export function statsPageBody(ctx: PageContext, data: StatsPageData): SafeHtml {
  const { lang } = ctx;
  const problems = data.query.problems.map((p) => ({ field: p.field, message: ct(lang, p.key, p.params) }));
  const intro = html`<p class="help">${ct(lang, 'stats.intro')}</p>`;
  if (!data.figures) return html`${errorSummary(ctx, problems)} ${intro} ${rangeForm(ctx, data)}`;
  const { summary, series, breakdown } = data.figures;
  const percent = new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(summary.durationRelativeError);
  return html`${intro} ${rangeForm(ctx, data)}
    <p class="stats-period" id="stats-period">
      <strong>${ct(lang, 'stats.period', { from: formatDay(lang, summary.from), to: formatDay(lang, summary.to) })}</strong>
    </p>
    <p class="help" id="stats-frame">${ct(lang, 'stats.frame', { event: summary.throughEvent, error: percent, min: summary.minCell })}</p>
    ${exportLinks(ctx, data, series.period)}
    <h2 id="stats-summary-heading">${ct(lang, 'stats.summary.heading')}</h2>
    ${summaryTable(ctx, summary)}
    <div class="grid stats-panels">${viewingSection(ctx, summary)} ${onlineSection(ctx, summary)}</div>
    <h2 id="stats-charts-heading">${ct(lang, `stats.charts.heading.${series.period}` as ConsoleMessageKey)}</h2>
    <p class="help">${ct(lang, 'stats.charts.intro')}</p>
    ${metricCharts(ctx, series)}
    <h2 id="stats-breakdown-heading">${ct(lang, 'stats.breakdown.heading', { dimension: ct(lang, `stats.dimension.${breakdown.by}` as ConsoleMessageKey) })}</h2>
    ${breakdownTable(ctx, breakdown)}
    <section class="panel" aria-labelledby="stats-audit-heading">
      <h2 id="stats-audit-heading">${ct(lang, 'stats.audit.heading')}</h2>
      <p>${ct(lang, 'stats.audit.intro')}</p>
      <p><a href="/audit/verify" id="stats-audit-link">${ct(lang, 'stats.audit.link')}</a></p>
    </section>`;
}
