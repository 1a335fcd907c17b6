import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { removalCheckAction, RemovalCheckAction, RemovalCheckOutcome, removalScanPeriodMs, REMOVAL_CHECK_OUTCOMES } from '@hotline/domain';
import { recordContentRemoved } from '@hotline/exchange';
import { MetricsRegistry } from '@hotline/observability';
import { CaseRepository, DueCase, RemovalCheckRepository, RoutingRulesRepository } from '@hotline/persistence';
import { QueueRegistry } from '@hotline/queue';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PeriodicRun } from '../schedules/periodic-run';
import { ConcurrencyLimit } from '../triage/batches';
import { CasePlacement } from '../triage/case-placement';
import { HostingTrace, queueHostingTraces, reopenReappeared } from '../triage/reappearance';
import { RemovalCheck, RemovalChecker } from './removal-checker';

// Cases checked per transaction, held by advisory locks (no row locks) while they are checked: a
// few rounds of CONCURRENCY requests, each bounded by the checker's timeout.
const BATCH = 8;
// Requests at once per worker: enough to get through a backlog, too few to look like a crawl.
const CONCURRENCY = 4;

interface Checked {
  due: DueCase;
  result: RemovalCheck;
  checkedAt: Date;
}

/**
 * Removal monitoring (REMOVAL_CHECK_ENABLED, off by default): every REMOVAL_CHECK_INTERVAL each
 * confirmed, not yet removed case is checked (status line and headers only, see RemovalChecker),
 * and so is each case removed within the last 90 days. Gone (404, 410, NXDOMAIN): the case is
 * removed, by the one removal path, at the time of the check. Online again after removal (a 2xx
 * of the URL itself, no redirect, when the check before found it gone): the case reappears and
 * is queued again, as when the URL is reported again. Everything else is only recorded
 * (removal_check: outcome and status code, nothing of what was seen).
 *
 * Several workers may run this at once: each takes due cases no other holds, and writes
 * their outcomes before letting go. Status changes follow, each in a transaction of its own, on
 * the case as it is then. Logs name case ids and outcomes, never a URL.
 */
