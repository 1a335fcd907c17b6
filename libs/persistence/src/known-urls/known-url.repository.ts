import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { KnownUrlImportRow, KnownUrlRow } from './known-url.row';

/**
 * Known URLs and their import. An import is staged: `openImport` makes the temporary table (it
 * lives until the transaction ends, so all of these run on one QueryRunner inside one
 * transaction), `importBatch` adds checked rows to it, `conflictingLines` finds a URL given two
 * verdicts, and `mergeImport` writes the staged rows into known_url.
 */
@Injectable()
export class KnownUrlRepository {
  async openImport(db: SqlRunner): Promise<void> {
    await db.query(`CREATE TEMPORARY TABLE known_url_import (
      line integer NOT NULL, id uuid NOT NULL, dedup_key text NOT NULL, canonical_url text NOT NULL, verdict text NOT NULL
    ) ON COMMIT DROP`);
  }

  /** Stages a batch of checked rows: one statement. */
  async importBatch(db: SqlRunner, rows: readonly KnownUrlImportRow[]): Promise<void> {
    await db.query(
      `INSERT INTO known_url_import (line, id, dedup_key, canonical_url, verdict)
       SELECT * FROM unnest($1::integer[], $2::uuid[], $3::text[], $4::text[], $5::text[])`,
      [rows.map((r) => r.line), rows.map((r) => r.id), rows.map((r) => r.dedup_key), rows.map((r) => r.canonical_url), rows.map((r) => r.verdict)],
    );
  }

  /** The staged URLs given more than one verdict: the lines of each, in file order, at most `limit` URLs. */
  async conflictingLines(db: SqlRunner, limit: number): Promise<{ lines: number[] }[]> {
    return db.query(
      `SELECT array_agg(line ORDER BY line) AS lines FROM known_url_import
       GROUP BY dedup_key HAVING count(DISTINCT verdict) > 1 ORDER BY min(line) LIMIT $1`,
      [limit],
    );
  }

  /**
   * Writes the staged rows into known_url under `listName` (the first line of a URL staged twice
   * wins; an existing URL takes the new verdict and list); returns how many were new and updated.
   */
  async mergeImport(db: SqlRunner, listName: string): Promise<{ new: number; updated: number }> {
    // xmax is 0 only on a row this statement inserted; an updated row carries this transaction's id.
    const [counts] = await db.query(
      `WITH incoming AS (
         SELECT DISTINCT ON (dedup_key) id, dedup_key, canonical_url, verdict FROM known_url_import ORDER BY dedup_key, line
       ), upserted AS (
         INSERT INTO known_url (id, dedup_key, canonical_url, verdict, list_name)
         SELECT id, dedup_key, canonical_url, verdict, $1 FROM incoming
         ON CONFLICT (dedup_key) DO UPDATE
           SET verdict = excluded.verdict, list_name = excluded.list_name, canonical_url = excluded.canonical_url, imported_at = now()
         RETURNING (xmax = 0) AS inserted
       )
       SELECT count(*) FILTER (WHERE inserted)::int AS new, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM upserted`,
      [listName],
    );
    return counts;
  }

  /** The known URLs of these dedup keys (passed as bpchar[] so the index serves them). */
  ofKeys(db: SqlRunner, keys: readonly string[]): Promise<Pick<KnownUrlRow, 'id' | 'dedup_key' | 'verdict' | 'list_name'>[]> {
    return db.query(`SELECT id, dedup_key, verdict, list_name FROM known_url WHERE dedup_key = ANY($1::bpchar[])`, [keys]);
  }
}

export const knownUrlRepository = new KnownUrlRepository();
