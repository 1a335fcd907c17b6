import { generatedCalendar, type HotlineConfig, statsRules } from '@hotline/config';
import { backfillStats, checkStats, statsRepository } from '@hotline/persistence';
import { writeFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';

// Differences named one per line; past this many the count says how many more there are.
const SHOWN = 50;

/** `stats:backfill`: the rollups rebuilt from every case event; one line of what it read and wrote. */
export async function statsBackfill(dataSource: DataSource, config: HotlineConfig): Promise<string> {
  const started = Date.now();
  const result = await backfillStats(dataSource, statsRepository, statsRules(config));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return `backfilled ${result.cases} cases (${result.events} events, through event ${result.through}) into ${result.cells} cells in ${seconds} s\n`;
}

/** `stats:check`: the rollups against the events they claim to include; ok (exit 0) or each difference (exit 1). */
export async function statsCheck(dataSource: DataSource, config: HotlineConfig): Promise<{ ok: boolean; lines: string }> {
  const result = await checkStats(dataSource, statsRepository, statsRules(config));
  if (result.differences.length === 0) return { ok: true, lines: `ok ${result.cells} cells from ${result.cases} cases (through event ${result.through})\n` };
  const lines = result.differences.slice(0, SHOWN).map((d) => `${d.key}: stored ${d.stored ?? 'nothing'}, events give ${d.expected ?? 'nothing'}`);
  if (result.differences.length > SHOWN) lines.push(`(the first ${SHOWN} shown)`);
  return { ok: false, lines: `${lines.join('\n')}\n${result.differences.length} cells differ from the events (stats:backfill rebuilds them)\n` };
}

/** `calendar:export`: the working-day calendar of HOTLINE_COUNTRY as a file an admin can edit, then name in WORKING_DAYS_FILE. */
export function calendarExport(config: HotlineConfig, out: string): string {
  const calendar = generatedCalendar(config.hotlineCountry);
  writeFileSync(out, `${JSON.stringify(calendar, null, 2)}\n`);
  return `wrote ${out}: ${config.hotlineCountry}, weekend ${calendar.weekend.join(',')}, ${calendar.holidays.length} public holidays\n`;
}
