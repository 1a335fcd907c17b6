import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The regulators' statistics, kept as rollups of the case events (docs/statistics.md, ADR 0015).
 *
 * - stats_rollup: one row per metric, period (a day, or a month's first day), and breakdown value
 *   (dimension 'all' with value '' is the total). n observations, of which hits meet the metric's
 *   test, measured of them with a clock, whose durations are counted in hist (bucket k at index
 *   k+1: the log buckets of libs/domain/src/stats/histogram.ts). Rows are only ever added to (the
 *   worker adds a case's new observations and takes away its old ones), so two workers, or a
 *   worker and a backfill, can never lose each other's work: stats_cursor says which events are in.
 * - stats_viewing: how long each analyst held cases open, per day (the exposure cap's measure).
 * - stats_cursor: the last case event the rollups include.
 *
 * stats_hist_add adds two histograms bucket by bucket (either may be shorter), for the upserts.
 */
export class StatsRollups1796250000000 implements MigrationInterface {
  name = 'StatsRollups1796250000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION stats_hist_add(a bigint[], b bigint[]) RETURNS bigint[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i), '{}')
          FROM generate_series(1, greatest(coalesce(cardinality(a), 0), coalesce(cardinality(b), 0))) AS i
      $$`);
    await db.query(`
      CREATE TABLE stats_rollup (
        grain text NOT NULL CHECK (grain IN ('day', 'month')),
        period date NOT NULL,
        metric text NOT NULL CHECK (metric IN ('deduplication', 'time_to_assessment', 'public_accuracy', 'police_notification', 'time_to_notice',
          'time_to_removal', 'notice_to_removal', 'removal_completion', 'cross_border', 'no_hotline_hosting', 'recurrence',
          'review_disagreement', 'appeal_reversal', 'settled_without_human')),
        dimension text NOT NULL CHECK (dimension IN ('all', 'source', 'hosting', 'content_type', 'verdict')),
        value text NOT NULL,
        n bigint NOT NULL,
        hits bigint NOT NULL,
        measured bigint NOT NULL,
        hist bigint[] NOT NULL DEFAULT '{}',
        -- In the order the reads narrow: a grain, a breakdown, a range of periods (stats.repository.ts).
        PRIMARY KEY (grain, dimension, period, metric, value)
      )`);
    await db.query(`
      CREATE TABLE stats_viewing (
        day date NOT NULL,
        staff_user_id uuid NOT NULL,
        ms bigint NOT NULL,
        PRIMARY KEY (day, staff_user_id)
      )`);
    await db.query(`
      CREATE TABLE stats_cursor (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        last_event_id bigint NOT NULL,
        backfilled_at timestamptz
      )`);
    // Statistics start from what exists: a database with events already gets them by stats:backfill
    // (the worker begins after them, and the README says to run it once after this migration).
    await db.query(`INSERT INTO stats_cursor (last_event_id) SELECT coalesce(max(id), 0) FROM case_event`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE stats_cursor`);
    await db.query(`DROP TABLE stats_viewing`);
    await db.query(`DROP TABLE stats_rollup`);
    await db.query(`DROP FUNCTION stats_hist_add(bigint[], bigint[])`);
  }
}
