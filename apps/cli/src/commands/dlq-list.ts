import { DeadLetter, DeadLetters } from '@hotline/queue';

export interface DlqListOptions {
  all?: boolean;
  json?: boolean;
  limit?: number;
}

/** One line per dead letter; the error (free text, last) with its line breaks flattened. */
export function formatDeadLetter(letter: DeadLetter, withRedriven: boolean): string {
  const columns = [letter.id, letter.queue, letter.jobName, letter.jobId, String(letter.attempts), letter.failedAt];
  if (withRedriven) columns.push(letter.redrivenAt ?? 'open');
  columns.push(letter.error.replace(/\s+/g, ' ').trim());
  return columns.join(' ');
}

/**
 * `dlq:list`: open dead letters, oldest first (with `all`, the redriven ones too, with a
 * redriven_at column before the error). Returns what to print on stdout and stderr.
 */
export async function dlqList(deadLetters: DeadLetters, options: DlqListOptions): Promise<{ stdout: string; stderr: string }> {
  const limit = options.limit ?? 1000;
  const letters = await deadLetters.list({ all: options.all ?? false, limit });
  const stderr = letters.length === limit ? `showing the first ${limit}; use --limit for more\n` : '';
  if (options.json) return { stdout: `${JSON.stringify(letters)}\n`, stderr };
  if (letters.length === 0) return { stdout: '', stderr: options.all ? 'no dead letters\n' : 'no open dead letters\n' };
  return { stdout: letters.map((letter) => `${formatDeadLetter(letter, options.all ?? false)}\n`).join(''), stderr };
}
