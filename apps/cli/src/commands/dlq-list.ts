import { DeadLetters } from '@hotline/queue';
import { DeadLetterDesk, DeadLetterEntry } from '../../../console-api/src/dead-letters/dead-letter-desk';

export interface DlqListOptions {
  all?: boolean;
  json?: boolean;
  limit?: number;
}

/** One line per dead letter; the error (free text, last) with its line breaks flattened. */
export function formatDeadLetter(letter: DeadLetterEntry, withRedriven: boolean): string {
  const columns = [letter.id, letter.queue, letter.jobName, letter.jobId, String(letter.attempts), letter.failedAt];
  if (withRedriven) columns.push(letter.redrivenAt ?? 'open');
  columns.push(letter.error.replace(/\s+/g, ' ').trim());
  return columns.join(' ');
}

/**
 * `dlq:list`: open dead letters, oldest first (with `all`, the redriven ones too, with a
 * redriven_at column before the error). The lines are what the console's dead letters page shows
 * (DeadLetterDesk), but with the full error text (the page keeps its leading plain words only:
 * errorWithoutAddresses); only `--json` adds each job's payload, for an operator at the server.
 * Returns what to print on stdout and stderr.
 */
export async function dlqList(deadLetters: DeadLetters, options: DlqListOptions): Promise<{ stdout: string; stderr: string }> {
  const limit = options.limit ?? 1000;
  const all = options.all ?? false;
  if (options.json) {
    const letters = await deadLetters.list({ all, limit });
    return { stdout: `${JSON.stringify(letters)}\n`, stderr: truncation(letters.length === limit, limit) };
  }
  const { letters, truncated } = await new DeadLetterDesk(deadLetters).list({ all, limit });
  const stderr = truncation(truncated, limit);
  if (letters.length === 0) return { stdout: '', stderr: all ? 'no dead letters\n' : 'no open dead letters\n' };
  return { stdout: letters.map((letter) => `${formatDeadLetter(letter, all)}\n`).join(''), stderr };
}

function truncation(truncated: boolean, limit: number): string {
  return truncated ? `showing the first ${limit}; use --limit for more\n` : '';
}
