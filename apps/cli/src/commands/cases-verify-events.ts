import { caseRepository, SqlRunner } from '@hotline/persistence';

// Named one per line; past this many the count says how many more there are to find.
const SHOWN = 1000;

/**
 * `cases:verify-events`: every case's status must be the `to_status` of its latest
 * status-bearing event, and every case must have its `created` event: the statistics regulators
 * audit are computed from these events. `ok <n> cases` (exit 0), or one line per case that breaks
 * the rule (exit 1). All cases, or those of `ids` (a test's own).
 */
export async function casesVerifyEvents(db: SqlRunner, ids: string[] | null = null): Promise<{ ok: boolean; lines: string }> {
  const { checked, broken } = await caseRepository.unexplained(db, SHOWN, ids);
  if (broken.length === 0) return { ok: true, lines: `ok ${checked} cases\n` };
  const lines = broken.map((c) =>
    !c.created ? `case ${c.id}: no created event (status ${c.status})` : `case ${c.id}: status ${c.status}, but its latest status event says ${c.latest ?? 'nothing'}`,
  );
  if (broken.length === SHOWN) lines.push(`(the first ${SHOWN} shown; there may be more)`);
  return { ok: false, lines: `${lines.join('\n')}\n${broken.length} of ${checked} cases not explained by their events\n` };
}
