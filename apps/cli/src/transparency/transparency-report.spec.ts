import { bucketValue, durationBucket, type Figure, type StatMetric } from '@hotline/domain';
import { UsageError } from '../commands/usage-error';
import { countFigure, type TransparencyFigures, transparencyYear } from './transparency-figures';
import { formatDuration, formatPercent, renderTransparencyReport } from './transparency-report';

const DAY = 86_400;
const HOUR = 3_600;

function figure(metric: StatMetric, over: Partial<Figure> = {}): Figure {
  return { metric, count: 0, hits: 0, rate: null, measured: 0, median: null, p90: null, suppressed: false, ...over };
}
const shown = (metric: StatMetric, count: number, hits: number, over: Partial<Figure> = {}) =>
  figure(metric, { count, hits, rate: count ? hits / count : null, ...over });
const hidden = (metric: StatMetric) => figure(metric, { count: null, hits: null, measured: null, suppressed: true });
// Durations as the histogram gives them back (bucket representatives), as the rollups would.
const read = (seconds: number) => bucketValue(durationBucket(seconds));

function fixture(over: Partial<TransparencyFigures> = {}): TransparencyFigures {
  const month = (m: number) => `2025-${String(m).padStart(2, '0')}-01`;
  return {
    year: 2025,
    country: 'IE',
    generatedAt: '2026-02-03T09:30:00.000Z',
    inProgress: false,
    minCell: 5,
    durationRelativeError: 0.025,
    throughEvent: '4821',
    latestEvent: '4821',
    reportsReceived: { count: 12_345, suppressed: false },
    totals: {
      deduplication: shown('deduplication', 20_000, 7_000),
      public_accuracy: shown('public_accuracy', 800, 208),
      police_notification: shown('police_notification', 640, 525),
      time_to_removal: shown('time_to_removal', 600, 348, { measured: 600, median: read(2.5 * DAY), p90: read(9 * DAY) }),
      notice_to_removal: shown('notice_to_removal', 590, 0, { measured: 590, median: read(30 * HOUR), p90: read(6 * DAY) }),
      removal_completion: shown('removal_completion', 640, 590),
    },
    byHosting: [
      { hosting: 'domestic', confirmed: shown('police_notification', 400, 390), removal: shown('time_to_removal', 380, 300, { measured: 380, median: read(20 * HOUR) }) },
      {
        hosting: 'partner_country',
        confirmed: shown('police_notification', 200, 130),
        removal: shown('time_to_removal', 190, 48, { measured: 190, median: read(4 * DAY) }),
      },
      {
        hosting: 'no_hotline_country',
        confirmed: shown('police_notification', 37, 5),
        removal: shown('time_to_removal', 30, 0, { measured: 30, median: read(29 * DAY) }),
      },
      { hosting: 'unknown', confirmed: hidden('police_notification'), removal: figure('time_to_removal') },
      { hosting: 'onion', confirmed: figure('police_notification'), removal: figure('time_to_removal') },
    ],
    months: Array.from({ length: 12 }, (_, i) => ({
      start: month(i + 1),
      reports: i === 0 ? { count: null, suppressed: true } : countFigure(1000 + i, 5),
      confirmed: i === 0 ? hidden('police_notification') : shown('police_notification', 50 + i, 40),
      removal: i === 0 ? hidden('time_to_removal') : shown('time_to_removal', 50, 29, { measured: 50, median: read((i + 1) * DAY), p90: read((i + 5) * DAY) }),
    })),
    stillOnline: { count: 17, medianSeconds: 12 * DAY, oldestSeconds: 80 * DAY, suppressed: false },
    calendar: { country: 'IE', weekend: [0, 6], holidays: ['2025-01-01', '2025-03-17'], source: 'generated' },
    ...over,
  };
}

/** Text content of the element with this id (tags dropped, spaces collapsed). */
function textOf(document: string, id: string): string {
  const start = document.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no element #${id}`);
  const open = document.lastIndexOf('<', start);
  const tag = /^<([a-z0-9]+)/.exec(document.slice(open))![1];
  let depth = 0;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  re.lastIndex = open;
  for (let m = re.exec(document); m; m = re.exec(document)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0)
      return document
        .slice(open, m.index)
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .replace(/\( /g, '(')
        .replace(/ ([),.;])/g, '$1')
        .trim();
  }
  throw new Error(`#${id} not closed`);
}

