import { dedupKey, parseReportableUrl } from '@hotline/domain';
import { CaseForward } from '@hotline/exchange';
import { OutboxTopic } from '@hotline/queue';
import { hashStatusToken, newReportReference, newStatusToken, uuidv7 } from '@hotline/security';
import { EntityManager } from 'typeorm';

/** The classification's content type in the report vocabulary (REPORTED_CONTENT_TYPES). */
const REPORT_CONTENT_TYPE: Record<string, string> = { image: 'images', video: 'videos', text: 'text', livestream: 'livestream', other: 'other' };

/**
 * Files a partner's forward as a report from that partner: the report, its one reported URL
 * (canonicalized and keyed like any report's) and the outbox row 'reported-url.received' that
 * starts triage, in the caller's transaction. The same rows as the intake's ReportWriter
 * (apps/intake-api/src/reports/report-writer.ts) writes, copied here as a plain insert: the
 * writer is a Nest provider built for group commits on the intake's hot path.
 *
 * A forward of a reference the partner already forwarded files nothing new: returns the report
 * filed then (`created` false).
 */
export async function fileForwardAsReport(
  tx: EntityManager,
  partnerId: string,
  forward: CaseForward,
  trackingParams: readonly string[],
): Promise<{ reportId: string; created: boolean }> {
  const parsed = parseReportableUrl(forward.url);
  if (!parsed.ok) throw new Error(`not a reportable URL (${parsed.reason})`); // checked by parseExchangeMessage
  const canonical = parsed.url;
  const reportId = uuidv7();
  const receivedAt = new Date();
  const contentType = forward.classification.contentType ? (REPORT_CONTENT_TYPE[forward.classification.contentType] ?? 'other') : null;
  const inserted: { id: string }[] = await tx.query(
    `INSERT INTO report (id, reference, status_token_hash, source, status, received_at, status_updated_at, language, reporter_country,
                         content_type, victim_identifiable, url_count, contact_encrypted, description_encrypted, contact_delete_after,
                         partner_id, partner_reference)
     VALUES ($1, $2, $3, 'partner', 'received', $4, $4, 'en', NULL, $5, false, 1, NULL, NULL, NULL, $6, $7)
     ON CONFLICT (partner_id, partner_reference) WHERE partner_id IS NOT NULL DO NOTHING
     RETURNING id`,
    // Nobody holds a status token for a partner's report: a random one, hashed, fills the column.
    [reportId, newReportReference(), hashStatusToken(newStatusToken()), receivedAt, contentType, partnerId, forward.reference],
  );
  if (inserted.length === 0) {
    const [existing] = await tx.query(`SELECT id FROM report WHERE partner_id = $1 AND partner_reference = $2`, [partnerId, forward.reference]);
    return { reportId: existing.id, created: false };
  }
  const urlId = uuidv7();
  await tx.query(
    `INSERT INTO reported_url (id, report_id, position, raw_url, canonical_url, dedup_key, host, received_at) VALUES ($1, $2, 0, $3, $4, $5, $6, $7)`,
    [urlId, reportId, forward.url, canonical.href, dedupKey(canonical, trackingParams), canonical.host, receivedAt],
  );
  await tx.query(`INSERT INTO outbox (topic, message_key, payload) VALUES ($1, $2, jsonb_build_object('reportedUrlId', $3::text))`, [
    OutboxTopic.ReportedUrlReceived,
    urlId,
    urlId,
  ]);
  return { reportId, created: true };
}
