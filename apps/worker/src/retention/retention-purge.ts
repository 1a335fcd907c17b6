import type { AuditActor, AuditLog } from '@hotline/audit';
import {
  NEVER_PURGED_CLASSES,
  noneRemoved,
  NOT_STORED_CLASSES,
  PurgeCounts,
  RETENTION_CLASSES,
  retentionCutoffs,
  RetentionCutoffs,
  RetentionPolicy,
  totalRemoved,
} from '@hotline/domain';
import { RetentionRepository, retentionRepository } from '@hotline/persistence';
import { DataSource } from 'typeorm';

// Rows taken per statement; a larger backlog takes several statements of the same run.
export const PURGE_BATCH = 1000;

/** What one run removed (or, dry, would remove), and what it never takes: said in every report. */
export interface PurgeReport {
  dryRun: boolean;
  counts: PurgeCounts;
  total: number;
  /** The cutoffs compared with, as ISO times: data from at or before them was due. */
  cutoffs: Record<Exclude<keyof RetentionCutoffs, 'now'>, string> & { now: string };
  notStored: readonly string[];
  neverPurged: readonly string[];
  /** True when a shutdown cut the run short (what is left goes in the next run). */
  interrupted: boolean;
}

export interface PurgeOptions {
  now?: Date;
  dryRun?: boolean;
  /** Who the audit event names: the system for the worker's schedule, the CLI for an operator. */
  actor: AuditActor;
  /** Checked between batches: a shutdown waits for one statement, not the whole backlog. */
  stopping?: () => boolean;
}

/**
 * The retention purge over every class (libs/domain/src/retention): reporter contacts and report
 * descriptions nulled, raw URLs of cases settled not illegal nulled (canonical URL and dedup key
 * stay), ended staff sessions deleted; nothing of a case on legal hold. One run at a time across
 * processes (a session advisory lock on one connection); idempotent, so a second run removes
 * nothing. Each run that removes (or could have removed) writes one audit event with its counts.
 * The worker's schedule and the CLI run this same code.
 */
export class RetentionPurge {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly policy: RetentionPolicy,
    private readonly repository: RetentionRepository = retentionRepository,
  ) {}

  /** The run's report; null when another process is purging now (this run had nothing to do). */
  async run(options: PurgeOptions): Promise<PurgeReport | null> {
    const cutoffs = retentionCutoffs(this.policy, options.now ?? new Date());
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      if (!(await this.repository.tryLockPurge(runner))) return null;
      try {
        const counts = noneRemoved();
        let interrupted = false;
        if (options.dryRun) {
          Object.assign(counts, await this.repository.countAllDue(runner, RETENTION_CLASSES, cutoffs));
        } else {
          for (const kind of RETENTION_CLASSES) {
            for (;;) {
              if (options.stopping?.()) {
                interrupted = true;
                break;
              }
              const n = await this.repository.purgeBatch(runner, kind, cutoffs, PURGE_BATCH);
              counts[kind] += n;
              if (n < PURGE_BATCH) break;
            }
          }
        }
        const report: PurgeReport = {
          dryRun: options.dryRun ?? false,
          counts,
          total: totalRemoved(counts),
          cutoffs: {
            now: cutoffs.now.toISOString(),
            contactReceivedBy: cutoffs.contactReceivedBy.toISOString(),
            descriptionReceivedBy: cutoffs.descriptionReceivedBy.toISOString(),
            rawUrlSettledBy: cutoffs.rawUrlSettledBy.toISOString(),
            sessionEndedBy: cutoffs.sessionEndedBy.toISOString(),
          },
          notStored: NOT_STORED_CLASSES,
          neverPurged: NEVER_PURGED_CLASSES,
          interrupted,
        };
        // A dry run changes nothing and shows only counts: nothing to audit.
        if (!report.dryRun) {
          await this.audit.append({
            actor: options.actor,
            action: 'retention.purged',
            detail: { removed: counts, cutoffs: report.cutoffs, notStored: report.notStored, neverPurged: report.neverPurged, interrupted },
          });
        }
        return report;
      } finally {
        await this.repository.unlockPurge(runner);
      }
    } finally {
      await runner.release();
    }
  }
}
