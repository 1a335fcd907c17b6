import { HotlineConfig } from '@hotline/config';
import { Classification, decideActions } from '@hotline/domain';
import { MetricsRegistry } from '@hotline/observability';
import { uuidv7 } from '@hotline/security';
import { JobName, JOBS, OutboxTopic, QueueName, QueueRegistry } from '@hotline/queue';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { originPartnersOf, storeOutgoingMessage } from '@hotline/exchange';
import {
  AbuseContactRepository,
  ActionRepository,
  ActionRow as ActionRecord,
  CaseRepository,
  ExchangeMessageRepository,
  OutboxRepository,
  PartnerRepository,
  SqlRunner,
} from '@hotline/persistence';

type ActionRow = ActionRecord & { partner_name: string | null; partner_status: string | null };

type Outcome = 'decided' | 'rerouted' | 'skipped' | 'missing' | 'hosting_pending' | 'retracing';

/** The classification fields the protocol's case.forward carries (docs/exchange-protocol.md); nothing national. */
const FORWARD_CLASSIFICATION = ['ageGroup', 'gender', 'contentType', 'siteType', 'commercial'] as const;

/** A re-trace of a case's hosting to be queued once its transaction has committed. */
interface Retrace {
  caseId: string;
  jobId: string;
}

/** Outbox message keys are the case id, optionally followed by a reason (`<case id>:<why>`). */
const caseIdOf = (key: string) => key.slice(0, 36);

