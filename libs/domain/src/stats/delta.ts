import { FineCells } from './cells';
import { type ObservationRules, observeCase, type StatEvent } from './observations';

/**
 * What new events change in the rollups: for each case touched, everything its events give now
 * less everything they gave when the rollups last included it (its events up to `appliedThrough`,
 * the cursor before this round). Events are exact history, so "then" is recomputed, never stored.
 * `eventsByCase` holds each touched case's events up to the new cursor, in id order.
 */
export function rollupDelta(eventsByCase: Iterable<readonly StatEvent[]>, appliedThrough: number, rules: ObservationRules): FineCells {
  const cells = new FineCells();
  for (const events of eventsByCase) {
    const before = events.filter((e) => e.id <= appliedThrough);
    if (before.length > 0) cells.add(observeCase(before, rules), -1);
    cells.add(observeCase(events, rules), 1);
  }
  return cells;
}

/** Events in (case, id) order grouped by case, order kept. */
export function eventsByCase<E extends StatEvent & { caseId: string }>(events: readonly E[]): Map<string, E[]> {
  const byCase = new Map<string, E[]>();
  for (const e of events) {
    const list = byCase.get(e.caseId);
    if (list) list.push(e);
    else byCase.set(e.caseId, [e]);
  }
  return byCase;
}
