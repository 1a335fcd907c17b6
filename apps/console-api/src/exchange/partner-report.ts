import { dedupKey, parseReportableUrl, reportedContentTypeOf } from '@hotline/domain';
import { CaseForward } from '@hotline/exchange';
import { outboxRepository, reportedUrlRepository, reportRepository } from '@hotline/persistence';
import { OutboxTopic } from '@hotline/queue';
import { hashStatusToken, newReportReference, newStatusToken, uuidv7 } from '@hotline/security';
import { EntityManager } from 'typeorm';

/**
 * Files a partner's forward as a report from that partner: the report, its one reported URL
 * (canonicalized and keyed like any report's) and the outbox row 'reported-url.received' that
 * starts triage, in the caller's transaction. The same rows as the intake's group commit
 * (ReportRepository.insertGroup) writes, as plain inserts: the group commit is built for the
 * intake's hot path.
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
  const contentType = forward.classification.contentType ? reportedContentTypeOf(forward.classification.contentType) : null;
  const created = await reportRepository.insertFromPartner(tx, {
    id: reportId,
    reference: newReportReference(),
    // Nobody holds a status token for a partner's report: a random one, hashed, fills the column.
    status_token_hash: hashStatusToken(newStatusToken()),
    received_at: receivedAt,
    content_type: contentType,
    partner_id: partnerId,
    partner_reference: forward.reference,
  });
  if (!created) {
    const existing = await reportRepository.findIdByPartnerReference(tx, partnerId, forward.reference);
    return { reportId: existing!, created: false };
  }
  const urlId = uuidv7();
  await reportedUrlRepository.insert(tx, {
    id: urlId,
    report_id: reportId,
    position: 0,
    raw_url: forward.url,
    canonical_url: canonical.href,
    dedup_key: dedupKey(canonical, trackingParams),
    host: canonical.host,
    received_at: receivedAt,
  });
  await outboxRepository.append(tx, OutboxTopic.ReportedUrlReceived, urlId, { reportedUrlId: urlId });
  return { reportId, created: true };
}
