/**
 * How the statistics read case events: the few fields of the detail the figures need
 * (libs/domain/src/stats/observations.ts, StatEvent), cast in SQL so a million rows cost no JSON
 * parsing in Node. Ids and times as float8: exact for ids below 2^53; times in whole milliseconds, so every
 * duration (and viewing time) is whole milliseconds however it is summed.
 */
export const STAT_EVENT_COLUMNS = `
  e.case_id::text AS "caseId", e.id::float8 AS id, floor(extract(epoch FROM e.at) * 1000)::float8 AS at, e.kind, e.to_status AS "to",
  e.detail->>'verdict' AS verdict, e.detail->>'step' AS step, e.detail->>'decision' AS decision,
  CASE WHEN jsonb_typeof(e.detail->'urls') = 'number' THEN (e.detail->>'urls')::int END AS urls,
  e.detail->>'source' AS source, e.detail->>'contentType' AS "contentType", e.detail->>'class' AS "hostingClass",
  CASE WHEN jsonb_typeof(e.detail->'partnerCountry') = 'boolean' THEN (e.detail->>'partnerCountry')::boolean END AS "partnerCountry",
  e.detail->>'by' AS by,
  CASE WHEN jsonb_typeof(e.detail->'priority') = 'number' THEN (e.detail->>'priority')::int END AS priority,
  coalesce(e.detail->'actions' @> '[{"kind": "police_referral"}]', false) AS police,
  coalesce(e.detail->'actions' @> '[{"kind": "partner_forward"}]', false) AS forward`;
