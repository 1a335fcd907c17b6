import { splitCsvLine } from '@hotline/enrichment';
import type { SqlRunner } from '@hotline/persistence';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { problemList, UsageError } from './usage-error';

export const MAX_PROBLEMS_SHOWN = 100;

/** A row as a reader yields it: something to check, or what is wrong with that line already. */
export type ReadRow<Raw> = Raw | { line: number; problem: string };

/** The repository side of a staged import: all four run on one QueryRunner inside one transaction. */
export interface ImportStaging<Staged> {
  /** makes the temporary table, dropped at commit or rollback */
  openImport(db: SqlRunner): Promise<void>;
  importBatch(db: SqlRunner, rows: readonly Staged[]): Promise<void>;
  /** the staged items given more than one verdict: the lines of each, in file order */
  conflictingLines(db: SqlRunner, limit: number): Promise<{ lines: number[] }[]>;
  mergeImport(db: SqlRunner, listName: string): Promise<{ new: number; updated: number }>;
}

export interface StagedImport<Raw extends { line: number }, Staged> {
  /** the command as messages name it, e.g. `known-urls:import` */
  command: string;
  file: string;
  /** what the file lists, for messages: `URLs`/`URL` */
  noun: { plural: string; singular: string };
  rows: AsyncIterable<ReadRow<Raw>>;
  /** a row ready for the staging table, or what is wrong with it (never echoing the value) */
  check(raw: Raw): Staged | string;
  staging: ImportStaging<Staged>;
  list: string;
  batchSize: number;
}

/**
 * The all-or-nothing import shared by the known-* commands: every row is checked (every bad one
 * reported by line) before anything is committed, so an operator fixes the file and runs it again.
 * The rows are streamed in batches into a temporary table inside one transaction, which keeps
 * memory flat for a million rows; an item given twice with two verdicts refuses the file.
 */
export async function runStagedImport<Raw extends { line: number }, Staged>(
  dataSource: DataSource,
  job: StagedImport<Raw, Staged>,
): Promise<{ imported: number; new: number; updated: number; list: string }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await job.staging.openImport(runner);

    const problems: string[] = [];
    let problemCount = 0;
    let rows = 0;
    let batch: Staged[] = [];
    const problem = (line: number, message: string) => {
      problemCount++;
      if (problems.length < MAX_PROBLEMS_SHOWN) problems.push(`line ${line}: ${message}`);
    };

    for await (const raw of job.rows) {
      if ('problem' in raw) {
        problem(raw.line, raw.problem);
        continue;
      }
      rows++;
      const checked = job.check(raw);
      if (typeof checked === 'string') {
        problem(raw.line, checked);
        continue;
      }
      // After the first bad row nothing more is written: the import will be refused anyway.
      if (problemCount > 0) continue;
      batch.push(checked);
      if (batch.length >= job.batchSize) {
        await job.staging.importBatch(runner, batch);
        batch = [];
      }
    }
    if (problemCount > 0) throw rejected(job, problems, problemCount);
    if (rows === 0) throw new UsageError(`${job.command}: ${job.file} holds no ${job.noun.plural}`);
    if (batch.length > 0) await job.staging.importBatch(runner, batch);

    // One item, two verdicts: the file contradicts itself; an operator has to decide which holds.
    const conflicts = await job.staging.conflictingLines(runner, MAX_PROBLEMS_SHOWN + 1);
    if (conflicts.length > 0) {
      const messages = conflicts.map(
        ({ lines }) => `line ${lines[0]}: the same ${job.noun.singular} as line${lines.length > 2 ? 's' : ''} ${lines.slice(1).join(', ')} with a different verdict`,
      );
      throw rejected(job, messages, messages.length);
    }

    const counts = await job.staging.mergeImport(runner, job.list);
    await runner.commitTransaction();
    return { imported: counts.new + counts.updated, new: counts.new, updated: counts.updated, list: job.list };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

function rejected(job: { command: string; file: string }, problems: string[], total: number): UsageError {
  const rows = total === 1 ? '1 bad row' : `${total} bad rows`;
  return new UsageError(`${job.command}: ${rows} in ${job.file}, nothing imported:\n${problemList(problems, total, MAX_PROBLEMS_SHOWN)}`);
}

/**
 * The records of a CSV file after its header, numbered by line: a byte-order mark is dropped and
 * blank lines are skipped; a line that does not split (an unclosed quote) comes as a problem.
 * `header` turns the lower-cased, trimmed names of the first line into the columns each record
 * carries, or says what is wrong with them, which ends the file (nothing after it can be read).
 * Read line by line (the lists hold no line breaks in a field), so a file of millions of rows is
 * never held whole.
 */
export async function* readCsvRecords<Columns>(
  command: string,
  file: string,
  header: (names: string[]) => Columns | { problem: string },
): AsyncGenerator<{ line: number; fields: string[]; columns: Columns } | { line: number; problem: string }> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new UsageError(`${command}: cannot read ${file}: ${(error as Error).message}`);
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  let columns: Columns | null = null;
  try {
    for await (let text of lines) {
      line++;
      if (line === 1) text = text.replace(/^\uFEFF/, '');
      if (text.trim() === '') continue;
      const record = splitCsvLine(text);
      if ('problem' in record) {
        yield { line, problem: record.problem };
        if (columns === null) return;
      } else if (columns === null) {
        const parsed = header(record.fields.map((name) => name.trim().toLowerCase()));
        if (isProblem(parsed)) {
          yield { line, problem: parsed.problem };
          return;
        }
        columns = parsed;
      } else {
        yield { line, fields: record.fields, columns };
      }
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

function isProblem(value: unknown): value is { problem: string } {
  return typeof value === 'object' && value !== null && 'problem' in value;
}
