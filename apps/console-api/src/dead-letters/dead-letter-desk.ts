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

/** How many leading words of an error text the console keeps at most. */
export const ERROR_WORDS_KEPT = 8;

/** A word the console shows of an error text: ASCII letters only, with at most a colon after them ("HostingLookupError:"). */
const PLAIN_WORD = /^[A-Za-z]+:?$/;

/**
 * An error text for the console, where admins never see what a case is about. An allowlist, not a
 * search for addresses (which misses IDN hosts, `abc.i2p`, `example[.]com/path`, a path after a
 * masked host...): the leading words made only of ASCII letters are kept (at most
 * ERROR_WORDS_KEPT, a colon after one allowed), up to the first word that is anything else; "…"
 * says the text was cut. "HostingLookupError: hosting lookup for bad.example: timeout" becomes
 * "HostingLookupError: hosting lookup for …": the kind of failure, never its subject. The CLI's
 * `dlq:list` shows the full text (operators at the server).
 */
export function errorWithoutAddresses(error: string): string {
  const words = error.split(/\s+/).filter((word) => word !== '');
  const kept: string[] = [];
  for (const word of words) {
    if (kept.length === ERROR_WORDS_KEPT || !PLAIN_WORD.test(word)) break;
    kept.push(word);
  }
  return kept.length === words.length ? kept.join(' ') : [...kept, '…'].join(' ');
}

/**
 * A job id for the console. Ours are made of names, ids and digests (JOB_IDS: `hosting-<case
 * id>-0`), BullMQ's own are numbers; anything else (a dot, a slash: it could name a host) is
 * shown as "…".
 */
export function jobIdWithoutAddresses(jobId: string): string {
  return /^[A-Za-z0-9_-]{1,200}$/.test(jobId) ? jobId : '…';
}