describe('renderTransparencyReport', () => {
  it('titles the report with the hotline’s country and year', () => {
    const document = renderTransparencyReport(fixture());
    expect(document.startsWith('<!doctype html>')).toBe(true);
    expect(document).toContain('<title>Ireland hotline: transparency report 2025</title>');
    expect(textOf(document, 'h-glance')).toBe('2025 at a glance');
    expect(document).toContain('1 January to 31 December 2025');
    // No country set (ZZ): no country named.
    expect(renderTransparencyReport(fixture({ country: 'ZZ' }))).toContain('<title>Hotline transparency report 2025</title>');
  });

  it('shows the year’s figures: reports, URLs, unique URLs, confirmed, removal, accuracy', () => {
    const document = renderTransparencyReport(fixture());
    expect(textOf(document, 'reports-received')).toContain('12,345');
    expect(textOf(document, 'urls-reported')).toContain('20,000');
    // Unique: n − hits of deduplication, with the repeats named.
    expect(textOf(document, 'unique-urls')).toMatch(/^Unique URLs 13,000 .*7,000 repeated an address already open/);
    expect(textOf(document, 'confirmed')).toMatch(/^Confirmed illegal 640 /);
    expect(textOf(document, 'removed-within')).toContain('58.0% (348 of 600)');
    expect(textOf(document, 'median-removal')).toContain('2.5 days');
    expect(textOf(document, 'public-accuracy')).toContain('26.0% (208 of 800)');
    expect(textOf(document, 'referred-within')).toContain('82.0% (525 of 640)');
    expect(textOf(document, 'removal-completion')).toContain('92.2% (590 of 640)');
  });

  it('shows where confirmed content was hosted, as counts and shares of all confirmed', () => {
    const document = renderTransparencyReport(fixture());
    const hosting = textOf(document, 'hosting');
    expect(hosting).toContain('In Ireland (domestic) 400 62.5%');
    expect(hosting).toContain('In a country with a partner hotline 200 31.3%');
    expect(hosting).toContain('In a country with no partner hotline 37 5.8%');
    expect(hosting).toContain('Unknown (hosting not resolved) fewer than 5 –');
    expect(hosting).toContain('Onion services (no hosting country) 0 0.0%');
    expect(hosting).toContain('All confirmed 640 100%');
  });

  it('gives both removal clocks with median and 90th percentile, the exact value behind each rounded one', () => {
    const document = renderTransparencyReport(fixture());
    expect(textOf(document, 'clock-received')).toBe(`From the report to the removal (INHOPE’s clock) 600 2.5 days ${formatDuration(read(9 * DAY))}`);
    expect(formatDuration(read(9 * DAY))).toMatch(/^9\.\d days$/);
    expect(textOf(document, 'clock-notice')).toMatch(/IWF’s clock\) 590 (29|30)\.\d hours (5\.9|6\.\d) days$/);
    expect(document).toContain(`data-seconds="${Math.round(read(2.5 * DAY))}"`);
    expect(textOf(document, 'removal-hosting')).toContain(`In a country with no partner hotline 30 0.0% ${formatDuration(read(29 * DAY))}`);
  });

  it('draws the months as inline SVG bars and lines, with a table of the same values', () => {
    const document = renderTransparencyReport(fixture());
    for (const id of ['chart-reports', 'chart-confirmed', 'chart-removal']) expect(document).toMatch(new RegExp(`<svg[^>]*id="${id}"`));
    expect(document.match(/class="chart-bar"/g)).toHaveLength(22);
    // January is a small cell: a dashed column in each bar chart, no point on the line.
    expect(document.match(/class="chart-suppressed"/g)).toHaveLength(2);
    expect(document).toContain('<title>January 2025: fewer than 5 reports</title>');
    expect(document).toContain('<title>February 2025: 1,001 reports</title>');
    expect(document.match(/<circle class="chart-dot"/g)).toHaveLength(22);
    const table = textOf(document, 'months');
    expect(table).toContain('January 2025 fewer than 5 fewer than 5 fewer than 5 fewer than 5');
    expect(table).toContain(`December 2025 1,011 61 50 ${formatDuration(read(12 * DAY))}`);
  });

  it('writes “fewer than 5” for every suppressed figure, and no number of it', () => {
    const small = fixture({
      reportsReceived: { count: null, suppressed: true },
      totals: {
        ...fixture().totals,
        police_notification: hidden('police_notification'),
        public_accuracy: hidden('public_accuracy'),
        time_to_removal: hidden('time_to_removal'),
      },
      stillOnline: { count: null, medianSeconds: null, oldestSeconds: null, suppressed: true },
    });
    const document = renderTransparencyReport(small);
    expect(textOf(document, 'reports-received')).toMatch(/^Reports received fewer than 5 /);
    expect(textOf(document, 'confirmed')).toMatch(/^Confirmed illegal fewer than 5 /);
    expect(textOf(document, 'public-accuracy')).toMatch(/^Accuracy of public reports fewer than 5 cases: not shown/);
    expect(textOf(document, 'median-removal')).toMatch(/^Median time to removal fewer than 5 /);
    expect(textOf(document, 'clock-received')).toMatch(/fewer than 5 fewer than 5 fewer than 5$/);
    expect(textOf(document, 'still-online')).toContain('fewer than 5 confirmed URLs were still online');
    // With the total suppressed, no share of it is given.
    expect(textOf(document, 'hosting')).toContain('In Ireland (domestic) 400 –');
    expect(textOf(document, 'method-suppression')).toContain('STATS_MIN_CELL = 5');
  });

  it('withholds a percentile of too few durations but keeps the count, and says none for an empty year', () => {
    const few = fixture({ totals: { ...fixture().totals, notice_to_removal: shown('notice_to_removal', 7, 0, { measured: 3 }) } });
    expect(textOf(renderTransparencyReport(few), 'clock-notice')).toMatch(/3 withheld \(fewer than 5 timed\) withheld \(fewer than 5 timed\)$/);
    const empty = fixture({ totals: { ...fixture().totals, time_to_removal: figure('time_to_removal') } });
    const document = renderTransparencyReport(empty);
    expect(textOf(document, 'removed-within')).toContain('none this year');
    expect(textOf(document, 'clock-received')).toMatch(/ 0 none none$/);
  });

  it('explains the method: definitions, the ±2.5% of percentiles, the calendar, the events included', () => {
    const document = renderTransparencyReport(fixture({ latestEvent: '4830' }));
    expect(textOf(document, 'definition-time_to_removal')).toContain('a case whose content was removed');
    expect(textOf(document, 'definition-police_notification')).toContain('referred to police or forwarded to a partner within 3 working days of receipt');
    expect(textOf(document, 'method-percentiles')).toContain('±2.5%');
    const calendar = textOf(document, 'method-calendar');
    expect(calendar).toContain('Ireland (IE): the weekend is Saturday and Sunday, and 2 public holidays in 2025 do not count (1 January 2025, 17 March 2025)');
    expect(calendar).toContain('date-holidays');
    expect(textOf(renderTransparencyReport(fixture({ calendar: { ...fixture().calendar, source: 'file' } })), 'method-calendar')).toContain('WORKING_DAYS_FILE');
    expect(textOf(document, 'method-data')).toContain('up to no. 4821 (the latest recorded then was no. 4830');
    expect(textOf(document, 'note-1')).toContain('population of the police-notification figure');
  });

  it('says when the year is still in progress', () => {
    const document = renderTransparencyReport(fixture({ year: 2026, inProgress: true, generatedAt: '2026-07-02T08:00:00.000Z' }));
    expect(document).toContain('1 January 2026 to 2 July 2026 (the year in progress)');
    expect(textOf(document, 'method-data')).toContain('The year 2026 was not over');
  });

  it('refers to nothing outside itself: no URL, no script, no image, no stylesheet link', () => {
    const document = renderTransparencyReport(fixture());
    expect(document).not.toMatch(/https?:|\/\/|\bsrc\s*=|url\(|@import|<script|<link|<img|<iframe|<object/i);
    // The only links are to its own notes.
    expect([...document.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(['#note-2', '#note-1', '#note-3']);
    expect(document).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('escapes every value it writes', () => {
    const hostile = '<img src=x onerror=alert(1)>"\'&';
    const document = renderTransparencyReport(fixture({ throughEvent: hostile, latestEvent: `${hostile}2`, country: '<b>' }));
    expect(document).not.toContain('<img');
    expect(document).not.toContain('<b>');
    expect(document).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(document).toContain('<title>Hotline transparency report 2025</title>');
  });
});

describe('formatDuration and formatPercent', () => {
  it('round durations to what the histogram’s ±2.5% can tell', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(45 * 60)).toBe('45 min');
    expect(formatDuration(23.6 * HOUR)).toBe('23.6 hours');
    expect(formatDuration(14 * DAY)).toBe('14.0 days');
    expect(formatPercent(5 / 6)).toBe('83.3%');
  });
});

describe('transparencyYear', () => {
  const now = new Date('2026-07-02T08:00:00Z');

  it('takes a year from 2000 to the current one', () => {
    expect(transparencyYear('2026', now)).toBe(2026);
    expect(transparencyYear('2000', now)).toBe(2000);
  });

  it.each(['2027', '1999', '26', '2026x', ' 2026', '', '２０２６'])('refuses %j (exit 2)', (value) => {
    expect(() => transparencyYear(value, now)).toThrow(UsageError);
  });
});

describe('countFigure', () => {
  it('suppresses 1 to minCell − 1, never zero', () => {
    expect(countFigure(0, 5)).toEqual({ count: 0, suppressed: false });
    expect(countFigure(4, 5)).toEqual({ count: null, suppressed: true });
    expect(countFigure(5, 5)).toEqual({ count: 5, suppressed: false });
  });
});
