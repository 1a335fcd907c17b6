import { CaseStatus, RoutingRule } from '@hotline/domain';
import { CaseAttachment, CaseRepository, SqlRunner } from '@hotline/persistence';
import { JOB_IDS, JobName, JOBS, QueueName, QueueRegistry } from '@hotline/queue';
import { CasePlacement } from './case-placement';

/** A hosting trace to queue once the transaction committed; one per appearance of a case. */
export interface HostingTrace {
  caseId: string;
  appearance: number;
}

/** A removed or closed case whose content is back, with what brought it back. */
export interface Reappearing {
  caseId: string;
  /** Its status now, read under the key's lock (removed or closed). */
  from: CaseStatus;
  reappearedCount: number;
  /** The reports that came with it: none when the removal monitor found the content online again. */
  reports: Omit<CaseAttachment, 'id' | 'reappear'>;
  /** The detail of its `reappeared` event: why, and who found it. */
  detail: Record<string, unknown>;
}

/**
 * The one way a case reappears, whether its URL is reported again (triage) or the removal
 * monitor finds its content online again: the case takes its reports and the reappearance (count,
 * back in line, hosting to be traced anew) through one statement, is counted as reappeared and
 * queued (two transitions, each its event), and placed by the routing rules. Inside the caller's
 * transaction, which holds the cases' dedup key locks; the hosting traces it returns are queued
 * after the commit (queueHostingTraces).
 */
export async function reopenReappeared(
  tx: SqlRunner,
  deps: { cases: CaseRepository; placement: CasePlacement },
  reappearing: readonly Reappearing[],
  rules: readonly RoutingRule[],
): Promise<HostingTrace[]> {
  if (reappearing.length === 0) return [];
  await deps.cases.attachReports(
    tx,
    reappearing.map((r) => ({ id: r.caseId, ...r.reports, reappear: true })),
  );
  await deps.cases.transitionMany(tx, { to: 'reappeared', cases: reappearing.map((r) => ({ caseId: r.caseId, from: r.from, detail: r.detail })) });
  await deps.cases.transitionMany(tx, { to: 'queued', cases: reappearing.map((r) => ({ caseId: r.caseId, from: 'reappeared' })) });
  await deps.placement.placeStored(
    tx,
    reappearing.map((r) => r.caseId),
    rules,
  );
  // A reappearance is traced anew (the content may have moved): its own appearance, its own trace.
  return reappearing.map((r) => ({ caseId: r.caseId, appearance: r.reappearedCount + 1 }));
}

/**
 * One trace job for the cases, after the commit. Throws when Redis does not take it: the caller
 * tries again (the job ids make a second add of the same traces a no-op).
 */
export async function queueHostingTraces(queues: QueueRegistry, traces: readonly HostingTrace[]): Promise<void> {
  if (traces.length === 0) return;
  const appearances = new Map(traces.map(({ caseId, appearance }) => [caseId, appearance]));
  const caseIds = [...appearances.keys()];
  await queues
    .get(QueueName.Hosting)
    .add(
      JobName.TraceHosting,
      { caseIds },
      { ...JOBS[JobName.TraceHosting].options(), jobId: JOB_IDS.traceHosting(caseIds.map((id) => `${id}-${appearances.get(id)}`)) },
    );
}
