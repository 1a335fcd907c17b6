import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queues overview without reading every case (ADR 0012). How many cases wait in each queue
 * (status `queued`) is kept in review_queue_waiting by statement-level triggers on "case": each
 * writing statement adds its net change per queue, read from its transition tables, in the same
 * transaction, so no writer can forget it and a rollback takes it back. A queue's count is the
 * sum of its rows ("slots"): a writer adds to a slot no other transaction holds (FOR UPDATE SKIP
 * LOCKED), or opens a new one, so it never waits on a count and a count can never close a cycle of
 * locks with the case rows (triage holding a count while it waits for a case a claim holds).
 * The age of the oldest waiting case comes from a partial index, first entry per queue.
 */
export class ReviewQueueWaiting1796210000000 implements MigrationInterface {
  name = 'ReviewQueueWaiting1796210000000';

  async up(db: QueryRunner): Promise<void> {
    // Writers wait until this commits (readers do not): the counts below are taken with the
    // triggers already in place, so no write falls between the two.
    await db.query(`LOCK TABLE "case" IN SHARE ROW EXCLUSIVE MODE`);
    await db.query(`CREATE INDEX case_waiting_since_idx ON "case" (queue, queued_at) WHERE status = 'queued'`);

    // Slots are updated in place all day: room on the page keeps those updates HOT.
    await db.query(`
      CREATE TABLE review_queue_waiting (
        queue text NOT NULL,
        slot bigint GENERATED ALWAYS AS IDENTITY,
        waiting bigint NOT NULL,
        PRIMARY KEY (queue, slot)
      ) WITH (fillfactor = 50)`);

    await db.query(`
      CREATE FUNCTION review_queue_waiting_add(target text, delta bigint) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE review_queue_waiting w SET waiting = w.waiting + delta
         WHERE w.queue = target
           AND w.slot = (SELECT s.slot FROM review_queue_waiting s WHERE s.queue = target ORDER BY s.slot LIMIT 1 FOR UPDATE SKIP LOCKED);
        IF NOT FOUND THEN
          INSERT INTO review_queue_waiting (queue, waiting) VALUES (target, delta);
        END IF;
      END $$`);
    // One function per event: each reads only the transition tables its event has. Queues in name
    // order, so the slots of one statement are taken in the same order by every writer.
    await db.query(`
      CREATE FUNCTION case_waiting_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE d record;
      BEGIN
        FOR d IN SELECT queue, count(*) AS n FROM new_cases WHERE status = 'queued' AND queue IS NOT NULL GROUP BY queue ORDER BY queue LOOP
          PERFORM review_queue_waiting_add(d.queue, d.n);
        END LOOP;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION case_waiting_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE d record;
      BEGIN
        FOR d IN
          SELECT queue, sum(n) AS n FROM (
            SELECT queue, -1 AS n FROM old_cases WHERE status = 'queued' AND queue IS NOT NULL
            UNION ALL
            SELECT queue, 1 FROM new_cases WHERE status = 'queued' AND queue IS NOT NULL
          ) moves
          GROUP BY queue HAVING sum(n) <> 0 ORDER BY queue
        LOOP
          PERFORM review_queue_waiting_add(d.queue, d.n);
        END LOOP;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION case_waiting_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE d record;
      BEGIN
        FOR d IN SELECT queue, count(*) AS n FROM old_cases WHERE status = 'queued' AND queue IS NOT NULL GROUP BY queue ORDER BY queue LOOP
          PERFORM review_queue_waiting_add(d.queue, -d.n);
        END LOOP;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION case_waiting_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM review_queue_waiting;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER case_waiting_inserted AFTER INSERT ON "case" REFERENCING NEW TABLE AS new_cases
      FOR EACH STATEMENT EXECUTE FUNCTION case_waiting_inserted()`);
    await db.query(`
      CREATE TRIGGER case_waiting_updated AFTER UPDATE ON "case" REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases
      FOR EACH STATEMENT EXECUTE FUNCTION case_waiting_updated()`);
    await db.query(`
      CREATE TRIGGER case_waiting_deleted AFTER DELETE ON "case" REFERENCING OLD TABLE AS old_cases
      FOR EACH STATEMENT EXECUTE FUNCTION case_waiting_deleted()`);
    await db.query(`CREATE TRIGGER case_waiting_truncated AFTER TRUNCATE ON "case" FOR EACH STATEMENT EXECUTE FUNCTION case_waiting_truncated()`);

    await db.query(`
      INSERT INTO review_queue_waiting (queue, waiting)
      SELECT queue, count(*) FROM "case" WHERE status = 'queued' AND queue IS NOT NULL GROUP BY queue ORDER BY queue`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const event of ['inserted', 'updated', 'deleted', 'truncated']) {
      await db.query(`DROP TRIGGER case_waiting_${event} ON "case"`);
      await db.query(`DROP FUNCTION case_waiting_${event}()`);
    }
    await db.query(`DROP FUNCTION review_queue_waiting_add(text, bigint)`);
    await db.query(`DROP TABLE review_queue_waiting`);
    await db.query(`DROP INDEX case_waiting_since_idx`);
  }
}
