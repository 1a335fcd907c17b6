import type { HotlineConfig } from '@hotline/config';
import { DIMENSION_VALUES, STAT_METRICS, type StatMetric } from '@hotline/domain';
import type { StatsBreakdownView, StatsFigureView, StatsSeriesView, StatsSummaryView, StillOnlineView } from '../../stats/stats-views';
import type { PageContext } from '../layout';
import { auditVerifyBody } from './audit-verify-page';
import { periodLabel } from './stats-format';
import { statsPageBody } from './stats-page';
import { chartPeriod, rangePresets, readStatsQuery } from './stats-range';

const TODAY = '2026-03-15';

function ctx(lang: PageContext['lang'] = 'en'): PageContext {
  return { lang, staff: null, csrf: null, now: new Date(`${TODAY}T12:00:00Z`), config: {} as HotlineConfig, path: '/stats' };
}

const shown = (metric: StatMetric, count: number, hits: number, median: number | null = null): StatsFigureView => ({
  metric,
  domain: 1,
  count,
  hits,
  rate: count > 0 ? hits / count : null,
  measured: median === null ? 0 : count,
  median,
  p90: median === null ? null : median * 2,
  suppressed: false,
});
const hidden = (metric: StatMetric): StatsFigureView => ({
  metric,
  domain: 1,
  count: null,
  hits: null,
  rate: null,
  measured: null,
  median: null,
  p90: null,
  suppressed: true,
});

const frame = { from: '2026-01-01', to: '2026-03-15', minCell: 5, durationRelativeError: 0.025, throughEvent: '4711' };
const figures = STAT_METRICS.map((metric) =>
  metric === 'public_accuracy' ? hidden(metric) : metric === 'time_to_assessment' ? shown(metric, 40, 30, 5400) : shown(metric, 10, 3),
);
const viewing = { analystDays: 4, hours: 10, hoursPerAnalystDay: 2.5, maxHours: 5, capHours: 4, overCap: 1 };
const summary: StatsSummaryView & { stillOnline: StillOnlineView } = {
  ...frame,
  figures,
  viewing,
  stillOnline: { count: 12, medianSeconds: 86400 * 3, p90Seconds: 86400 * 9, oldestSeconds: 86400 * 20, suppressed: false },
};
const series: StatsSeriesView = {
  ...frame,
  period: 'month',
  points: ['2026-01-01', '2026-02-01', '2026-03-01'].map((start, i) => ({
    start,
    viewing,
    figures: STAT_METRICS.map((metric) => (i === 1 ? hidden(metric) : metric === 'time_to_assessment' ? shown(metric, 20, 15, 3600 * (i + 1)) : shown(metric, 5, i + 1))),
  })),
};
const breakdown: StatsBreakdownView = {
  ...frame,
  by: 'hosting',
  rows: STAT_METRICS.flatMap((metric) => DIMENSION_VALUES.hosting.map((value) => ({ value, ...(value === 'onion' ? hidden(metric) : shown(metric, 8, 2)) }))),
};

describe('the statistics page question', () => {
  it('defaults to this year until today, by source', () => {
    expect(readStatsQuery({}, TODAY)).toMatchObject({ range: { from: '2026-01-01', to: TODAY, end: '2026-03-16' }, by: 'source', problems: [] });
  });

  it('names each wrong field in the page’s words, never throws', () => {
    expect(readStatsQuery({ from: '2026-02-30', to: 'soon', by: 'reporter' }, TODAY).problems.map((p) => p.key)).toEqual([
      'stats.error.from',
      'stats.error.to',
      'stats.error.by',
    ]);
    expect(readStatsQuery({ from: '2026-03-01', to: '2026-02-01' }, TODAY).problems.map((p) => p.key)).toEqual(['stats.error.order']);
    expect(readStatsQuery({ from: '2000-01-01', to: '2026-01-01' }, TODAY).problems[0]).toMatchObject({ key: 'stats.error.tooLong', params: { days: 3660 } });
    expect(readStatsQuery({ from: ['2026-01-01'] }, TODAY).range.from).toBe('2026-01-01');
  });

  it('offers this year, last year and the last 30 days', () => {
    expect(rangePresets(TODAY).map((p) => [p.from, p.to])).toEqual([
      ['2026-01-01', TODAY],
      ['2025-01-01', '2025-12-31'],
      ['2026-02-14', TODAY],
    ]);
  });

  it('charts weeks for two months, months up to three years, years beyond', () => {
    expect(chartPeriod({ from: '2026-02-14', to: TODAY, end: '2026-03-16' })).toBe('week');
    expect(chartPeriod({ from: '2025-01-01', to: '2025-12-31', end: '2026-01-01' })).toBe('month');
    expect(chartPeriod({ from: '2016-01-01', to: '2025-12-31', end: '2026-01-01' })).toBe('year');
  });
});

