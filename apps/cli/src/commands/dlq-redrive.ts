import { DeadLetters } from '@hotline/queue';
import { UsageError } from './usage-error';

const MAX_BIGINT = 9223372036854775807n;

/** Checks the arguments before anything connects: exactly one of `<id>` and `--all`. */
export function redriveTarget(id: string | undefined, all: boolean | undefined): { id: string } | { all: true } {
  if ((id === undefined) === !all) throw new UsageError('dlq:redrive: give exactly one of <id> and --all');
  if (all) return { all: true };
  if (!/^[1-9][0-9]{0,18}$/.test(id!) || BigInt(id!) > MAX_BIGINT) {
    throw new UsageError(`dlq:redrive: the id must be a positive integer (a dead letter id from dlq:list)`);
  }
  return { id: id! };
}

/** Thrown (exit 1) when the id names no open dead letter. */
export class NotOpenError extends Error {}

/** `dlq:redrive`: sends the dead letter(s) back to their queues; returns the line to print. */
export async function dlqRedrive(deadLetters: DeadLetters, target: { id: string } | { all: true }): Promise<string> {
  const { redriven, notOpen } = await deadLetters.redrive(target);
  if (notOpen.length > 0) {
    throw new NotOpenError(`dlq:redrive: dead letter ${notOpen.join(', ')} is not open (unknown or already redriven)`);
  }
  return `redriven ${redriven.length}: ${redriven.join(', ')}`.trimEnd();
}
