import type { ContentHash } from '@hotline/domain';
import { Injectable } from '@nestjs/common';
import type { SqlRunner } from '../sql';
import type { KnownHashRow } from './bulk.row';

/** One checked row of a hash list file, staged before it is merged. */
export interface KnownHashImportRow {
  line: number;
  algorithm: string;
  value: string;
  verdict: string;
}

/**
 * Known content hashes (known_hash) and their import. Like KnownUrlRepository's import it is
 * staged in a temporary table that lives until the transaction ends, so openImport, importBatch,
 * conflictingLines and mergeImport run on one QueryRunner inside one transaction.
 */
@Injectable()
export class KnownHashRepository {
  /** The known hashes among these (normalised) ones: one statement, served by the primary key. */
  matching(db: SqlRunner, hashes: readonly ContentHash[]): Promise<Pick<KnownHashRow, 'algorithm' | 'value' | 'verdict' | 'list_name'>[]> {
    if (hashes.length === 0) return Promise.resolve([]);
    return db.query(
      `SELECT k.algorithm, k.value, k.verdict, k.list_name
         FROM unnest($1::text[], $2::text[]) AS h(algorithm, value) JOIN known_hash k USING (algorithm, value)`,
      [hashes.map((h) => h.algorithm), hashes.map((h) => h.value)],
    );
  }

  async openImport(db: SqlRunner): Promise<void> {
    await db.query(`CREATE TEMPORARY TABLE known_hash_import (
      line integer NOT NULL, algorithm text NOT NULL, value text NOT NULL, verdict text NOT NULL
    ) ON COMMIT DROP`);
  }

  async importBatch(db: SqlRunner, rows: readonly KnownHashImportRow[]): Promise<void> {
    await db.query(`INSERT INTO known_hash_import (line, algorithm, value, verdict) SELECT * FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[])`, [
      rows.map((r) => r.line),
      rows.map((r) => r.algorithm),
      rows.map((r) => r.value),
      rows.map((r) => r.verdict),
    ]);
  }

  /** The staged hashes given more than one verdict: the lines of each, in file order, at most `limit` hashes. */
  async conflictingLines(db: SqlRunner, limit: number): Promise<{ lines: number[] }[]> {
    return db.query(
      `SELECT array_agg(line ORDER BY line) AS lines FROM known_hash_import
       GROUP BY algorithm, value HAVING count(DISTINCT verdict) > 1 ORDER BY min(line) LIMIT $1`,
      [limit],
    );
  }

  /**
   * Writes the staged rows into known_hash under `listName` (a hash staged twice: its first line;
   * a hash already known takes the new verdict and list); returns how many were new and updated.
   */
  async mergeImport(db: SqlRunner, listName: string): Promise<{ new: number; updated: number }> {
    // xmax is 0 only on a row this statement inserted.
    const [counts] = await db.query(
      `WITH incoming AS (
         SELECT DISTINCT ON (algorithm, value) algorithm, value, verdict FROM known_hash_import ORDER BY algorithm, value, line
       ), upserted AS (
         INSERT INTO known_hash (algorithm, value, verdict, list_name)
         SELECT algorithm, value, verdict, $1 FROM incoming
         ON CONFLICT (algorithm, value) DO UPDATE SET verdict = excluded.verdict, list_name = excluded.list_name, imported_at = now()
         RETURNING (xmax = 0) AS inserted
       )
       SELECT count(*) FILTER (WHERE inserted)::int AS new, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM upserted`,
      [listName],
    );
    return counts;
  }
}

export const knownHashRepository = new KnownHashRepository();
