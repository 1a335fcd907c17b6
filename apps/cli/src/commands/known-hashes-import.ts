import { isKnownHashVerdict, KNOWN_HASH_VERDICTS, normaliseContentHash } from '@hotline/domain';
import { splitCsvLine } from '@hotline/enrichment';
import { KnownHashImportRow, knownHashRepository } from '@hotline/persistence';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DataSource, QueryRunner } from 'typeorm';
import { problemList, UsageError } from './usage-error';

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
const MAX_PROBLEMS_SHOWN = 100;
const COLUMNS = ['algorithm', 'value', 'verdict'] as const;

/**
 * `known-hashes:import`: hashes of files confirmed before (a partner's or INTERPOL's hash list,
 * our own confirmed items) go into known_hash, so a trusted source's URL that comes with one of
 * them is settled at triage without anyone viewing it. Only confirming verdicts (baseline,
 * national) exist for hashes. The list never holds a file, only digests.
 *
 * All or nothing, like known-urls:import: every row is checked (each bad one reported by line,
 * never echoing its value) before anything is committed; the file is streamed into a temporary
 * table in batches inside one transaction. A hash given twice with two verdicts refuses the file.
 */
export async function importKnownHashes(dataSource: DataSource, file: string, options: KnownHashImportOptions): Promise<KnownHashImportResult> {
  const list = options.list.trim();
  if (list === '' || list.length > MAX_LIST_NAME) throw new UsageError(`known-hashes:import: --list must be 1..${MAX_LIST_NAME} characters`);
  const batchSize = options.batchSize ?? 1000;

  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await knownHashRepository.openImport(runner);

    const problems: string[] = [];
    let problemCount = 0;
    let rows = 0;
    let batch: KnownHashImportRow[] = [];
    const problem = (line: number, message: string) => {
      problemCount++;
      if (problems.length < MAX_PROBLEMS_SHOWN) problems.push(`line ${line}: ${message}`);
    };

    for await (const raw of readHashCsvRows(file)) {
      if ('problem' in raw) {
        problem(raw.line, raw.problem);
        continue;
      }
      rows++;
      const checked = checkHashRow(raw);
      if (typeof checked === 'string') {
        problem(raw.line, checked);
        continue;
      }
      // After the first bad row nothing more is written: the import will be refused anyway.
      if (problemCount > 0) continue;
      batch.push(checked);
      if (batch.length >= batchSize) {
        await insertBatch(runner, batch);
        batch = [];
      }
    }
    if (problemCount > 0) throw rejected(file, problems, problemCount);
    if (rows === 0) throw new UsageError(`known-hashes:import: ${file} holds no hashes`);
    if (batch.length > 0) await insertBatch(runner, batch);

    const conflicts = await knownHashRepository.conflictingLines(runner, MAX_PROBLEMS_SHOWN + 1);
    if (conflicts.length > 0) {
      const messages = conflicts.map(
        ({ lines }) => `line ${lines[0]}: the same hash as line${lines.length > 2 ? 's' : ''} ${lines.slice(1).join(', ')} with a different verdict`,
      );
      throw rejected(file, messages, messages.length);
    }

    const counts = await knownHashRepository.mergeImport(runner, list);
    await runner.commitTransaction();
    return { imported: counts.new + counts.updated, new: counts.new, updated: counts.updated, list };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

async function insertBatch(runner: QueryRunner, batch: KnownHashImportRow[]): Promise<void> {
  await knownHashRepository.importBatch(runner, batch);
}

function rejected(file: string, problems: string[], total: number): UsageError {
  const rows = total === 1 ? '1 bad row' : `${total} bad rows`;
  return new UsageError(`known-hashes:import: ${rows} in ${file}, nothing imported:\n${problemList(problems, total, MAX_PROBLEMS_SHOWN)}`);
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
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new UsageError(`known-hashes:import: cannot read ${file}: ${(error as Error).message}`);
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  let columns: Record<(typeof COLUMNS)[number], number> | null = null;
  try {
    for await (let text of lines) {
      line++;
      if (line === 1) text = text.replace(/^\uFEFF/, '');
      if (text.trim() === '') continue;
      const record = splitCsvLine(text);
      if ('problem' in record) {
        yield { line, problem: record.problem };
        if (columns === null) return;
        continue;
      }
      const { fields } = record;
      if (columns === null) {
        const names = fields.map((name) => name.trim().toLowerCase());
        if (names.length !== COLUMNS.length || !COLUMNS.every((name) => names.includes(name))) {
          yield { line, problem: 'the first line must be the header "algorithm,value,verdict"' };
          return;
        }
        columns = { algorithm: names.indexOf('algorithm'), value: names.indexOf('value'), verdict: names.indexOf('verdict') };
        continue;
      }
      if (fields.length !== COLUMNS.length) {
        yield { line, problem: `${fields.length} fields but the header names ${COLUMNS.length}` };
        continue;
      }
      yield { line, algorithm: fields[columns.algorithm], value: fields[columns.value], verdict: fields[columns.verdict] };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}
