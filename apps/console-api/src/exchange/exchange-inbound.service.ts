import { ActionRepository, CaseRepository, ExchangeMessageRepository, ExchangeNonceRepository, OutboxRepository } from '@hotline/persistence';
import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { DEFAULT_TRACKING_PARAMS } from '@hotline/domain';
import {
  CaseAck,
  CaseForward,
  CaseStatus,
  ExchangeMessage,
  parseExchangeMessage,
  parseIsoDateTime,
  parsePublicKey,
  PartnerDirectory,
  PartnerVerifier,
  recordContentRemoved,
  SIGNATURE_HEADERS,
  storeOutgoingMessage,
  verifyRequest,
} from '@hotline/exchange';
import { ProblemException } from '@hotline/http';
import { MetricsRegistry } from '@hotline/observability';
import { OutboxTopic } from '@hotline/queue';
import { uuidv7 } from '@hotline/security';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ExchangeRefusal, ExchangeRefusals, PARTNER_ACTOR } from './exchange-refusals';
import { fileForwardAsReport } from './partner-report';

/** Nonces are kept twice the signature window; older ones go now and then. */
const NONCE_PURGE_EVERY_MS = 60_000;
/**
 * How old a nonce is before it goes, by the database clock. The window is checked by this app's
 * clock, so the margin over twice the window (10 minutes) keeps a nonce until no skew between
 * the two clocks could let it be replayed.
 */
