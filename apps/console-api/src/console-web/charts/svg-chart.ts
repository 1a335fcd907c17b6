import { html, type SafeHtml } from '@hotline/http';

/**
 * Charts drawn on the server as inline SVG, so the console loads nothing to draw them (the CSP
 * allows no other origin, no inline style, no script of a page's own). Colours come from the
 * stylesheet through classes (`chart-bar`, `chart-line median`...). Every chart is one image to
 * assistive technology, named by its <title> and described by its <desc> (which the caller
 * writes: the values in words); each bar and point also has its own <title> for a pointer.
 *
 * Right to left, the time axis runs from the right (the first period at the right, the value
 * axis on the right), as the page's tables and text do.
 */

/** The drawing's own units (viewBox); the stylesheet scales it to the width it has. */
export const CHART_WIDTH = 320;
export const CHART_HEIGHT = 190;
const MARGIN = { start: 46, end: 8, top: 12, bottom: 30 } as const;
const TICKS = 4;

export type ChartDirection = 'ltr' | 'rtl';

/** One period of a bar chart: a value, none (nothing to show), or suppressed (a small cell). */
export interface BarPoint {
  /** The period's label under the axis ("Mar"). */
  label: string;
  value: number | null;
  suppressed: boolean;
  /** What a pointer shows over the bar ("March 2026: 30 % (3 of 10)"). */
  tip: string;
}

export interface AxisFormat {
  /** The largest value the axis must show (a rate's is 1); the axis rounds it up to a nice number. */
  max?: number;
  /** A tick's label ("50 %", "12 h"). */
  tick: (value: number) => string;
  /** Nice tick steps for this unit (seconds for durations); default 1, 2, 5 × 10^k. */
  step?: (roughStep: number) => number;
}

export interface ChartText {
  /** The chart's id, unique on its page (its <title> and <desc> ids derive from it). */
  id: string;
  title: string;
  desc: string;
  dir: ChartDirection;
}

export interface BarChartSpec extends ChartText {
  points: readonly BarPoint[];
  axis: AxisFormat;
}

export interface LineSeries {
  /** The line's class besides `chart-line` (its colour and dash in the stylesheet). */
  className: string;
  /** One value per label; null breaks the line. */
  values: readonly (number | null)[];
  /** What a pointer shows over each point. */
  tips: readonly string[];
}

export interface LineChartSpec extends ChartText {
  labels: readonly string[];
  series: readonly LineSeries[];
  axis: AxisFormat;
}

/** 1, 2 or 5 times a power of ten, at least `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rough * (1 - 1e-9)) return factor * power;
  return 10 * power;
}

/** The axis's ticks from 0: TICKS steps of a nice size covering `max` (0..1 when there is nothing to show). */
export function axisTicks(max: number, step: (rough: number) => number = niceStep): number[] {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const size = step(top / TICKS);
  const count = Math.max(1, Math.ceil(top / size - 1e-9));
  return Array.from({ length: count + 1 }, (_, i) => round(i * size));
}

