import { DeadLetters } from '@hotline/queue';
import { DeadLetterDesk, deadLetterIdOf, RedriveTarget } from '../../../console-api/src/dead-letters/dead-letter-desk';
import { UsageError } from './usage-error';

/** Checks the arguments before anything connects: exactly one of `<id>` and `--all`. */
export function redriveTarget(id: string | undefined, all: boolean | undefined): RedriveTarget {
  if ((id === undefined) === !all) throw new UsageError('dlq:redrive: give exactly one of <id> and --all');
  if (all) return { all: true };
  if (deadLetterIdOf(id) === null) throw new UsageError(`dlq:redrive: the id must be a positive integer (a dead letter id from dlq:list)`);
  return { id: id! };
}

/** Thrown (exit 1) when the id names no open dead letter. */
export class NotOpenError extends Error {}

/** `dlq:redrive`: sends the dead letter(s) back to their queues (as the console's page does); returns the line to print. */
export async function dlqRedrive(deadLetters: DeadLetters, target: RedriveTarget): Promise<string> {
  const { redriven, notOpen } = await new DeadLetterDesk(deadLetters).redrive(target);
  if (notOpen.length > 0) {
    throw new NotOpenError(`dlq:redrive: dead letter ${notOpen.join(', ')} is not open (unknown or already redriven)`);
  }
  return `redriven ${redriven.length}: ${redriven.join(', ')}`.trimEnd();
}
