import type { SqlRunner } from '../sql';

/**
 * A synthetic year of cases for benchmarks and demonstrations (seed:synthetic, bench:stats):
 * cases and their case events as the pipeline, the analysts, the worker and the partners would
 * have written them, set-based in SQL, a chunk of case numbers per transaction.
 *
 * Reproducible: every choice of case number g is a draw u(k) in [0, 1) from
 * hashint8extended(g, seed * 32 + k), so the same (year, seed, g) always gives the same rows.
 * Case ids and dedup keys are a prefix of the (year, seed) followed by g: distinct runs never
 * collide, and rows of one chunk sit together in every index (the seed appends, it does not
 * scatter). URLs are under `.invalid` (RFC 2606): no real report can ever match a synthetic case.
 *
 * The mix (docs in the command's help and bench/results/stats-*.md):
 * - source: 8% bulk, 5% partner, the rest public (web 70%, API 30%);
 * - 4% settled by the known-URL list at intake (75% confirmed), no human;
 * - the others claimed 1 min to 4 h after receipt (12% 4 h to 2 days, 3% 2 to 6 days), the
 *   verdict 2 to 40 min after the claim; public cases 24% confirmed by analysts (26% with the
 *   known-URL ones, like IWF's public reports), partner 75%, bulk 65%;
 * - half of the illegal verdicts and a tenth of the others go through a second review, 2% of
 *   reviews overturn; 0.6% of non-illegal verdicts appealed, 30% of appeals reversed (confirmed);
 * - hosting: 40% domestic, 47% foreign (80% of those where a partner hotline works), 10%
 *   unresolved, 3% onion;
 * - confirmed: actions decided seconds after (police and notice for domestic and no-hotline
 *   hosts, a forward to the partner, police only for onion and unresolved); notice sent 10 min
 *   to 2 days later (8% 2 to 7 days), forwards within 30 min and 85% acknowledged within 3 days;
 * - removal 2 h to 20 days after the action (5% 30 to 60 days) for 97% domestic, 92% partner
 *   country, 75% no-hotline country, 60% unresolved, 15% onion: the rest are still online;
 * - removed cases closed 30 days later (CASE_CLOSE_AFTER), 4% reappear 1 to 120 days after
 *   their removal, are assessed, confirmed and actioned again (80% removed again).
 */

/** Draws per case: u(k) for k in 0..DRAWS-1. */
const DRAWS = 32;
// The draw k of case g hashes g with a seed of its own (seed * DRAWS + k): hashing g * DRAWS + k
// with one seed gave draws of one case correlated up to 0.35 (nearby inputs), which skewed the
// mix (85% acknowledged forwards came out 92%); with a seed per draw they are below 0.01.
const u = (k: number) => `((hashint8extended(g, $3::bigint * ${DRAWS} + ${k}) >> 11)::float8 / 9007199254740992.0 + 0.5)`;
/** A duration in seconds spread geometrically between lo and hi by a draw. */
const spread = (lo: number, hi: number, draw: string) => `(${lo}::float8 * power(${hi / lo}::float8, ${draw}))`;
const secs = (expression: string) => `(${expression}) * interval '1 second'`;
/** An independent-enough second draw from the digits of one already used (for a choice within a choice). */
const fract = (draw: string, times: number) => `(((${draw}) * ${times}) - floor((${draw}) * ${times}))`;

const DAY = 86_400;
const HOUR = 3_600;
const MINUTE = 60;
const QUIET_MS = 30 * DAY * 1000;

const PARTNER_COUNTRIES = ['US', 'NL', 'DE', 'FR', 'GB', 'CA', 'ES', 'IT'];
const NO_HOTLINE_COUNTRIES = ['RU', 'SC', 'PA', 'VG'];
const arrayLiteral = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;

