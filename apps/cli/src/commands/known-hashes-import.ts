import { isKnownHashVerdict, KNOWN_HASH_VERDICTS, normaliseContentHash } from '@hotline/domain';
import { KnownHashImportRow, knownHashRepository } from '@hotline/persistence';
import type { DataSource } from 'typeorm';
import { readCsvRecords, runStagedImport } from './staged-import';
import { UsageError } from './usage-error';

export interface KnownHashImportOptions {
  list: string;
  batchSize?: number;
}

export interface KnownHashImportResult {
  /** distinct hashes written: new + updated */
  imported: number;
  new: number;
  updated: number;
  list: string;
}

/** One row as read from the file, before it is checked. */
export type RawHashRow = { line: number; algorithm: string; value: string; verdict: string } | { line: number; problem: string };

const MAX_LIST_NAME = 100;
const COLUMNS = ['algorithm', 'value', 'verdict'] as const;

/**
 * `known-hashes:import`: hashes of files confirmed before (a partner's or INTERPOL's hash list,
 * our own confirmed items) go into known_hash, so a trusted source's URL that comes with one of
 * them is settled at triage without anyone viewing it. Only confirming verdicts (baseline,
 * national) exist for hashes. The list never holds a file, only digests.
 *
 * All or nothing, like known-urls:import (runStagedImport): every row is checked (each bad one
 * reported by line, never echoing its value) before anything is committed; the file is streamed
 * into a temporary table in batches inside one transaction. A hash given twice with two verdicts
 * refuses the file.
 */
export async function importKnownHashes(dataSource: DataSource, file: string, options: KnownHashImportOptions): Promise<KnownHashImportResult> {
  const list = options.list.trim();
  if (list === '' || list.length > MAX_LIST_NAME) throw new UsageError(`known-hashes:import: --list must be 1..${MAX_LIST_NAME} characters`);
  return runStagedImport(dataSource, {
    command: 'known-hashes:import',
    file,
    noun: { plural: 'hashes', singular: 'hash' },
    rows: readHashCsvRows(file),
    check: checkHashRow,
    staging: knownHashRepository,
    list,
    batchSize: options.batchSize ?? 1000,
  });
}

/** A checked row (algorithm and hex normalised), or what is wrong with it. Exported for its unit test. */
export function checkHashRow(raw: { line: number; algorithm: string; value: string; verdict: string }): KnownHashImportRow | string {
  const verdict = raw.verdict.trim();
  if (!isKnownHashVerdict(verdict)) return `unknown verdict (one of ${KNOWN_HASH_VERDICTS.join(', ')})`;
  const hash = normaliseContentHash(raw.algorithm, raw.value);
  if ('problem' in hash)
    return hash.problem === 'algorithm' ? 'unknown algorithm (one of sha256, sha1, md5)' : `not a ${raw.algorithm.trim().toLowerCase()} digest in hex`;
  return { line: raw.line, algorithm: hash.algorithm, value: hash.value, verdict };
}

/**
 * CSV with the header `algorithm,value,verdict` (in any order). Blank lines are skipped; read
 * line by line, so a list of millions of hashes is never held whole. Exported for its unit test.
 */
export async function* readHashCsvRows(file: string): AsyncGenerator<RawHashRow> {
  for await (const record of readCsvRecords('known-hashes:import', file, hashColumns)) {
    if ('problem' in record) {
      yield record;
      continue;
    }
    const { line, fields, columns } = record;
    if (fields.length !== COLUMNS.length) {
      yield { line, problem: `${fields.length} fields but the header names ${COLUMNS.length}` };
      continue;
    }
    yield { line, algorithm: fields[columns.algorithm], value: fields[columns.value], verdict: fields[columns.verdict] };
  }
}

function hashColumns(names: string[]): Record<(typeof COLUMNS)[number], number> | { problem: string } {
  if (names.length !== COLUMNS.length || !COLUMNS.every((name) => names.includes(name))) {
    return { problem: 'the first line must be the header "algorithm,value,verdict"' };
  }
  return { algorithm: names.indexOf('algorithm'), value: names.indexOf('value'), verdict: names.indexOf('verdict') };
}