describe('the statistics page', () => {
  const page = (lang: PageContext['lang'] = 'en') =>
    statsPageBody(ctx(lang), { query: readStatsQuery({ by: 'hosting' }, TODAY), today: TODAY, figures: { summary, series, breakdown } }).toString();

  it('shows every figure in human units, and a suppressed cell in words', () => {
    const markup = page();
    expect(markup).toContain('id="figure-public_accuracy"  data-suppressed');
    expect(markup).toMatch(/id="figure-public_accuracy"[\s\S]*?<td colspan="4" class="suppressed">suppressed \(&lt; 5 cases\)<\/td>/);
    // 30 of 40 within target, median 1 h 30 min, p90 3 h.
    expect(markup).toMatch(/id="figure-time_to_assessment"[\s\S]*?75%[\s\S]*?30 of 40[\s\S]*?1h 30m[\s\S]*?3h 0m/);
    expect(markup).toContain('From January 1, 2026 to March 15, 2026');
    expect(markup).toContain('up to number 4711');
  });

  it('draws a chart per metric, and a clock chart for each metric with durations to show', () => {
    const markup = page();
    // Only time to assessment has durations here; the five other clocks say they have none to show.
    expect(markup.match(/<svg/g)).toHaveLength(STAT_METRICS.length + 1);
    expect(markup).toContain('id="chart-time_to_assessment-clock"');
    expect(markup.match(/class="help chart-none"/g)).toHaveLength(5);
    expect(markup).toContain('February 2026: suppressed (&lt; 5 cases)');
    expect(markup).not.toMatch(/style=|<img|<iframe|https?:/);
  });

  it('breaks the figures down by the chosen dimension, suppressed cells in words', () => {
    const markup = page();
    expect(markup).toContain('By hosting');
    expect(markup).toMatch(/id="stats-breakdown"[\s\S]*Onion service[\s\S]*suppressed \(&lt; 5 cases\)/);
  });

  it('links the exports of the same period to the API, and the audit check', () => {
    const markup = page();
    expect(markup).toContain('href="/api/v1/stats/summary?from=2026-01-01&amp;to=2026-03-15&amp;format=csv"');
    expect(markup).toContain('href="/api/v1/stats/series?from=2026-01-01&amp;to=2026-03-15&amp;period=month&amp;format=csv"');
    expect(markup).toContain('href="/api/v1/stats/breakdown?from=2026-01-01&amp;to=2026-03-15&amp;by=hosting"');
    expect(markup).toContain('href="/audit/verify"');
  });

  it('is written in French and Arabic, the Arabic charts right to left', () => {
    expect(page('fr')).toContain('masqué (&lt; 5 dossiers)');
    const arabic = page('ar');
    expect(arabic).toContain('محجوب (أقل من 5 ملفات)');
    expect(arabic).toContain('direction="rtl"');
    expect(periodLabel('ar', '2026-03-01', 'month', 'long')).toMatch(/مارس|آذار/);
  });

  it('shows the form again with the problems, and no figures, for a bad question', () => {
    const markup = statsPageBody(ctx('fr'), { query: readStatsQuery({ from: 'hier' }, TODAY), today: TODAY, figures: null }).toString();
    expect(markup).toContain('Saisissez le premier jour sous forme de date');
    expect(markup).toContain('value="hier"');
    expect(markup).toContain('aria-invalid="true"');
    expect(markup).not.toContain('<svg');
  });
});

describe('the audit integrity page', () => {
  it('says the log is intact, or names the first broken event', () => {
    expect(auditVerifyBody(ctx(), { ok: true, events: 1234 }).toString()).toContain('Intact: each of the 1,234 events');
    const broken = auditVerifyBody(ctx(), { ok: false, events: 50, firstBrokenSeq: 17 }).toString();
    expect(broken).toContain('event number 17 is the first changed');
    expect(broken).toContain('<dd id="audit-first-broken">17</dd>');
  });
});