// $1, $2: first and last case number of the chunk; $3: the seed; $4: the year's first instant;
// $5: the year's length in seconds; $6: the analysts' ids (uuid[]); $7: the id/key prefix (20 hex);
// $8: the hotline's country (where domestic hosting is).
// Each stage ends in OFFSET 0 so the planner keeps it a subquery: flattened, every column would be
// replaced by its whole expression in the next stages, and the last ones grow exponentially.
const PLAN = `
CREATE TEMP TABLE synthetic_plan ON COMMIT DROP AS
WITH d AS (
  SELECT g, ${Array.from({ length: 30 }, (_, k) => `${u(k)} AS u${k}`).join(', ')}
    FROM generate_series($1::bigint, $2::bigint) AS g OFFSET 0
), a AS (
  SELECT d.*,
         $4::timestamptz + ${secs('u0 * $5::float8')} AS t0,
         CASE WHEN u1 < 0.08 THEN 'bulk' WHEN u1 < 0.13 THEN 'partner' WHEN u1 < 0.13 + 0.87 * 0.7 THEN 'public_web' ELSE 'public_api' END AS src,
         u2 < 0.04 AS known,
         CASE WHEN u4 < 0.6 THEN 0 WHEN u4 < 0.85 THEN 10 WHEN u4 < 0.95 THEN 50 ELSE 80 END AS priority,
         CASE WHEN u5 < 0.85 THEN 1 WHEN u5 < 0.95 THEN 2 ELSE 3 END AS urls,
         CASE WHEN u6 < 0.10 THEN 1 + floor(${fract('u6', 10)} * 3)::int ELSE 0 END AS extra_urls,
         CASE WHEN u8 < 0.40 THEN 'domestic' WHEN u8 < 0.87 THEN 'foreign' WHEN u8 < 0.97 THEN 'unresolved' ELSE 'onion' END AS hclass,
         u9 < 0.8 AS partner_country,
         CASE WHEN u10 < 0.85 THEN ${spread(MINUTE, 4 * HOUR, 'u11')} WHEN u10 < 0.97 THEN ${spread(4 * HOUR, 2 * DAY, 'u11')} ELSE ${spread(2 * DAY, 6 * DAY, 'u11')} END AS claim_s,
         ($6::uuid[])[1 + floor(u12 * cardinality($6::uuid[]))::int] AS analyst,
         ($6::uuid[])[1 + floor(${fract('u12', 1000)} * cardinality($6::uuid[]))::int] AS analyst2,
         CASE WHEN u24 < 0.62 THEN 'image' WHEN u24 < 0.87 THEN 'video' WHEN u24 < 0.89 THEN 'livestream' WHEN u24 < 0.93 THEN 'text' ELSE 'other' END AS ctype,
         CASE WHEN u15 < 0.7 THEN 'baseline' ELSE 'national' END AS illegal_verdict
    FROM d OFFSET 0
), b AS (
  SELECT a.*,
         a.t0 + ${secs(spread(30, 120, 'u7'))} AS t_host,
         -- What the case ends as at its first settling: known-URL list, or the analysts (after review).
         CASE
           WHEN known THEN CASE WHEN u3 < 0.75 THEN 'confirmed' ELSE 'not_illegal' END
           WHEN u14 < CASE src WHEN 'partner' THEN 0.75 WHEN 'bulk' THEN 0.65 ELSE 0.24 END THEN 'confirmed'
           WHEN u15 < 0.55 THEN 'not_illegal' WHEN u15 < 0.70 THEN 'harmful_not_illegal' WHEN u15 < 0.85 THEN 'out_of_remit' ELSE 'unassessable'
         END AS settled_status,
         a.t0 + ${secs('claim_s')} AS t_claim
    FROM a OFFSET 0
), c AS (
  SELECT b.*,
         CASE WHEN settled_status = 'confirmed' THEN illegal_verdict ELSE settled_status END AS settled_verdict,
         NOT known AND u16 < CASE WHEN settled_status = 'confirmed' THEN 0.5 ELSE 0.1 END AS reviewed,
         u17 < 0.02 AS overturned,
         t_claim + ${secs(spread(2 * MINUTE, 40 * MINUTE, 'u13'))} AS t_verdict,
         NOT known AND settled_status IN ('not_illegal', 'harmful_not_illegal', 'out_of_remit') AND u18 < 0.006 AS appealed,
         ${fract('u18', 1000)} < 0.3 AS appeal_reversed
    FROM b OFFSET 0
), e AS (
  SELECT c.*,
         CASE WHEN reviewed THEN t_verdict + ${secs(spread(20 * MINUTE, DAY, 'u27'))} ELSE t_verdict END AS t_settled,
         CASE WHEN NOT overturned THEN settled_verdict WHEN settled_status = 'confirmed' THEN 'not_illegal' ELSE 'baseline' END AS first_verdict
    FROM c OFFSET 0
), f AS (
  SELECT e.*,
         CASE WHEN appealed THEN t_settled + ${secs(spread(DAY, 10 * DAY, 'u28'))} END AS t_appeal,
         CASE WHEN appealed THEN t_settled + ${secs(`${spread(DAY, 10 * DAY, 'u28')} + ${spread(HOUR, 3 * DAY, fract('u28', 1000))}`)} END AS t_appeal_decided,
         CASE WHEN appealed AND appeal_reversed THEN 'confirmed' ELSE settled_status END AS status_after_appeal
    FROM e OFFSET 0
), h AS (
  SELECT f.*,
         status_after_appeal = 'confirmed' AS confirmed,
         CASE WHEN known THEN t0 WHEN settled_status = 'confirmed' THEN t_settled ELSE t_appeal_decided END AS t_conf,
         CASE WHEN hclass = 'domestic' OR (hclass = 'foreign' AND NOT partner_country) THEN 'notice'
              WHEN hclass = 'foreign' THEN 'forward' ELSE 'police' END AS action,
         CASE WHEN hclass = 'foreign' AND partner_country THEN 'partner_country' WHEN hclass = 'foreign' THEN 'no_hotline_country' ELSE hclass END AS hosting_group
    FROM f OFFSET 0
), i AS (
  SELECT h.*,
         greatest(t_conf, t_host) + ${secs(spread(5, 60, 'u19'))} AS t_actions,
         CASE WHEN ${fract('u19', 1000)} < 0.92 THEN ${spread(10 * MINUTE, 2 * DAY, fract('u19', 1_000_000))} ELSE ${spread(2 * DAY, 7 * DAY, fract('u19', 1_000_000))} END AS notice_s,
         ${spread(MINUTE, 30 * MINUTE, fract('u20', 1000))} AS forward_s,
         u20 < 0.85 AS acknowledged,
         ${spread(HOUR, 3 * DAY, fract('u20', 1_000_000))} AS ack_s,
         confirmed AND u21 < CASE hosting_group WHEN 'domestic' THEN 0.97 WHEN 'partner_country' THEN 0.92 WHEN 'no_hotline_country' THEN 0.75 WHEN 'unresolved' THEN 0.6 ELSE 0.15 END AS removed,
         CASE WHEN ${fract('u22', 1000)} < 0.95 THEN ${spread(2 * HOUR, 20 * DAY, 'u22')} ELSE ${spread(30 * DAY, 60 * DAY, 'u22')} END AS removal_s
    FROM h OFFSET 0
), j AS (
  SELECT i.*,
         CASE action WHEN 'notice' THEN t_actions + ${secs('notice_s')} WHEN 'forward' THEN t_actions + ${secs('forward_s')}
                     ELSE t_actions + ${secs(spread(MINUTE, 10 * MINUTE, fract('u21', 1000)))} END AS t_actioned
    FROM i OFFSET 0
), k AS (
  SELECT j.*,
         CASE WHEN removed THEN t_actioned + ${secs('removal_s')} END AS t_removed,
         removed AND u23 < 0.04 AS reappears
    FROM j OFFSET 0
), l AS (
  SELECT k.*,
         CASE WHEN reappears THEN t_removed + ${secs(spread(DAY, 120 * DAY, fract('u23', 1000)))} END AS t_reap
    FROM k OFFSET 0
), m AS (
  SELECT l.*,
         CASE WHEN removed AND (NOT reappears OR t_reap > t_removed + interval '30 days') THEN t_removed + interval '30 days' END AS t_closed,
         t_reap + ${secs(spread(5 * MINUTE, 4 * HOUR, 'u25'))} AS t2_claim
    FROM l OFFSET 0
), n AS (
  SELECT m.*,
         t2_claim + ${secs(spread(2 * MINUTE, 30 * MINUTE, fract('u25', 1000)))} AS t2_conf,
         t2_claim + ${secs(`${spread(2 * MINUTE, 30 * MINUTE, fract('u25', 1000))} + ${spread(5, 60, fract('u25', 1_000_000))}`)} AS t2_actions,
         reappears AND u26 < 0.8 AS removed2
    FROM m OFFSET 0
), o AS (
  SELECT n.*,
         CASE action WHEN 'notice' THEN t2_actions + ${secs(spread(10 * MINUTE, DAY, fract('u26', 1000)))}
                     WHEN 'forward' THEN t2_actions + ${secs('forward_s')}
                     ELSE t2_actions + ${secs(spread(MINUTE, 10 * MINUTE, fract('u26', 1000)))} END AS t2_actioned
    FROM n OFFSET 0
)
SELECT o.*,
       CASE WHEN removed2 THEN t2_actioned + ${secs(spread(2 * HOUR, 10 * DAY, fract('u26', 1_000_000)))} END AS t2_removed,
       CASE WHEN reappears THEN CASE WHEN removed2 THEN 'removed' ELSE 'actioned' END
            WHEN t_closed IS NOT NULL THEN 'closed' WHEN removed THEN 'removed' WHEN confirmed THEN 'actioned' ELSE status_after_appeal END AS status,
       CASE WHEN hclass = 'foreign' AND partner_country THEN (${arrayLiteral(PARTNER_COUNTRIES)})[1 + floor(${fract('u9', 1000)} * ${PARTNER_COUNTRIES.length})::int]
            WHEN hclass = 'foreign' THEN (${arrayLiteral(NO_HOTLINE_COUNTRIES)})[1 + floor(${fract('u9', 1000)} * ${NO_HOTLINE_COUNTRIES.length})::int]
            WHEN hclass = 'domestic' THEN $8 END AS country,
       (substr($7, 1, 8) || '-' || substr($7, 9, 4) || '-' || substr($7, 13, 4) || '-' || substr($7, 17, 4) || '-' || lpad(to_hex(g), 12, '0'))::uuid AS id,
       'h' || floor(u29 * 40000)::int || '.synthetic-' || substr($7, 1, 6) || '.invalid' AS host
  FROM o`;

