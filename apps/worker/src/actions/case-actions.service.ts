import { HotlineConfig } from '@hotline/config';
import { CaseStatus, Classification, decideActions, HostingClass } from '@hotline/domain';
import { MetricsRegistry } from '@hotline/observability';
import { uuidv7 } from '@hotline/security';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { originPartnersOf, storeOutgoingMessage } from '@hotline/exchange';

interface ActCase {
  id: string;
  status: CaseStatus;
  canonical_url: string;
  hosting_status: string;
  hosting_class: HostingClass;
  hosting: { ip?: string | null; country?: string | null; asn?: number | null; organisation?: string | null } | null;
  verdict: string | null;
  classification: Classification | null;
}

interface ActionRow {
  kind: string;
  status: string;
  partner_id: string | null;
}

type Outcome = 'decided' | 'rerouted' | 'skipped' | 'missing' | 'hosting_pending';

/** Outbox message keys are the case id, optionally followed by a reason (`<case id>:<why>`). */
const caseIdOf = (key: string) => key.slice(0, 36);

/**
 * Flow step 7 (DOMAIN.md): a confirmed case gets its actions, decided by where its content is
 * hosted (decideActions), each an `action` row with its reason. A forward to a partner hotline
 * is also stored as an outgoing `case.forward` exchange message (delivered by the partner's
 * queue, see PartnerDeliveryWorkers); a case that came from a partner tells it `assessed`.
 *
 * Idempotent per case: a case is acted on only while it is confirmed and has no actions yet (other
 * than forwards a partner rejected), or, once actioned, when every forward it had was rejected and
 * nothing else is open (a re-route after `not_hosted_here`). A re-route decides with the current
 * hosting trace, leaving out the partners that rejected the case; it does not trace the hosting
 * again (the trace is recent: taken at intake, or at the last reappearance).
 *
 * Failed actions (a forward whose delivery failed for good) count as decided: they are sent again
 * by redriving their dead letter (`dlq:redrive`), not by deciding anew.
 */
@Injectable()
export class CaseActionsService {
  private readonly log = new Logger(CaseActionsService.name);
  private readonly outcomes;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.outcomes = metrics.counter('hotline_case_actions_total', 'Cases handled by the action decision, by outcome', ['outcome']);
  }

  /**
   * The ActOnCases job. A case whose hosting is still being traced (a known-URL case confirmed at
   * intake) is left for a retry of the job: it fails once the others are done, and BullMQ retries
   * it with backoff; the cases already acted on are skipped then.
   */
  async actOnCases(keys: string[]): Promise<void> {
    const caseIds = [...new Set(keys.map(caseIdOf))];
    let waiting = 0;
    for (const caseId of caseIds) {
      const outcome = await this.dataSource.transaction((tx) => this.actOn(tx, caseId));
      this.outcomes.inc({ outcome });
      if (outcome === 'hosting_pending') waiting++;
    }
    if (waiting > 0) throw new Error(`hosting of ${waiting} of ${caseIds.length} case(s) is not traced yet; acting on them later`);
  }

  private async actOn(tx: EntityManager, caseId: string): Promise<Outcome> {
    const [row]: ActCase[] = await tx.query(
      `SELECT id, status, canonical_url, hosting_status, hosting_class, hosting, verdict, classification FROM "case" WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    if (!row) {
      this.log.warn(`case ${caseId} to act on does not exist`);
      return 'missing';
    }
    const actions: ActionRow[] = await tx.query(`SELECT kind, status, partner_id FROM action WHERE case_id = $1`, [caseId]);
    const rejected = actions.filter((a) => a.kind === 'partner_forward' && a.status === 'rejected');
    const standing = actions.filter((a) => a.status !== 'rejected');
    const actable = row.status === 'confirmed' || row.status === 'actioned';
    const first = row.status === 'confirmed' && actions.length === 0;
    const reroute = actable && rejected.length > 0 && standing.length === 0;
    if (!first && !reroute) return 'skipped';
    if (row.hosting_status === 'pending') return 'hosting_pending';

    const partners: { id: string; name: string; countries: string[] }[] = await tx.query(
      `SELECT id, name, countries FROM partner WHERE status = 'active' ORDER BY name`,
    );
    const excludedPartnerIds = [...new Set(rejected.map((a) => a.partner_id!).filter(Boolean))];
    const decided = decideActions({
      hosting: { class: row.hosting_class, country: row.hosting?.country ?? null },
      hotlineCountry: this.config.hotlineCountry,
      partners,
      excludedPartnerIds,
      abuseContactKnown: false,
    });

    for (const action of decided) {
      let externalRef: string | null = null;
      if (action.kind === 'partner_forward') {
        // The action names its forward by the protocol's messageId (the partner's ack answers it).
        const { messageId } = await storeOutgoingMessage(tx, {
          partnerId: action.partnerId!,
          caseId,
          type: 'case.forward',
          body: {
            reference: caseId,
            url: row.canonical_url,
            hosting: {
              ip: row.hosting?.ip ?? null,
              country: row.hosting?.country ?? null,
              asn: row.hosting?.asn ?? null,
              organisation: row.hosting?.organisation ?? null,
            },
            classification: { verdict: row.verdict, ...(row.classification ?? {}) },
            hashes: [],
          },
        });
        externalRef = messageId;
      }
      await tx.query(
        // clock_timestamp(): the actions of one decision keep their order (now() is one instant per transaction).
        `INSERT INTO action (id, case_id, kind, channel, partner_id, status, reason, external_ref, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, clock_timestamp(), clock_timestamp())`,
        [uuidv7(), caseId, action.kind, action.channel, action.partnerId ?? null, action.reason, externalRef],
      );
    }
    await tx.query(`INSERT INTO case_event (case_id, kind, detail) VALUES ($1, 'actions_decided', $2)`, [
      caseId,
      JSON.stringify({
        reroute,
        ...(reroute ? { excludedPartnerIds } : {}),
        hosting: { class: row.hosting_class, country: row.hosting?.country ?? null },
        actions: decided.map((a) => ({ kind: a.kind, channel: a.channel, ...(a.partnerId ? { partnerId: a.partnerId } : {}), reason: a.reason })),
      }),
    ]);

    // A case a partner forwarded to us: it is told its forward was assessed (once).
    if (first) {
      for (const origin of await originPartnersOf(tx, caseId)) {
        const [sent] = await tx.query(
          `SELECT 1 FROM exchange_message WHERE case_id = $1 AND partner_id = $2 AND direction = 'out' AND type = 'case.status' AND payload->>'status' = 'assessed' LIMIT 1`,
          [caseId, origin.partnerId],
        );
        if (sent) continue;
        await storeOutgoingMessage(tx, {
          partnerId: origin.partnerId,
          caseId,
          type: 'case.status',
          body: { reference: origin.reference, status: 'assessed', at: new Date().toISOString() },
        });
      }
    }
    return reroute ? 'rerouted' : 'decided';
  }
}
