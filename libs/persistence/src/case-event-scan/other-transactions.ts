import type { SqlRunner } from '../sql';
import type { OtherTransactions } from './event-gaps';

// The other transactions on this database (the scan's own excluded): when the oldest began, and
// how many cannot be seen (another role's session without pg_read_all_stats shows no xact_start;
// a prepared transaction is in no session). Read first in the scan's transaction: a session's
// xact_start is cleared only after its commit is visible, and the scan's snapshot comes after.
const OTHER_TRANSACTIONS = `
SELECT clock_timestamp() AS now,
       (SELECT min(xact_start) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL) AS oldest_start,
       ((SELECT count(*) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = '<insufficient privilege>')
        + (SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()))::int AS unseen`;

/** The other transactions on the database (see OTHER_TRANSACTIONS): call it first in the scan's transaction. */
export async function otherTransactions(db: SqlRunner): Promise<OtherTransactions> {
  const [row]: { now: Date; oldest_start: Date | null; unseen: number }[] = await db.query(OTHER_TRANSACTIONS);
  return { now: new Date(row.now), oldestStart: row.oldest_start ? new Date(row.oldest_start) : null, unseen: row.unseen };
}