const CASES = `
INSERT INTO "case" (id, dedup_key, canonical_url, host, registrable_domain, status, priority, report_count, first_reported_at, last_reported_at,
                    created_at, updated_at, source, language, content_type, reappeared_count, hosting_status, hosting_class, settled_by, verdict,
                    assessed_at, reviewed_at, removed_at)
SELECT id, rpad($1, 44, '0') || lpad(to_hex(g), 20, '0'), 'https://' || host || '/c/' || lpad(to_hex(g), 12, '0'), host, host, status, priority,
       urls + extra_urls + CASE WHEN reappears THEN 1 ELSE 0 END, t0, coalesce(t_reap, t0), t0,
       greatest(t0, t_settled, t_appeal_decided, t_actioned, t_removed, t_closed, t2_actioned, t2_removed),
       CASE src WHEN 'partner' THEN 'partner' WHEN 'bulk' THEN 'bulk' ELSE 'public' END, 'en',
       CASE ctype WHEN 'image' THEN 'images' WHEN 'video' THEN 'videos' ELSE ctype END,
       CASE WHEN reappears THEN 1 ELSE 0 END,
       CASE hclass WHEN 'unresolved' THEN 'unresolved' WHEN 'onion' THEN 'onion' ELSE 'resolved' END, hclass,
       CASE WHEN known THEN 'known_url' END,
       CASE WHEN status_after_appeal = 'confirmed' AND appealed THEN 'national' ELSE settled_verdict END,
       CASE WHEN NOT known THEN coalesce(t_appeal_decided, t_verdict) END, CASE WHEN reviewed THEN t_settled END,
       coalesce(t2_removed, t_removed)
  FROM synthetic_plan ORDER BY g`;

