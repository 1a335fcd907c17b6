import Papa from 'papaparse';
import type { StatsFigureView, StatsSeriesView, StatsSummaryView, StatsBreakdownView } from './stats-views';

// The exports regulators load into their own tools: one row per figure, RFC 4180 with CRLF, empty
// cells for what is suppressed or has no value, and a `suppressed` column saying which is which.
const FIGURE_COLUMNS = ['metric', 'domain', 'count', 'hits', 'rate', 'measured', 'median_seconds', 'p90_seconds', 'suppressed'];

const figureCells = (f: StatsFigureView) =>
  [f.metric, f.domain, f.count, f.hits, f.rate, f.measured, f.median, f.p90, f.suppressed].map((v) => (v === null ? '' : String(v)));

const csv = (rows: string[][]) => `${Papa.unparse(rows, { newline: '\r\n' })}\r\n`;

export function summaryCsv(view: StatsSummaryView): string {
  return csv([['from', 'to', ...FIGURE_COLUMNS], ...view.figures.map((f) => [view.from, view.to, ...figureCells(f)])]);
}

export function breakdownCsv(view: StatsBreakdownView): string {
  return csv([['from', 'to', 'dimension', 'value', ...FIGURE_COLUMNS], ...view.rows.map((r) => [view.from, view.to, view.by, r.value, ...figureCells(r)])]);
}

export function seriesCsv(view: StatsSeriesView): string {
  return csv([['period', 'start', ...FIGURE_COLUMNS], ...view.points.flatMap((p) => p.figures.map((f) => [view.period, p.start, ...figureCells(f)]))]);
}
