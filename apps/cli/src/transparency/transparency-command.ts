import { AuditLog } from '@hotline/audit';
import type { HotlineConfig } from '@hotline/config';
import { statsRepository } from '@hotline/persistence';
import { writeFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { readTransparencyFigures } from './transparency-figures';
import { printPdf } from './transparency-pdf';
import { renderTransparencyReport } from './transparency-report';

export interface TransparencyOptions {
  /** Checked by transparencyYear. */
  year: number;
  out: string;
  pdf?: string;
  chromium: string;
}

/**
 * `report:transparency --year Y --out FILE [--pdf FILE]`: the year's published figures as one HTML
 * file (and a PDF of it), audited as the CLI's (aggregates only, like the statistics API's reads).
 * (main.ts checks the year first: a bad one exits 2 before the database is opened.)
 */
export async function reportTransparency(dataSource: DataSource, config: HotlineConfig, options: TransparencyOptions, now = new Date()): Promise<string> {
  const year = options.year;
  const figures = await readTransparencyFigures(dataSource, statsRepository, config, year, now);
  const document = renderTransparencyReport(figures);
  // Audited before anything is written: no report leaves unrecorded.
  await new AuditLog(dataSource).append({
    actor: { id: null, role: 'cli' },
    action: 'stats.transparency_report',
    detail: { year, throughEvent: figures.throughEvent, pdf: Boolean(options.pdf) },
  });
  writeFileSync(options.out, document);
  const written = [`wrote ${options.out}`];
  if (options.pdf) {
    await printPdf(document, options.pdf, options.chromium);
    written.push(`and ${options.pdf}`);
  }
  return `${written.join(' ')}: transparency report ${year} (through case event ${figures.throughEvent})\n`;
}
