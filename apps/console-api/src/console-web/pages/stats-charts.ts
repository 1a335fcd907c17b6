import type { StatMetric } from '@hotline/domain';
import { html, type SafeHtml } from '@hotline/http';
import type { StatsFigureView, StatsSeriesView } from '../../stats/stats-views';
import { countAxis, durationAxis, rateAxis } from '../charts/chart-axes';
import { barChart, type BarPoint, lineChart } from '../charts/svg-chart';
import { consoleDirection, ct, formatDuration, type ConsoleMessageKey } from '../i18n';
import type { PageContext } from '../layout';
import { formatCount, formatRate, hasClock, hasRate, periodLabel } from './stats-format';

/**
 * One figure per metric over the series' periods: bars of its rate (or of its cases, for a clock
 * without a test), and for a clock a second chart of its median and 90th percentile. The chart's
 * description says every value in words; a pointer finds the same over each bar and dot.
 */
export function metricCharts(ctx: PageContext, series: StatsSeriesView): SafeHtml {
  const metrics = series.points[0]?.figures.map((f) => f.metric) ?? [];
  return html`<div class="chart-grid">${metrics.map((metric, index) => metricFigure(ctx, series, metric, index))}</div>`;
}

function metricFigure(ctx: PageContext, series: StatsSeriesView, metric: StatMetric, index: number): SafeHtml {
  const { lang } = ctx;
  const dir = consoleDirection(lang);
  const name = ct(lang, `stats.metric.${metric}` as ConsoleMessageKey);
  const spansYears = new Set(series.points.map((p) => p.start.slice(0, 4))).size > 1;
  const periods = series.points.map((p) => ({
    short: periodLabel(lang, p.start, series.period, 'short', spansYears),
    long: periodLabel(lang, p.start, series.period, 'long'),
    figure: p.figures[index]!,
  }));
  const rate = hasRate(metric);
  const bars: BarPoint[] = periods.map(({ short, long, figure }) => ({
    label: short,
    suppressed: figure.suppressed,
    value: figure.suppressed ? null : rate ? figure.rate : figure.count,
    tip: barTip(ctx, long, figure, rate, series.minCell),
  }));
  const barTitle = ct(lang, rate ? 'stats.chart.rate' : 'stats.chart.count', { metric: name });
  const anySuppressed = bars.some((bar) => bar.suppressed);
  // A clock's chart when some period has a duration to show (an empty axis of seconds says nothing).
  const timed = hasClock(metric) && periods.some(({ figure }) => figure.median !== null || figure.p90 !== null);
  const clockTitle = ct(lang, 'stats.chart.clock', { metric: name });
  const clockText = (seconds: number | null) => (seconds === null ? ct(lang, 'stats.tip.notShown') : formatDuration(lang, seconds));
  const clockTip = (long: string, which: ConsoleMessageKey, seconds: number | null) =>
    ct(lang, 'stats.tip.clock', { period: long, which: ct(lang, which), duration: clockText(seconds) });
  const medianTips = periods.map(({ long, figure }) => clockTip(long, 'stats.legend.median', figure.median));
  const p90Tips = periods.map(({ long, figure }) => clockTip(long, 'stats.legend.p90', figure.p90));
  const clockDesc = periods
    .map(({ long, figure }) => ct(lang, 'stats.tip.clocks', { period: long, median: clockText(figure.median), p90: clockText(figure.p90) }))
    .join('; ');
  return html`<figure class="panel chart-figure" id="chart-${metric}" data-metric="${metric}">
    <figcaption>${name}</figcaption>
    ${barChart({ id: `chart-${metric}-bars`, title: barTitle, desc: bars.map((bar) => bar.tip).join('; '), dir, points: bars, axis: rate ? rateAxis(lang) : countAxis(lang) })}
    <ul class="chart-legend">
      <li><span class="swatch chart-bar" aria-hidden="true"></span>${ct(lang, rate ? 'stats.legend.rate' : 'stats.legend.count')}</li>
      ${anySuppressed ? html`<li><span class="swatch chart-suppressed" aria-hidden="true"></span>${ct(lang, 'stats.legend.suppressed')}</li>` : ''}
    </ul>
    ${hasClock(metric) && !timed ? html`<p class="help chart-none">${ct(lang, 'stats.chart.noDurations')}</p>` : ''}
    ${
      timed
        ? html`${lineChart({
              id: `chart-${metric}-clock`,
              title: clockTitle,
              desc: clockDesc,
              dir,
              labels: periods.map((p) => p.short),
              series: [
                { className: 'median', values: periods.map((p) => p.figure.median), tips: medianTips },
                { className: 'p90', values: periods.map((p) => p.figure.p90), tips: p90Tips },
              ],
              axis: durationAxis(lang),
            })}
            <ul class="chart-legend">
              <li><span class="swatch line median" aria-hidden="true"></span>${ct(lang, 'stats.legend.median')}</li>
              <li><span class="swatch line p90" aria-hidden="true"></span>${ct(lang, 'stats.legend.p90')}</li>
            </ul>`
        : ''
    }
  </figure>`;
}

function barTip(ctx: PageContext, period: string, figure: StatsFigureView, rate: boolean, minCell: number): string {
  const { lang } = ctx;
  if (figure.suppressed) return ct(lang, 'stats.tip.suppressed', { period, min: minCell });
  if (!figure.count) return ct(lang, 'stats.tip.none', { period });
  if (rate && figure.rate !== null) {
    return ct(lang, 'stats.tip.rate', { period, rate: formatRate(lang, figure.rate), hits: formatCount(lang, figure.hits ?? 0), count: formatCount(lang, figure.count) });
  }
  return ct(lang, 'stats.tip.count', { period, count: formatCount(lang, figure.count) });
}
