import type { SqlRunner } from '@hotline/persistence';

/**
 * Test fixtures write cases straight into the table (a case in review without the claim and
 * assessment that led there). Each still gets the `created` event a real case has, so the event
 * log explains every case at the end of the run (cases:verify-events, checked by the global
 * teardown).
 */
export async function recordFixtureCreated(db: SqlRunner, caseIds: string | string[]): Promise<void> {
  await db.query(
    `INSERT INTO case_event (case_id, kind, from_status, to_status, detail)
     SELECT id, 'created', NULL, status, '{"fixture": true}' FROM "case" WHERE id = ANY($1::uuid[])`,
    [[caseIds].flat()],
  );
}

/** Puts a fixture case in a status the test needs, with the event that says so (outside the state machine: a fixture). */
export async function forceCaseStatus(db: SqlRunner, caseId: string, status: string, set = ''): Promise<void> {
  await db.query(
    `WITH before AS (SELECT id, status FROM "case" WHERE id = $1 FOR UPDATE),
          moved AS (UPDATE "case" c SET status = $2${set ? `, ${set}` : ''}, updated_at = now() FROM before b WHERE c.id = b.id RETURNING c.id, b.status AS was)
     INSERT INTO case_event (case_id, kind, from_status, to_status, detail) SELECT id, 'transition', was, $2, '{"fixture": true}' FROM moved`,
    [caseId, status],
  );
}