@Injectable()
export class RemovalMonitorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(RemovalMonitorService.name);
  private readonly checker: RemovalChecker;
  private readonly requests = new ConcurrencyLimit(CONCURRENCY);
  private readonly checks;
  private readonly removals;
  private readonly reappearances;
  private readonly failures;
  /** Hosting traces of reappeared cases Redis did not take: queued again at the next run. */
  private unqueuedTraces: HostingTrace[] = [];
  private readonly schedule = new PeriodicRun(
    () => this.runOnce(),
    (error) => this.log.warn(`removal checks failed: ${error.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly removalChecks: RemovalCheckRepository,
    private readonly placement: CasePlacement,
    private readonly rules: RoutingRulesRepository,
    private readonly queues: QueueRegistry,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.checker = new RemovalChecker({ dnsServers: config.dnsServers, dnsTimeoutMs: config.dnsTimeoutMs, allowHosts: config.removalCheck.allowHosts });
    this.checks = metrics.counter('hotline_removal_checks_total', 'Removal checks of confirmed or recently removed content, by outcome', ['outcome']);
    for (const outcome of REMOVAL_CHECK_OUTCOMES) this.checks.inc({ outcome }, 0);
    this.removals = metrics.counter('hotline_removal_detected_total', 'Cases whose content the removal monitor found gone');
    this.reappearances = metrics.counter('hotline_reappearance_detected_total', 'Removed cases the removal monitor found online again');
    this.failures = metrics.counter('hotline_removal_check_failures_total', 'Status changes a removal check called for that failed (tried again at the next check)', [
      'step',
    ]);
  }

  onApplicationBootstrap(): void {
    if (!this.config.removalCheck.enabled) return;
    const periodMs = removalScanPeriodMs(this.config.removalCheck.intervalMs);
    this.log.log(`removal monitoring on: each case every ${this.config.removalCheck.intervalMs / 1000} s, due cases looked for every ${periodMs / 1000} s`);
    this.schedule.start(periodMs);
  }

  /** Before the database closes: no new run, and the one under way finishes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** Checks every case due by now, then acts on what was found; how many were checked. */
  async runOnce(): Promise<number> {
    await this.queueTraces(this.unqueuedTraces.splice(0));
    let total = 0;
    for (;;) {
      const checked = await this.checkBatch();
      total += checked.length;
      for (const c of checked) {
        if (removalCheckAction(c.due.status, c.result, c.due.last_outcome, c.due.removed_at, c.checkedAt) !== 'none') await this.act(c);
      }
      if (checked.length < BATCH || this.schedule.stopping) return total;
    }
  }

  /** Takes due cases under their locks, checks them, writes the outcomes, commits. */
  private checkBatch(): Promise<Checked[]> {
    return this.dataSource.transaction(async (tx) => {
      const due = await this.removalChecks.lockDue(tx, BATCH);
      const checked = await Promise.all(
        due.map(async (c): Promise<Checked> => {
          const result = await this.requests.run(() => this.checkSafely(c));
          return { due: c, result, checkedAt: new Date() };
        }),
      );
      await this.removalChecks.record(
        tx,
        checked.map((c) => ({ caseId: c.due.id, checkedAt: c.checkedAt, outcome: c.result.outcome, httpStatus: c.result.httpStatus })),
        this.config.removalCheck.intervalMs,
      );
      const counts = new Map<RemovalCheckOutcome, number>();
      for (const c of checked) counts.set(c.result.outcome, (counts.get(c.result.outcome) ?? 0) + 1);
      for (const [outcome, n] of counts) this.checks.inc({ outcome }, n);
      return checked;
    });
  }

  /** The checker answers every failure with an outcome; anything it throws anyway counts as unreachable (asked again next time). */
  private async checkSafely(c: DueCase): Promise<RemovalCheck> {
    try {
      return await this.checker.check(c.canonical_url);
    } catch (error) {
      this.log.warn(`removal check of case ${c.id} failed unexpectedly: ${(error as Error).name}`);
      return { outcome: 'unreachable', httpStatus: null, redirectFollowed: false, reason: 'connection' };
    }
  }

  /** The status change a check calls for, decided again on the case as it is now. */
  private async act(c: Checked): Promise<void> {
    let done: { action: RemovalCheckAction; traces?: HostingTrace[] };
    try {
      done = await this.dataSource.transaction(async (tx) => {
        const now = await this.removalChecks.lockCaseAndKey(tx, c.due.id);
        if (!now) return { action: 'none' };
        // The outcome before this check was read with the case's check lock (this one is written since).
        const action = removalCheckAction(now.status, c.result, c.due.last_outcome, now.removed_at, c.checkedAt);
        if (action === 'mark_removed') await this.markRemoved(tx, now.id, now.status, c);
        if (action === 'reappear') return { action, traces: await this.reappear(tx, now, c) };
        return { action };
      });
    } catch (error) {
      // The outcome is recorded (the case shows it); the next check, one interval on, decides again.
      this.failures.inc({ step: 'transition' });
      this.log.warn(`acting on the removal check of case ${c.due.id} (${c.result.outcome}) failed: ${(error as Error).message}`);
      return;
    }
    if (done.action === 'mark_removed') {
      this.removals.inc();
      this.log.log(`case ${c.due.id}: content gone (${c.result.outcome}, ${c.result.httpStatus ?? 'no answer'}), marked removed`);
    }
    if (done.action === 'reappear') {
      this.reappearances.inc();
      this.log.log(`case ${c.due.id}: content online again (${c.result.httpStatus}), reappeared and queued`);
      // After the commit, as triage does for a reappearing case: its hosting is traced anew (it may have moved).
      await this.queueTraces(done.traces!);
    }
  }

  /**
   * Queues hosting traces of reappeared cases. What Redis does not take is kept and queued again
   * at the next run, as a triage job's retry does (the job ids make a second add a no-op); until
   * then the case is in its review queue all the same, its hosting shown `pending`.
   */
  private async queueTraces(traces: HostingTrace[]): Promise<void> {
    if (traces.length === 0) return;
    try {
      await queueHostingTraces(this.queues, traces);
    } catch (error) {
      this.failures.inc({ step: 'trace' });
      this.log.warn(
        `queueing the hosting trace of reappeared cases ${traces.map((t) => t.caseId).join(', ')} failed (again at the next run): ${(error as Error).message}`,
      );
      this.unqueuedTraces.push(...traces);
    }
  }

  private async markRemoved(tx: EntityManager, caseId: string, from: DueCase['status'], c: Checked): Promise<void> {
    const detail = { step: 'removal', by: 'removal_monitor', outcome: c.result.outcome, httpStatus: c.result.httpStatus };
    const removed = await recordContentRemoved(tx, { caseId, from, removedAt: c.checkedAt, detail });
    await this.audit.append(
      {
        actor: { id: null, role: 'system' },
        action: 'case.removed',
        target: { type: 'case', id: caseId },
        detail: {
          by: 'removal_monitor',
          removedAt: c.checkedAt.toISOString(),
          outcome: c.result.outcome,
          httpStatus: c.result.httpStatus,
          partnersTold: removed!.partnersTold,
        },
      },
      tx,
    );
  }

  /**
   * Reopens removed content that is served again the one way a case reappears (reopenReappeared,
   * as triage does for a URL reported again), with no new report; audited as the system's.
   */
  private async reappear(tx: EntityManager, now: NonNullable<Awaited<ReturnType<RemovalCheckRepository['lockCaseAndKey']>>>, c: Checked): Promise<HostingTrace[]> {
    const traces = await reopenReappeared(
      tx,
      { cases: this.cases, placement: this.placement },
      [
        {
          caseId: now.id,
          from: now.status,
          reappearedCount: now.reappeared_count,
          reports: { n: 0, first_at: now.first_reported_at, last_at: now.last_reported_at, content_types: [], victim: false },
          detail: { reason: 'online again after removal', by: 'removal_monitor', httpStatus: c.result.httpStatus, checkedAt: c.checkedAt.toISOString() },
        },
      ],
      (await this.rules.current()).rules,
    );
    await this.audit.append(
      {
        actor: { id: null, role: 'system' },
        action: 'case.reappeared',
        target: { type: 'case', id: now.id },
        detail: { by: 'removal_monitor', checkedAt: c.checkedAt.toISOString(), httpStatus: c.result.httpStatus },
      },
      tx,
    );
    return traces;
  }
}
