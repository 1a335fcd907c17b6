import { countAxis, durationAxis, durationStep, rateAxis } from './chart-axes';
import { axisTicks, barChart, type BarPoint, CHART_WIDTH, labelEvery, lineChart, niceStep, segments } from './svg-chart';

const point = (label: string, value: number | null, suppressed = false): BarPoint => ({ label, value, suppressed, tip: `${label} tip` });

/** The numeric attributes of every element of a kind, in order. */
function attrsOf(markup: string, element: string, attribute: string): number[] {
  return [...markup.matchAll(new RegExp(`<${element}\\b[^>]*?\\s${attribute}="([^"]+)"`, 'g'))].map((m) => Number(m[1]));
}

function classesOf(markup: string, element: string): string[] {
  return [...markup.matchAll(new RegExp(`<${element}\\b[^>]*?\\sclass="([^"]+)"`, 'g'))].map((m) => m[1]!);
}

describe('axis steps and ticks', () => {
  it('rounds steps up to 1, 2 or 5 times a power of ten', () => {
    expect([0.3, 1, 1.5, 3, 7, 12, 45, 250].map(niceStep)).toEqual([0.5, 1, 2, 5, 10, 20, 50, 500]);
    expect(niceStep(0)).toBe(1);
    expect(niceStep(Number.NaN)).toBe(1);
  });

  it('covers the largest value from zero in about four steps', () => {
    expect(axisTicks(10)).toEqual([0, 5, 10]);
    expect(axisTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(axisTicks(0)).toEqual([0, 0.5, 1]);
    expect(axisTicks(1, () => 0.25)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('steps durations in minutes, hours and days', () => {
    expect(durationStep(40)).toBe(60);
    expect(durationStep(1000)).toBe(1800);
    expect(durationStep(5000)).toBe(7200);
    expect(durationStep(30 * 3600)).toBe(2 * 86400);
    expect(durationStep(40 * 86400)).toBe(50 * 86400);
    expect(axisTicks(5 * 3600, durationStep)).toEqual([0, 7200, 14400, 21600]);
  });

  it('labels ticks in the page language and a fitting unit', () => {
    const duration = durationAxis('en');
    expect([0, 1800, 7200, 86400, 3 * 86400].map(duration.tick)).toEqual(['0', '30m', '2h', '24h', '3d']);
    expect(rateAxis('en').tick(0.5)).toBe('50%');
    expect(rateAxis('fr').tick(0.5)).toBe('50\u00a0%');
    expect(rateAxis('ar').tick(0.25)).toMatch(/25/);
    expect(countAxis('fr').tick(12000)).toBe('12\u202f000');
  });

  it('writes every k-th label so that at most so many fit', () => {
    expect(labelEvery(12, 9)).toBe(2);
    expect(labelEvery(5, 9)).toBe(1);
    expect(labelEvery(36, 9)).toBe(4);
  });

  it('breaks lines where a value is missing', () => {
    expect(segments([1, null, 2, 3, null, null, 4])).toEqual([[0], [2, 3], [6]]);
    expect(segments([null])).toEqual([]);
  });
});

describe('barChart', () => {
  const chart = (dir: 'ltr' | 'rtl', points: BarPoint[]) =>
    barChart({ id: 'c1', title: 'Removal <within> 30 days', desc: 'Jan: 50 %', dir, points, axis: rateAxis('en') }).toString();

  it('draws one bar per period, its height proportional to the value on a 0-100 % axis', () => {
    const markup = chart('ltr', [point('Jan', 0.5), point('Feb', 1), point('Mar', 0.25)]);
    const heights = attrsOf(markup, 'rect', 'height');
    expect(heights[1]).toBeCloseTo(2 * heights[0]!, 3);
    expect(heights[0]).toBeCloseTo(2 * heights[2]!, 3);
    expect(markup.match(/<text[^>]*>([^<]*)<\/text>/g)!.map((t) => t.replace(/<[^>]+>/g, ''))).toEqual(['0%', '25%', '50%', '75%', '100%', 'Jan', 'Feb', 'Mar']);
  });

  it('is one image named by its title and described by its desc, each bar with its own title', () => {
    const markup = chart('ltr', [point('Jan', 0.5)]);
    expect(markup).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="c1-title c1-desc"/);
    expect(markup).toContain('<title id="c1-title">Removal &lt;within&gt; 30 days</title>');
    expect(markup).toContain('<desc id="c1-desc">Jan: 50 %</desc>');
    expect(markup).toContain('<title>Jan tip</title>');
  });

  it('shows a suppressed period as a full-height pale column, never its value, and a missing one as nothing visible', () => {
    const markup = chart('ltr', [point('Jan', 0.4), point('Feb', null, true), point('Mar', null)]);
    expect(classesOf(markup, 'rect')).toEqual(['chart-bar', 'chart-suppressed', 'chart-empty']);
    expect(markup).toContain('<title>Feb tip</title>');
  });

  it('draws a zero as a hairline on the axis', () => {
    const markup = chart('ltr', [point('Jan', 0)]);
    expect(attrsOf(markup, 'rect', 'height')).toEqual([1]);
  });

  it('runs time from the right, right to left, with the value axis on the right', () => {
    const ltr = attrsOf(chart('ltr', [point('Jan', 0.5), point('Feb', 0.5)]), 'rect', 'x');
    const rtl = attrsOf(chart('rtl', [point('Jan', 0.5), point('Feb', 0.5)]), 'rect', 'x');
    expect(ltr[0]).toBeLessThan(ltr[1]!);
    expect(rtl[0]).toBeGreaterThan(rtl[1]!);
    const tickX = (markup: string) => Number(/<text x="([\d.]+)"[^>]*text-anchor="end">0%/.exec(markup)![1]);
    expect(tickX(chart('ltr', [point('Jan', 1)]))).toBeLessThan(CHART_WIDTH / 2);
    expect(tickX(chart('rtl', [point('Jan', 1)]))).toBeGreaterThan(CHART_WIDTH / 2);
    expect(chart('rtl', [point('Jan', 1)])).toContain('direction="rtl"');
  });

  it('scales counts to a nice maximum', () => {
    const markup = barChart({ id: 'c', title: 't', desc: 'd', dir: 'ltr', points: [point('a', 7), point('b', 3)], axis: countAxis('en') }).toString();
    expect(markup.match(/text-anchor="end">[^<]*</g)!.map((t) => t.slice(18, -1))).toEqual(['0', '2', '4', '6', '8']);
  });

  it('holds no style, no script and no reference to anything', () => {
    const markup = chart('ltr', [point('Jan', 0.5), point('<script>', null, true)]);
    expect(markup).not.toMatch(/style=|<script|href|url\(|https?:/);
    expect(markup).toContain('&lt;script&gt;');
  });
});

describe('lineChart', () => {
  const chart = () =>
    lineChart({
      id: 'l',
      title: 'Time to removal',
      desc: 'desc',
      dir: 'ltr',
      labels: ['Jan', 'Feb', 'Mar', 'Apr'],
      series: [
        { className: 'median', values: [3600, null, 7200, 7200], tips: ['a', 'b', 'c', 'd'] },
        { className: 'p90', values: [7200, null, 14400, 21600], tips: ['e', 'f', 'g', 'h'] },
      ],
      axis: durationAxis('en'),
    }).toString();

  it('draws each series as lines broken at missing periods, with a dot per value', () => {
    const markup = chart();
    // Jan alone is a dot only; Mar-Apr a line.
    expect(markup.match(/<polyline/g)).toHaveLength(2);
    expect(markup.match(/<circle/g)).toHaveLength(6);
    expect(markup).toMatch(/<g class="chart-series median">/);
    expect(markup).toMatch(/<g class="chart-series p90">/);
  });

  it('puts a larger duration higher, on an axis of hours', () => {
    const markup = chart();
    const cy = attrsOf(markup, 'circle', 'cy');
    // Median Jan (1 h) is lower on the page (larger y) than p90 Apr (6 h).
    expect(cy[0]).toBeGreaterThan(cy[5]!);
    expect(markup).toContain('>6h</text>');
  });
});