const NONCE_KEEP = '15 minutes';
/** How far a partner's `at` may be from our clocks: the signature window's skew. */
const STATUS_SKEW_MS = 5 * 60_000;
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface InboundRequest {
  method: string;
  /** The path with its query, as signed. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * `POST /api/v1/exchange/messages`: checks who sent a request (`sender`, then `verify`: signature,
 * nonce; called before the body is parsed, see raw-body.ts), then stores the message and does what
 * it asks in one transaction, once per (partner, messageId).
 */
@Injectable()
export class ExchangeInboundService implements BeforeApplicationShutdown {
  private readonly log = new Logger(ExchangeInboundService.name);
  private readonly trackingParams: readonly string[];
  private readonly refusals: ExchangeRefusals;
  private lastNoncePurge = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly partners: PartnerDirectory,
    private readonly messages: ExchangeMessageRepository,
    private readonly nonces: ExchangeNonceRepository,
    private readonly actions: ActionRepository,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditLog,
    config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.trackingParams = [...DEFAULT_TRACKING_PARAMS, ...config.extraTrackingParams];
    this.refusals = new ExchangeRefusals(audit, metrics);
  }

  /** Refusals still only counted go to the audit log before the app stops. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flushRefusals();
  }

  /** Audits the refusals counted and not yet audited (the timer's job within the minute). */
  flushRefusals(): Promise<void> {
    return this.refusals.flush();
  }

  /** Stores and acts on a message whose signature `verify` found to be the partner's. */
  async receive(partner: PartnerVerifier, body: Buffer): Promise<{ messageId: string; received: true }> {
    const parsed = parseExchangeMessage(body.toString('utf8'));
    if (!parsed.ok) throw invalid(parsed.errors);
    const message = parsed.message;
    await this.dataSource.transaction(async (tx) => {
      const stored = await this.messages.insertReceived(tx, { id: uuidv7(), partnerId: partner.id, messageId: message.messageId, type: message.type, payload: message });
      // Received before: the same answer, and nothing else.
      if (!stored) return;
      const caseId = await this.handle(tx, partner, message);
      if (caseId) await this.messages.linkCase(tx, stored, caseId);
      await this.audit.append(
        {
          actor: PARTNER_ACTOR,
          action: 'exchange.received',
          target: { type: 'partner', id: partner.id },
          detail: { partner: partner.name, type: message.type, messageId: message.messageId, caseId },
        },
        tx,
      );
    });
    return { messageId: message.messageId, received: true };
  }

  /**
   * The partner a request's key id names, from its headers alone (a stranger is refused before its
   * body is read), or a 401.
   */
  async sender(headers: InboundRequest['headers']): Promise<PartnerVerifier> {
    const keyIdHeader = headers[SIGNATURE_HEADERS.keyId];
    const keyId = typeof keyIdHeader === 'string' && KEY_ID.test(keyIdHeader) ? keyIdHeader : '';
    if (!keyId) return this.refuse('missing_headers', null, null);
    const partner = await this.partners.findByTheirKeyId(keyId);
    if (!partner) return this.refuse('unknown_key', null, keyId);
    return partner;
  }

  /** That the partner signed the request (digest, timestamp, signature) and its nonce is new, or a 401. */
  async verify(partner: PartnerVerifier, request: InboundRequest): Promise<void> {
    const keyId = request.headers[SIGNATURE_HEADERS.keyId] as string; // checked by sender
    const publicKey = parsePublicKey(partner.theirPublicKey);
    const refusal = publicKey ? verifyRequest({ method: request.method, path: request.url, body: request.body, headers: request.headers }, publicKey) : 'bad_signature';
    if (refusal) return this.refuse(refusal, partner, keyId);
    const nonce = request.headers[SIGNATURE_HEADERS.nonce] as string; // checked by verifyRequest
    if (!(await this.nonces.remember(this.dataSource, partner.id, nonce))) return this.refuse('replayed_nonce', partner, keyId);
    await this.purgeNonces();
  }

  /** Counted, audited at most once a minute per partner (or for all strangers) and reason (ExchangeRefusals), and a 401. */
  private async refuse(reason: ExchangeRefusal, partner: PartnerVerifier | null, keyId: string | null): Promise<never> {
    await this.refusals.record(reason, partner, keyId);
    throw new ProblemException('signature_refused');
  }

  private async purgeNonces(): Promise<void> {
    if (Date.now() - this.lastNoncePurge < NONCE_PURGE_EVERY_MS) return;
    this.lastNoncePurge = Date.now();
    try {
      await this.nonces.purgeOlderThan(this.dataSource, NONCE_KEEP);
    } catch (error) {
      this.log.warn(`could not purge old exchange nonces: ${(error as Error).message}`);
    }
  }

  /** Does what a new message asks; returns the case it concerns, when known. */
  private handle(tx: EntityManager, partner: PartnerVerifier, message: ExchangeMessage): Promise<string | null> {
    switch (message.type) {
      case 'case.forward':
        return this.forward(tx, partner, message);
      case 'case.ack':
        return this.ack(tx, partner, message);
      case 'case.status':
        return this.status(tx, partner, message);
    }
  }

  /** Files the forward as a report from the partner (triage routes it to partner-inbound) and acknowledges it. */
  private async forward(tx: EntityManager, partner: PartnerVerifier, message: CaseForward): Promise<null> {
    const { reportId } = await fileForwardAsReport(tx, partner.id, message, this.trackingParams);
    const ack: Omit<CaseAck, 'messageId' | 'type' | 'sentAt'> = { inReplyTo: message.messageId, reference: message.reference, theirReference: reportId };
    await storeOutgoingMessage(tx, { partnerId: partner.id, caseId: null, type: 'case.ack', body: ack });
    return null;
  }

  /** Our forward arrived: its action is acknowledged, and a confirmed case is now actioned. */
  private async ack(tx: EntityManager, partner: PartnerVerifier, message: CaseAck): Promise<string> {
    const forward = await this.messages.findForward(tx, partner.id, message.inReplyTo);
    if (!forward || !UUID.test(forward.case_id ?? '')) throw invalid([{ field: 'inReplyTo', detail: 'no forward of ours to you has this messageId' }]);
    const current = await this.cases.lock(tx, forward.case_id!);
    if (!current) throw invalid([{ field: 'inReplyTo', detail: 'no forward of ours to you has this messageId' }]);
    await this.actions.acknowledgeForward(tx, current.id, partner.id, message.theirReference);
    await this.cases.recordEvent(tx, current.id, 'forward_acknowledged', { partner: partner.name, theirReference: message.theirReference });
    if (current.status === 'confirmed')
      await this.cases.transition(tx, { caseId: current.id, from: 'confirmed', to: 'actioned', detail: { step: 'partner_ack', partner: partner.name } });
    return current.id;
  }

  /** What the partner did with a case we forwarded. */
  private async status(tx: EntityManager, partner: PartnerVerifier, message: CaseStatus): Promise<string> {
    const notOurs = () => invalid([{ field: 'reference', detail: 'no case of ours was forwarded to you with this reference' }]);
    if (!UUID.test(message.reference)) throw notOurs();
    const known = await this.actions.hasForwardTo(tx, message.reference, partner.id);
    const current = known ? await this.cases.lock(tx, message.reference) : null;
    if (!current) throw notOurs();
    // Read under the case's lock: open: some forward of this case to the partner is not rejected (null: none at all).
    const forwarded = await this.actions.forwardState(tx, current.id, partner.id);
    if (forwarded.open == null) throw notOurs();
    // The partner's clock says when; ours bounds it (with the skew the signature window allows):
    // not after now, not before we forwarded the case.
    const at = parseIsoDateTime(message.at)!;
    if (at.getTime() > Date.now() + STATUS_SKEW_MS) throw invalid([{ field: 'at', detail: 'must not be in the future' }]);
    if (forwarded.forwarded_at && at.getTime() < new Date(forwarded.forwarded_at).getTime() - STATUS_SKEW_MS) {
      throw invalid([{ field: 'at', detail: `must not be before we forwarded the case to you (${new Date(forwarded.forwarded_at).toISOString()})` }]);
    }
    // Once the partner said the case is not theirs, nothing else it says about it counts (a
    // not_hosted_here again is taken, and changes nothing).
    if (!forwarded.open && message.status !== 'not_hosted_here') {
      throw invalid([{ field: 'status', detail: 'you answered not_hosted_here for this case: only not_hosted_here again is taken' }]);
    }
    await this.cases.recordEvent(tx, current.id, 'partner_status', { partner: partner.name, status: message.status, at: at.toISOString() });
    if (message.status === 'removed') {
      // The one removal path (a case still only confirmed is actioned first, both steps recorded),
      // as for staff and the removal monitor.
      const removed = await recordContentRemoved(tx, {
        caseId: current.id,
        from: current.status,
        removedAt: at,
        detail: { step: 'partner_status', partner: partner.name },
      });
      if (!removed && (current.status === 'removed' || current.status === 'closed')) {
        // Told again (or after we saw it gone ourselves): the earliest time we know of stays.
        await this.cases.recordRemovalTime(tx, current.id, at);
      }
    } else if (message.status === 'not_hosted_here' && forwarded.open) {
      await this.actions.rejectForward(tx, current.id, partner.id, `${partner.name}: not hosted here (${at.toISOString()})`);
      // The worker routes the case anew (next partner, or police), without the partners that
      // refused it. The key names this message so the job is not taken for the confirmation's
      // (the worker reads the case id from its first 36 characters).
      await this.outbox.append(tx, OutboxTopic.CaseAct, `${current.id}:reroute-${message.messageId}`, { reason: 'not_hosted_here', partner: partner.name });
    }
    return current.id;
  }
}

function invalid(errors: { field: string; detail: string }[]): ProblemException {
  return new ProblemException('invalid_request', { errors: errors.map(({ field, detail }) => ({ field, message: 'field.rule' as const, params: { detail } })) });
}
