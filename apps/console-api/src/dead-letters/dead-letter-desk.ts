import type { DeadLetter, DeadLetters } from '@hotline/queue';

/**
 * What operators see of a dead letter, from the CLI (`dlq:list`) and the console page alike: where
 * it failed, how often and why, never the job's payload (ids today, but a payload is the job's to
 * define, and nothing here needs it).
 */
export type DeadLetterEntry = Omit<DeadLetter, 'payload'>;

export function deadLetterEntry(letter: DeadLetter): DeadLetterEntry {
  return {
    id: letter.id,
    queue: letter.queue,
    jobName: letter.jobName,
    jobId: letter.jobId,
    attempts: letter.attempts,
    failedAt: letter.failedAt,
    redrivenAt: letter.redrivenAt,
    error: letter.error,
  };
}

const MAX_BIGINT = 9223372036854775807n;

/** A dead letter id (a positive bigint, as text), or null for anything else: nothing else is looked up. */
export function deadLetterIdOf(value: unknown): string | null {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,18}$/.test(value) || BigInt(value) > MAX_BIGINT) return null;
  return value;
}

/** Which dead letters to redrive: one (by id, as given: it may name none) or every open one. */
export type RedriveTarget = { id: string } | { all: true };

/**
 * The dead letters as an operator handles them: listed without payloads, redriven one by one or
 * all at once. One implementation for `dlq:list`/`dlq:redrive` and the console's page.
 */
export class DeadLetterDesk {
  constructor(private readonly deadLetters: DeadLetters) {}

  /** Oldest first; only the open ones unless `all`; `truncated` when `limit` cut the list. */
  async list(options: { all?: boolean; limit: number }): Promise<{ letters: DeadLetterEntry[]; truncated: boolean }> {
    const letters = await this.deadLetters.list({ all: options.all ?? false, limit: options.limit });
    return { letters: letters.map(deadLetterEntry), truncated: letters.length === options.limit };
  }

  async countOpen(): Promise<number> {
    return this.deadLetters.countOpen();
  }

  /** Sends them back to their queues; an id that is not a dead letter id is "not open", never looked up. */
  async redrive(target: RedriveTarget): Promise<{ redriven: string[]; notOpen: string[] }> {
    if ('id' in target && deadLetterIdOf(target.id) === null) return { redriven: [], notOpen: [target.id] };
    return this.deadLetters.redrive(target);
  }
}

/**
 * An error text for the console, where admins never see what a case is about: web addresses and
 * host names (a failed hosting lookup names the reported host) are replaced by a placeholder.
 * IP addresses and everything else stay: they say what broke.
 */
export function errorWithoutAddresses(error: string): string {
  return error
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]*/gi, '[url]')
    .replace(/\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\b/gi, '[host]');
}