/** Which labels to write under the axis so they do not overlap: every k-th, the first always. */
export function labelEvery(count: number, maxLabels: number): number {
  return Math.max(1, Math.ceil(count / Math.max(1, maxLabels)));
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The plot's frame and where the i-th of n bands is centred, mirrored right to left. */
function frame(dir: ChartDirection, count: number) {
  const left = dir === 'rtl' ? MARGIN.end : MARGIN.start;
  const right = CHART_WIDTH - (dir === 'rtl' ? MARGIN.start : MARGIN.end);
  const top = MARGIN.top;
  const bottom = CHART_HEIGHT - MARGIN.bottom;
  const band = (right - left) / Math.max(1, count);
  const centre = (i: number) => round(dir === 'rtl' ? right - (i + 0.5) * band : left + (i + 0.5) * band);
  return { left, right, top, bottom, band, centre };
}

type Frame = ReturnType<typeof frame>;

function yScale(f: Frame, ticks: readonly number[]) {
  const top = ticks[ticks.length - 1]!;
  return (value: number) => round(f.bottom - (Math.min(value, top) / top) * (f.bottom - f.top));
}

/** The value axis (ticks, their labels, grid lines) on the start side, and the time axis's labels. */
function axes(f: Frame, dir: ChartDirection, ticks: readonly number[], y: (v: number) => number, axis: AxisFormat, labels: readonly string[]): SafeHtml {
  const labelX = dir === 'rtl' ? f.right + 6 : f.left - 6;
  const every = labelEvery(labels.length, Math.floor((f.right - f.left) / 40));
  return html`<g class="chart-axis" aria-hidden="true">
    ${ticks.map(
      (tick) =>
        html`<line class="chart-rule" x1="${f.left}" x2="${f.right}" y1="${y(tick)}" y2="${y(tick)}"></line>
          <text x="${labelX}" y="${y(tick)}" dy="0.32em" text-anchor="end">${axis.tick(tick)}</text>`,
    )}
    <line class="chart-baseline" x1="${f.left}" x2="${f.right}" y1="${f.bottom}" y2="${f.bottom}"></line>
    ${labels.map((label, i) => (i % every === 0 ? html`<text x="${f.centre(i)}" y="${f.bottom + 18}" text-anchor="middle">${label}</text>` : ''))}
  </g>`;
}

/** Text in the drawing runs in the page's direction; `text-anchor="end"` then means the side toward the plot. */
function svg(spec: ChartText, body: SafeHtml): SafeHtml {
  return html`<svg
    class="chart"
    viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}"
    role="img"
    aria-labelledby="${spec.id}-title ${spec.id}-desc"
    direction="${spec.dir}"
    id="${spec.id}"
  >
    <title id="${spec.id}-title">${spec.title}</title>
    <desc id="${spec.id}-desc">${spec.desc}</desc>
    ${body}
  </svg>`;
}

/** Bars of one value per period (a rate or a count); a suppressed period is a pale dashed column, one without a value nothing. */
export function barChart(spec: BarChartSpec): SafeHtml {
  const f = frame(spec.dir, spec.points.length);
  const largest = Math.max(spec.axis.max ?? 0, ...spec.points.map((p) => (p.suppressed ? 0 : (p.value ?? 0))));
  const ticks = axisTicks(largest, spec.axis.step);
  const y = yScale(f, ticks);
  const width = round(Math.max(1, f.band * 0.7));
  const bars = spec.points.map((point, i) => {
    const x = round(f.centre(i) - width / 2);
    if (point.suppressed) {
      return html`<rect class="chart-suppressed" x="${x}" y="${f.top}" width="${width}" height="${round(f.bottom - f.top)}"><title>${point.tip}</title></rect>`;
    }
    if (point.value === null)
      return html`<rect class="chart-empty" x="${x}" y="${f.top}" width="${width}" height="${round(f.bottom - f.top)}"><title>${point.tip}</title></rect>`;
    const top = y(point.value);
    // A zero is a hairline on the axis, still a place to point at.
    const height = Math.max(1, round(f.bottom - top));
    return html`<rect class="chart-bar" x="${x}" y="${round(f.bottom - height)}" width="${width}" height="${height}"><title>${point.tip}</title></rect>`;
  });
  return svg(
    spec,
    html`${axes(
        f,
        spec.dir,
        ticks,
        y,
        spec.axis,
        spec.points.map((p) => p.label),
      )}<g class="chart-bars">${bars}</g>`,
  );
}

/** Lines of values per period (median and 90th percentile), broken where a period has none; each value is also a dot. */
export function lineChart(spec: LineChartSpec): SafeHtml {
  const f = frame(spec.dir, spec.labels.length);
  const largest = Math.max(spec.axis.max ?? 0, ...spec.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const ticks = axisTicks(largest, spec.axis.step);
  const y = yScale(f, ticks);
  const lines = spec.series.map((series) => {
    const runs = segments(series.values).map((run) => run.map((i) => `${f.centre(i)},${y(series.values[i]!)}`).join(' '));
    return html`<g class="chart-series ${series.className}">
      ${runs.map((points) => (points.includes(' ') ? html`<polyline class="chart-line" points="${points}"></polyline>` : ''))}
      ${series.values.map((value, i) =>
        value === null ? '' : html`<circle class="chart-dot" cx="${f.centre(i)}" cy="${y(value)}" r="3"><title>${series.tips[i] ?? ''}</title></circle>`,
      )}
    </g>`;
  });
  return svg(spec, html`${axes(f, spec.dir, ticks, y, spec.axis, spec.labels)}${lines}`);
}

/** The runs of consecutive indexes with a value: [1, null, 2, 3] gives [[0], [2, 3]]. */
export function segments(values: readonly (number | null)[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  values.forEach((value, i) => {
    if (value === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push(i);
  });
  if (run.length > 0) runs.push(run);
  return runs;
}