// One row per possible event; `present` keeps those the case has. Ordered by time within the
// case (the sequence number breaks ties), so event ids follow each case's history.
const EVENTS = `
WITH written AS (
INSERT INTO case_event (case_id, at, kind, from_status, to_status, detail)
SELECT p.id, v.at, v.kind, v.from_status, v.to_status, v.detail
  FROM synthetic_plan p
 CROSS JOIN LATERAL (VALUES
   (1, true, p.t0, 'created', NULL, CASE WHEN p.known THEN p.settled_status ELSE 'queued' END,
    CASE WHEN p.known THEN jsonb_build_object('urls', p.urls, 'source', p.src, 'priority', p.priority, 'settledBy', 'known_url', 'verdict', p.settled_verdict)
         ELSE jsonb_build_object('urls', p.urls, 'source', p.src, 'priority', p.priority) END),
   (2, true, p.t_host, CASE WHEN p.hclass = 'unresolved' THEN 'hosting_unresolved' ELSE 'hosting_resolved' END, NULL, NULL,
    CASE WHEN p.hclass = 'unresolved' THEN jsonb_build_object('error', 'nxdomain')
         WHEN p.hclass = 'foreign' THEN jsonb_build_object('class', 'foreign', 'country', p.country, 'partnerCountry', p.partner_country)
         ELSE jsonb_build_object('class', p.hclass, 'country', p.country) END),
   (3, p.extra_urls > 0, p.t0 + (p.t_claim - p.t0 + interval '1 hour') * p.u7, 'reports_attached', NULL, NULL, jsonb_build_object('urls', p.extra_urls)),
   (4, NOT p.known, p.t_claim, 'transition', 'queued', 'in_assessment', jsonb_build_object('by', p.analyst)),
   (5, p.reviewed, p.t_verdict, 'transition', 'in_assessment', 'pending_review', jsonb_build_object('step', 'assessment', 'verdict', p.first_verdict)),
   (6, NOT p.known, p.t_settled, 'transition', CASE WHEN p.reviewed THEN 'pending_review' ELSE 'in_assessment' END, p.settled_status,
    CASE WHEN p.reviewed THEN jsonb_build_object('step', 'review', 'decision', CASE WHEN p.overturned THEN 'overturn' ELSE 'confirm' END, 'verdict', p.settled_verdict)
         ELSE jsonb_build_object('step', 'assessment', 'verdict', p.settled_verdict) END
      || CASE WHEN p.settled_status = 'confirmed' THEN jsonb_build_object('contentType', p.ctype) ELSE '{}' END),
   (7, p.appealed, p.t_appeal, 'transition', p.settled_status, 'pending_review', jsonb_build_object('step', 'appeal', 'verdict', p.settled_verdict)),
   (8, p.appealed, p.t_appeal_decided, 'transition', 'pending_review', p.status_after_appeal,
    CASE WHEN p.appeal_reversed THEN jsonb_build_object('step', 'appeal_review', 'decision', 'overturn', 'verdict', 'national', 'contentType', p.ctype)
         ELSE jsonb_build_object('step', 'appeal_review', 'decision', 'confirm', 'verdict', p.settled_verdict) END),
   (9, p.confirmed, p.t_actions, 'actions_decided', NULL, NULL,
    CASE p.action WHEN 'notice' THEN '{"actions": [{"kind": "police_referral"}, {"kind": "notice"}]}'::jsonb
                  WHEN 'forward' THEN '{"actions": [{"kind": "partner_forward"}]}'::jsonb ELSE '{"actions": [{"kind": "police_referral"}]}'::jsonb END),
   (10, p.confirmed AND p.action = 'notice', p.t_actioned, 'notice_sent', NULL, NULL, '{}'::jsonb),
   (11, p.confirmed AND p.action = 'forward', p.t_actioned, 'forward_sent', NULL, NULL, '{}'::jsonb),
   (12, p.confirmed, p.t_actioned, 'transition', 'confirmed', 'actioned',
    jsonb_build_object('step', CASE p.action WHEN 'notice' THEN 'notice_sent' WHEN 'forward' THEN 'forward_sent' ELSE 'police_referral' END)),
   (13, p.confirmed AND p.action = 'forward' AND p.acknowledged, p.t_actioned + p.ack_s * interval '1 second', 'forward_acknowledged', NULL, NULL, '{}'::jsonb),
   (14, p.removed, p.t_removed, 'transition', 'actioned', 'removed', '{"step": "removal", "by": "removal_monitor", "outcome": "gone"}'::jsonb),
   (15, p.t_closed IS NOT NULL, p.t_closed, 'transition', 'removed', 'closed', jsonb_build_object('reason', 'quiet after removal', 'quietMs', ${QUIET_MS})),
   (16, p.reappears, p.t_reap, 'transition', CASE WHEN p.t_closed IS NOT NULL THEN 'closed' ELSE 'removed' END, 'reappeared', '{"urls": 1}'::jsonb),
   (17, p.reappears, p.t_reap, 'transition', 'reappeared', 'queued', '{}'::jsonb),
   (18, p.reappears, p.t2_claim, 'transition', 'queued', 'in_assessment', jsonb_build_object('by', p.analyst2)),
   (19, p.reappears, p.t2_conf, 'transition', 'in_assessment', 'confirmed', jsonb_build_object('step', 'assessment', 'verdict', p.illegal_verdict, 'contentType', p.ctype)),
   (20, p.reappears, p.t2_actions, 'actions_decided', NULL, NULL,
    CASE p.action WHEN 'notice' THEN '{"actions": [{"kind": "police_referral"}, {"kind": "notice"}]}'::jsonb
                  WHEN 'forward' THEN '{"actions": [{"kind": "partner_forward"}]}'::jsonb ELSE '{"actions": [{"kind": "police_referral"}]}'::jsonb END),
   (21, p.reappears AND p.action = 'notice', p.t2_actioned, 'notice_sent', NULL, NULL, '{}'::jsonb),
   (22, p.reappears AND p.action = 'forward', p.t2_actioned, 'forward_sent', NULL, NULL, '{}'::jsonb),
   (23, p.reappears, p.t2_actioned, 'transition', 'confirmed', 'actioned',
    jsonb_build_object('step', CASE p.action WHEN 'notice' THEN 'notice_sent' WHEN 'forward' THEN 'forward_sent' ELSE 'police_referral' END)),
   (24, p.reappears AND p.action = 'forward' AND p.acknowledged, p.t2_actioned + p.ack_s * interval '1 second', 'forward_acknowledged', NULL, NULL, '{}'::jsonb),
   (25, p.removed2, p.t2_removed, 'transition', 'actioned', 'removed', '{"step": "removal", "by": "removal_monitor", "outcome": "gone"}'::jsonb)
 ) AS v(seq, present, at, kind, from_status, to_status, detail)
 WHERE v.present
 ORDER BY p.g, v.at, v.seq
RETURNING 1
)
SELECT count(*)::int AS n FROM written`;

