import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two more rollups, so a year's figures read a number of rows that does not grow with the cases
 * (bench/results/stats-*.md: at 10 million cases the year's viewing time read 492,000 analyst-day
 * rows, and still online a confirmation event for each of 438,000 cases):
 *
 * - stats_viewing_day: stats_viewing summed per day (analyst-days, total, longest), and how many
 *   analyst-days were over cap_ms, the EXPOSURE_DAILY_LIMIT it was counted against. A reader with
 *   another limit counts that day's stats_viewing rows instead (StatsRepository.viewingSums), and
 *   the worker recounts such days when it starts, so changing the limit is never wrong, only
 *   slower until then. Filled here with cap_ms 0 (the worker recounts them).
 * - stats_online: confirmed cases not removed, per UTC hour of their latest confirmation (metric
 *   7's "age of those still online", libs/domain/src/stats/observations.ts, onlineSince). Filled
 *   here from the events the rollups include (up to stats_cursor), by the same rule.
 */
export class StatsViewingDaysOnline1796280000000 implements MigrationInterface {
  name = 'StatsViewingDaysOnline1796280000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE stats_viewing_day (
        day date PRIMARY KEY,
        analyst_days integer NOT NULL,
        total_ms bigint NOT NULL,
        max_ms bigint NOT NULL,
        cap_ms bigint NOT NULL,
        over_cap integer NOT NULL
      )`);
    await db.query(`
      INSERT INTO stats_viewing_day (day, analyst_days, total_ms, max_ms, cap_ms, over_cap)
      SELECT day, count(*), sum(ms), max(ms), 0, count(*) FILTER (WHERE ms > 0) FROM stats_viewing GROUP BY day`);
    await db.query(`
      CREATE TABLE stats_online (
        since timestamptz PRIMARY KEY CHECK (since = date_trunc('hour', since, 'UTC')),
        n bigint NOT NULL
      )`);
    await db.query(`
      INSERT INTO stats_online (since, n)
      SELECT confirmed_hour, count(*) FROM (
        SELECT (array_agg(e.to_status ORDER BY e.id DESC))[1] AS status,
               (array_agg(date_trunc('hour', e.at, 'UTC') ORDER BY e.id DESC) FILTER (WHERE e.to_status = 'confirmed'))[1] AS confirmed_hour
          FROM case_event e
         WHERE e.to_status IS NOT NULL AND e.id <= (SELECT last_event_id FROM stats_cursor)
         GROUP BY e.case_id
      ) c
      WHERE status IN ('confirmed', 'actioned') AND confirmed_hour IS NOT NULL
      GROUP BY 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE stats_online`);
    await db.query(`DROP TABLE stats_viewing_day`);
  }
}