/**
 * Flow step 7 (DOMAIN.md): a confirmed case gets its actions, decided by where its content is
 * hosted (decideActions), each an `action` row with its reason. A forward to a partner hotline
 * is also stored as an outgoing `case.forward` exchange message (delivered by the partner's
 * queue, see PartnerDeliveryWorkers); a case that came from a partner tells it `assessed`.
 *
 * Idempotent per case: a case is acted on only while it is confirmed and has no actions yet, or
 * when every action it has is a void forward and nothing else is open (a re-route). Actions of an
 * earlier appearance (before the case last reappeared) do not count: confirmed again, it is acted
 * on again. A forward is void when the partner rejected it (`not_hosted_here`) or when it failed
 * because the partner is disabled; both partners are left out of the new decision (only active
 * partners are ever chosen).
 *
 * A re-route after `not_hosted_here` traces the hosting again first (issue 5: "new trace, next
 * partner or police"): the case's hosting goes back to `pending`, a ResolveHosting job of its own
 * (`hosting-<case>-reroute-<n>`) traces it, and the actions are decided when the trace has landed
 * (HostingTraceService publishes `case.act` then). A re-route because a partner is disabled keeps
 * the trace it has.
 *
 * A case whose hosting is still being traced (a known-URL case confirmed at intake) is skipped:
 * the trace publishes `case.act` when it is written.
 *
 * A police referral is addressed to the agency of its channel (HotlineConfig.policeAgencies) and
 * is in that agency's liaison inbox as soon as it is stored: it is `sent` then, and the case is
 * `actioned` in the same transaction (action taken). A notice is stored `pending` with an outbox
 * row `mail.send` `notice:<action id>`: the mail worker looks up the host's abuse desk when it
 * sends it (a contact added later still gets it, through a redrive), and holds it while police hold
 * the case (notice_hold).
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
    private readonly cases: CaseRepository,
    private readonly actions: ActionRepository,
    private readonly partners: PartnerRepository,
    private readonly messages: ExchangeMessageRepository,
    private readonly abuseContacts: AbuseContactRepository,
    private readonly outbox: OutboxRepository,
    private readonly config: HotlineConfig,
    private readonly queues: QueueRegistry,
    metrics: MetricsRegistry,
  ) {
    this.outcomes = metrics.counter('hotline_case_actions_total', 'Cases handled by the action decision, by outcome', ['outcome']);
  }

  /** The ActOnCases job. */
  async actOnCases(keys: string[]): Promise<void> {
    const caseIds = [...new Set(keys.map(caseIdOf))];
    for (const caseId of caseIds) {
      const retraces: Retrace[] = [];
      const outcome = await this.dataSource.transaction((tx) => this.actOn(tx, caseId, retraces));
      this.outcomes.inc({ outcome });
      // After the commit: the trace must see the case pending. Adding it again is a no-op (job id);
      // if this fails the job is retried, and the retry queues the same trace.
      for (const { caseId: id, jobId } of retraces) {
        await this.queues.get(QueueName.Hosting).add(JobName.ResolveHosting, { caseId: id }, { ...JOBS[JobName.ResolveHosting].options(), jobId });
      }
    }
  }

  private async actOn(tx: SqlRunner, caseId: string, retraces: Retrace[]): Promise<Outcome> {
    const row = await this.cases.lock(tx, caseId);
    if (!row) {
      this.log.warn(`case ${caseId} to act on does not exist`);
      return 'missing';
    }
    // Only this appearance's actions count: content that came back after removal and is confirmed
    // again needs its notice, referral or forward anew (the earlier ones were for its first life).
    const reappearedAt = await this.cases.lastReappearedAt(tx, caseId);
    const actions: ActionRow[] = (await this.actions.listWithPartner(tx, caseId)).filter((a) => reappearedAt === null || a.created_at > reappearedAt);
    const forward = (a: ActionRow) => a.kind === 'partner_forward';
    const rejected = actions.filter((a) => forward(a) && a.status === 'rejected');
    // A forward that failed because its partner is disabled: nothing more goes to that partner.
    const disabled = actions.filter((a) => forward(a) && a.status === 'failed' && a.partner_status !== 'active');
    const standing = actions.filter((a) => !rejected.includes(a) && !disabled.includes(a));
    const actable = row.status === 'confirmed' || row.status === 'actioned';
    const first = row.status === 'confirmed' && actions.length === 0;
    const reroute = actable && rejected.length + disabled.length > 0 && standing.length === 0;
    if (!first && !reroute) return 'skipped';

    if (reroute && rejected.length > 0) {
      const retrace = await this.retraceState(tx, caseId, rejected);
      if (retrace.kind === 'needed') {
        const jobId = `hosting-${caseId}-reroute-${retrace.n}`;
        await this.cases.markHostingPending(tx, caseId);
        await this.cases.recordEvent(tx, caseId, 'hosting_retrace', {
          reason: 'not_hosted_here',
          n: retrace.n,
          jobId,
          partners: [...new Set(rejected.map((a) => a.partner_name ?? a.partner_id))],
          was: { class: row.hosting_class, country: row.hosting?.country ?? null },
        });
        retraces.push({ caseId, jobId });
        return 'retracing';
      }
      if (retrace.kind === 'running') {
        retraces.push({ caseId, jobId: `hosting-${caseId}-reroute-${retrace.n}` });
        return 'hosting_pending';
      }
    }
    if (row.hosting_status === 'pending') return 'hosting_pending';

    const partners = await this.partners.listActive(tx);
    // Partners that rejected the case are left out by name (decideActions says so in the reason);
    // disabled ones are not among the active partners at all.
    const excludedPartnerIds = [...new Set(rejected.map((a) => a.partner_id!).filter(Boolean))];
    const disabledNames = [...new Set(disabled.map((a) => a.partner_name ?? a.partner_id!))];
    const decided = decideActions({
      hosting: { class: row.hosting_class, country: row.hosting?.country ?? null },
      hotlineCountry: this.config.hotlineCountry,
      partners,
      excludedPartnerIds,
      abuseContactKnown: (await this.abuseContacts.findForHost(tx, { registrableDomain: row.registrable_domain, asn: row.hosting?.asn ?? null })) !== null,
    });
    if (disabledNames.length > 0) {
      const note = ` Re-routed: partner ${disabledNames.join(', ')} ${disabledNames.length === 1 ? 'is' : 'are'} disabled.`;
      for (const action of decided) if (!action.reason.includes(note)) action.reason += note;
    }

    const referredTo: string[] = [];
    for (const action of decided) {
      const id = uuidv7();
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
            classification: forwardClassification(row.verdict, row.classification),
            hashes: [],
          },
        });
        externalRef = messageId;
      }
      const agency = action.kind === 'police_referral' ? this.config.policeAgencyOf(action.channel) : null;
      await this.actions.insert(tx, {
        id,
        caseId,
        kind: action.kind,
        channel: action.channel,
        partnerId: action.partnerId ?? null,
        reason: action.reason,
        externalRef,
        ...(agency ? { agency, escalation: 'confirmed' as const, status: 'sent' as const } : {}),
      });
      if (agency) referredTo.push(agency);
      if (action.kind === 'notice') await this.outbox.append(tx, OutboxTopic.Mail, `notice:${id}`);
    }
    await this.cases.recordEvent(tx, caseId, 'actions_decided', {
      reroute,
      ...(reroute ? { excludedPartnerIds, ...(disabledNames.length ? { disabledPartners: disabledNames } : {}) } : {}),
      hosting: { class: row.hosting_class, country: row.hosting?.country ?? null },
      actions: decided.map((a) => ({ kind: a.kind, channel: a.channel, ...(a.partnerId ? { partnerId: a.partnerId } : {}), reason: a.reason })),
    });

    // Referred: action is taken (a case a re-route finds actioned already stays so).
    if (referredTo.length > 0 && row.status === 'confirmed') {
      await this.cases.transition(tx, { caseId, from: 'confirmed', to: 'actioned', detail: { step: 'police_referral', agency: referredTo.join(', ') } });
    }

    // A case a partner forwarded to us: it is told its forward was assessed (once).
    if (first) {
      for (const origin of await originPartnersOf(tx, caseId)) {
        if (await this.messages.sentStatus(tx, caseId, origin.partnerId, 'assessed')) continue;
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

  /**
   * Whether a re-route after `not_hosted_here` still needs its new trace: `needed` (no re-trace
   * asked since the last rejection; `n` is the new one's number), `running` (asked, not written
   * yet; `n` is its number) or `done` (a trace was written after it).
   */
  private async retraceState(tx: SqlRunner, caseId: string, rejected: ActionRow[]): Promise<{ kind: 'needed' | 'running' | 'done'; n: number }> {
    const events = await this.cases.retraceHistory(tx, caseId);
    const lastRejection = Math.max(...rejected.map((a) => new Date(a.updated_at).getTime()));
    if (!events.last_retrace_at || new Date(events.last_retrace_at).getTime() < lastRejection) return { kind: 'needed', n: events.retraces + 1 };
    const traced = events.last_trace_id !== null && BigInt(events.last_trace_id) > BigInt(events.last_retrace_id!);
    return { kind: traced ? 'done' : 'running', n: events.retraces };
  }
}

/** The protocol's classification of a forward: the verdict and the shared fields, never our national category. */
function forwardClassification(verdict: string | null, classification: Classification | null): Record<string, unknown> {
  const source = (classification ?? {}) as Record<string, unknown>;
  const shared = Object.fromEntries(FORWARD_CLASSIFICATION.filter((field) => field in source).map((field) => [field, source[field]]));
  return { verdict, ...shared };
}