export interface SyntheticChunk {
  /** First and last case number (1-based, inclusive). */
  first: number;
  last: number;
  seed: number;
  year: number;
  /** The analysts claims name (ids only: the statistics' viewing time is per analyst and day). */
  analysts: readonly string[];
  /** 20 hex digits of (year, seed): the first part of every case id and dedup key of the run. */
  prefix: string;
  /** HOTLINE_COUNTRY: the country of domestic hosting traces. */
  country: string;
}

/** The seconds of a calendar year (UTC). */
export function yearSeconds(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 1000;
}

/**
 * Writes the cases first..last and their events in the caller's transaction (the plan is a
 * temporary table dropped at commit). Returns how many events it wrote.
 */
export async function writeSyntheticChunk(db: SqlRunner, chunk: SyntheticChunk): Promise<number> {
  await db.query(`SET LOCAL work_mem = '256MB'`);
  await db.query(PLAN, [
    chunk.first,
    chunk.last,
    chunk.seed,
    new Date(Date.UTC(chunk.year, 0, 1)).toISOString(),
    yearSeconds(chunk.year),
    chunk.analysts,
    chunk.prefix,
    chunk.country,
  ]);
  await db.query(CASES, [chunk.prefix]);
  const [{ n }]: { n: number }[] = await db.query(EVENTS);
  await db.query(`DROP TABLE synthetic_plan`);
  return n;
}
