/**
 * The way to `removed`. Content can be found gone (by staff, or a partner's `removed`) before any
 * action of ours was recorded as sent; the case still passes through `actioned`, so every clock of
 * the statistics (confirmed -> actioned -> removed) has both its ends, and the state machine is
 * never skipped. Staff removal and a partner's status message both walk these steps.
 */
import type { CaseStatus } from './case-status';

/** Confirmed illegal content is acted on, then removed: the one road to `removed`. */
const REMOVAL_PATH = ['confirmed', 'actioned', 'removed'] as const satisfies readonly CaseStatus[];

/** Statuses from which content can be marked removed. */
export const REMOVABLE_STATUSES: readonly CaseStatus[] = Object.freeze(REMOVAL_PATH.slice(0, -1));

/**
 * The statuses a case in `from` passes through, in order, to reach `removed` (each one
 * transition, each its case event); null when content removal does not apply to it (not
 * confirmed, or already removed).
 */
export function removalSteps(from: CaseStatus): CaseStatus[] | null {
  const at = (REMOVAL_PATH as readonly CaseStatus[]).indexOf(from);
  if (at < 0 || at === REMOVAL_PATH.length - 1) return null;
  return REMOVAL_PATH.slice(at + 1);
}
