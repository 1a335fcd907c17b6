import { canonicalizeUrl, dedupKey, InvalidUrlError, isKnownUrlVerdict, KNOWN_URL_VERDICTS } from '@hotline/domain';
import { KnownUrlImportRow, knownUrlRepository } from '@hotline/persistence';
import { uuidv7 } from '@hotline/security';
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { DataSource } from 'typeorm';
import { readCsvRecords, runStagedImport } from './staged-import';
import { UsageError } from './usage-error';

export interface KnownUrlImportOptions {
  list: string;
  /** for rows that name no verdict */
  verdict?: string;
  /** DEFAULT_TRACKING_PARAMS plus the configured extra ones: the same as intake */
  trackingParams: readonly string[];
  batchSize?: number;
}

export interface KnownUrlImportResult {
  /** distinct URLs (by dedup key) written: new + updated */
  imported: number;
  new: number;
  updated: number;
  list: string;
}

/** One row as read from the file, before it is checked. */
export type RawRow = { line: number; url: unknown; verdict: unknown } | { line: number; problem: string };

const MAX_LIST_NAME = 100;

/**
 * `known-urls:import`: URLs already confirmed elsewhere (a partner hotline's list) go into
 * known_url under their dedup key, so a report of one of them is settled at triage.
 *
 * All or nothing (runStagedImport): every row is checked (and every bad one reported by line)
 * before anything is committed, so an operator fixes the file and runs it again. The file is read
 * as a stream and written in batches into a temporary table inside one transaction, which keeps
 * memory flat for a million rows; duplicates within the file (two spellings of one URL) become one
 * row there.
 */
export async function importKnownUrls(dataSource: DataSource, file: string, options: KnownUrlImportOptions): Promise<KnownUrlImportResult> {
  const list = options.list.trim();
  if (list === '' || list.length > MAX_LIST_NAME) throw new UsageError(`known-urls:import: --list must be 1..${MAX_LIST_NAME} characters`);
  if (options.verdict !== undefined && !isKnownUrlVerdict(options.verdict)) {
    throw new UsageError(`known-urls:import: unknown --verdict ${JSON.stringify(options.verdict)} (one of ${KNOWN_URL_VERDICTS.join(', ')})`);
  }
  const format = await detectFormat(file);
  return runStagedImport(dataSource, {
    command: 'known-urls:import',
    file,
    noun: { plural: 'URLs', singular: 'URL' },
    rows: format === 'json' ? readJsonRows(file) : readCsvRows(file),
    check: (raw) => stagedRow(raw, options),
    staging: knownUrlRepository,
    list,
    batchSize: options.batchSize ?? 1000,
  });
}

/** A checked row as the staging table takes it, or what is wrong with it. */
function stagedRow(raw: { line: number; url: unknown; verdict: unknown }, options: KnownUrlImportOptions): KnownUrlImportRow | string {
  const checked = checkRow(raw, options);
  if (typeof checked === 'string') return checked;
  return { line: raw.line, id: uuidv7(), dedup_key: checked.key, canonical_url: checked.href, verdict: checked.verdict };
}

/** The URL itself is never echoed: the operator has the file, logs must not get the URL. */
function checkRow(raw: { url: unknown; verdict: unknown }, options: KnownUrlImportOptions): { key: string; href: string; verdict: string } | string {
  if (typeof raw.url !== 'string' || raw.url.trim() === '') return 'no URL';
  let verdict: string;
  if (raw.verdict === undefined || raw.verdict === null || raw.verdict === '') {
    if (options.verdict === undefined) return 'no verdict (give one in the file or with --verdict)';
    verdict = options.verdict;
  } else if (typeof raw.verdict !== 'string' || !isKnownUrlVerdict(raw.verdict.trim())) {
    return `unknown verdict ${quote(raw.verdict)} (one of ${KNOWN_URL_VERDICTS.join(', ')})`;
  } else {
    verdict = raw.verdict.trim();
  }
  try {
    const canonical = canonicalizeUrl(raw.url);
    return { key: dedupKey(canonical, options.trackingParams), href: canonical.href, verdict };
  } catch (error) {
    if (error instanceof InvalidUrlError) return `not a URL (${error.message})`;
    throw error;
  }
}

/** By extension (.csv, .json), else by the first character that is not blank: `[` or `{` is JSON. */
async function detectFormat(file: string): Promise<'csv' | 'json'> {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.json') return 'json';
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new UsageError(`known-urls:import: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const start = buffer
      .toString('utf8', 0, bytesRead)
      .replace(/^\uFEFF/, '')
      .trimStart();
    return start.startsWith('[') || start.startsWith('{') ? 'json' : 'csv';
  } finally {
    await handle.close();
  }
}

/**
 * CSV with a header naming its columns: `url` and optionally `verdict`, in any order. Fields may
 * be quoted ("..." with "" for a quote), which a URL holding a comma needs. Blank lines are skipped.
 * Read line by line (URLs hold no line breaks), so a file of millions of rows is never held whole.
 * Exported for its unit test.
 */
export async function* readCsvRows(file: string): AsyncGenerator<RawRow> {
  for await (const record of readCsvRecords('known-urls:import', file, urlColumns)) {
    if ('problem' in record) {
      yield record;
      continue;
    }
    const { line, fields, columns } = record;
    if (fields.length > columns.count) {
      yield { line, problem: `${fields.length} fields but the header names ${columns.count} (quote a URL that contains a comma)` };
      continue;
    }
    yield { line, url: fields[columns.url], verdict: columns.verdict < 0 ? undefined : fields[columns.verdict]?.trim() };
  }
}

function urlColumns(names: string[]): { url: number; verdict: number; count: number } | { problem: string } {
  const unknown = names.filter((name) => name !== 'url' && name !== 'verdict');
  if (!names.includes('url') || unknown.length > 0 || new Set(names).size !== names.length) {
    return { problem: 'the first line must be the header "url,verdict" (or "url")' };
  }
  return { url: names.indexOf('url'), verdict: names.indexOf('verdict'), count: names.length };
}

/** JSON: an array of URL strings or of {url, verdict} objects; each item keeps the line it starts on. */
async function* readJsonRows(file: string): AsyncGenerator<RawRow> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new UsageError(`known-urls:import: cannot read ${file}: ${(error as Error).message}`);
  }
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`known-urls:import: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(items)) throw new UsageError(`known-urls:import: ${file} must hold a JSON array of URLs or of {"url", "verdict"} objects`);
  const lines = itemLines(text);
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    const line = lines[i] ?? 1;
    if (typeof item === 'string') {
      yield { line, url: item, verdict: undefined };
    } else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const unknown = Object.keys(item).filter((key) => key !== 'url' && key !== 'verdict');
      if (unknown.length > 0) yield { line, problem: `unknown key ${quote(unknown[0])} (an item has "url" and optionally "verdict")` };
      else yield { line, url: (item as { url?: unknown }).url, verdict: (item as { verdict?: unknown }).verdict };
    } else {
      yield { line, problem: 'an item must be a URL string or an object {"url", "verdict"}' };
    }
  }
}

/** The line on which each item of a top-level JSON array starts (the text is valid JSON). */
function itemLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectItem = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 92) escaped = true;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (depth === 1 && expectItem && c !== 93) {
      lines.push(line);
      expectItem = false;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth === 1) expectItem = true;
    } else if (c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 1) expectItem = true;
  }
  return lines;
}

/** Untrusted text in a message: quoted, escaped and cut short. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
