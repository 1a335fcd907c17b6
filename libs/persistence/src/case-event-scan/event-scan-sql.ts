/**
 * The common part of a scan of the case events past a cursor (reporter feedback, the statistics'
 * rollups): `cursor` (the caller's row, with its `last_event_id`), `read` (at most $1 events after
 * it, in id order), `stepped` (the step from each id to the one before), `blocked` (the first gap
 * after $2, the ids the caller may pass: event-gaps.ts) and `passed` (the events before that gap).
 * The caller's statement begins `WITH ${eventScanCtes(...)}` and reads from them.
 */
export function eventScanCtes(cursorSql: string): string {
  return `cursor AS (
  ${cursorSql}
), read AS (
  SELECT e.id, e.case_id FROM case_event e, cursor WHERE e.id > cursor.last_event_id ORDER BY e.id LIMIT $1
), stepped AS (
  SELECT id, case_id, id - coalesce(lag(id) OVER (ORDER BY id), (SELECT last_event_id FROM cursor)) AS step FROM read
), blocked AS (
  SELECT min(id) AS id FROM stepped WHERE step > 1 AND id > coalesce($2::bigint, 0)
), passed AS (
  SELECT id, case_id, step FROM stepped WHERE id < coalesce((SELECT id FROM blocked), 9223372036854775807)
)`;
}
