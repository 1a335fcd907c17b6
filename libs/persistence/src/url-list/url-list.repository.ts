import { Injectable } from '@nestjs/common';
import { type SqlRunner, updateReturning } from '../sql';
import type { UrlListDelta, UrlListItem } from './url-list.row';

/** pg_advisory_xact_lock key of version assignment ('URLL' in ASCII). */
export const URL_LIST_VERSION_LOCK = 0x55524c4c;
/** Rows read per query of the full list: keeps each result small while the whole is read in one snapshot. */
const PAGE = 20_000;

interface ItemRow {
  case_id: string;
  url?: string;
  sha256: string;
  at: Date;
}

/**
 * The confirmed-URL list (url_list_entry, kept up to date by a trigger on "case"). The trigger
 * notes each change with a null version; assignVersions numbers the committed ones under a lock,
 * so versions follow commit order: a change that commits after version v was handed out gets a
 * version above v, and a delta "since v" never misses it.
 */
@Injectable()
export class UrlListRepository {
  /**
   * Numbers the committed, unnumbered changes in (changed_at, case_id) order; returns how many.
   * Must run in a transaction (the lock holds until it ends, so the next caller's UPDATE sees
   * these rows numbered); concurrent callers wait for each other, briefly.
   */
  async assignVersions(db: SqlRunner): Promise<number> {
    await db.query(`SELECT pg_advisory_xact_lock($1)`, [URL_LIST_VERSION_LOCK]);
    // nextval in the select list of an ordered subquery is evaluated in that order.
    const rows = await updateReturning<{ case_id: string }>(
      db,
      `UPDATE url_list_entry e SET version = n.version
         FROM (SELECT case_id, nextval('url_list_version_seq') AS version
                 FROM (SELECT case_id FROM url_list_entry WHERE version IS NULL ORDER BY changed_at, case_id) pending) n
        WHERE e.case_id = n.case_id AND e.version IS NULL
        RETURNING e.case_id`,
      [],
    );
    return rows.length;
  }

  /** The latest version handed out and committed (0 before the first change). */
  async currentVersion(db: SqlRunner): Promise<number> {
    const [row]: { version: string | null }[] = await db.query(`SELECT max(version) AS version FROM url_list_entry`);
    return Number(row.version ?? 0);
  }

  /**
   * Every listed entry, in case order (case ids are UUIDv7: oldest case first), read a page at a
   * time along the primary key. Run it in a
   * REPEATABLE READ transaction with currentVersion so the pages and the version are one snapshot.
   */
  async full(db: SqlRunner, options: { hashesOnly: boolean }): Promise<UrlListItem[]> {
    const items: UrlListItem[] = [];
    const url = options.hashesOnly ? '' : 'canonical_url AS url, ';
    let after: string | null = null;
    for (;;) {
      const rows: ItemRow[] = await db.query(
        `SELECT case_id, ${url}url_sha256 AS sha256, changed_at AS at FROM url_list_entry
          WHERE listed ${after ? 'AND case_id > $2' : ''} ORDER BY case_id LIMIT $1`,
        after ? [PAGE, after] : [PAGE],
      );
      for (const row of rows) items.push(toItem(row));
      if (rows.length < PAGE) return items;
      after = rows[rows.length - 1].case_id;
    }
  }

  /**
   * What changed after version `since`: entries listed now whose last change is newer (added),
   * and entries no longer listed whose last change is newer (removed). An entry that joined and
   * left after `since` is in removed: applied as a set operation that does nothing.
   */
  async since(db: SqlRunner, since: number, options: { hashesOnly: boolean }): Promise<UrlListDelta> {
    const url = options.hashesOnly ? '' : 'canonical_url AS url, ';
    const rows: (ItemRow & { listed: boolean })[] = await db.query(
      `SELECT case_id, ${url}url_sha256 AS sha256, changed_at AS at, listed FROM url_list_entry
        WHERE version > $1 ORDER BY version`,
      [since],
    );
    const delta: UrlListDelta = { added: [], removed: [] };
    for (const row of rows) (row.listed ? delta.added : delta.removed).push(toItem(row));
    return delta;
  }
}

function toItem(row: ItemRow): UrlListItem {
  return row.url === undefined ? { sha256: row.sha256, at: row.at } : { url: row.url, sha256: row.sha256, at: row.at };
}

export const urlListRepository = new UrlListRepository();
