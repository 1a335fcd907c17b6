import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { MetricsRegistry } from '@hotline/observability';
import { CaseLeaseRepository, CaseRepository } from '@hotline/persistence';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicRun } from '../schedules/periodic-run';

// Cases returned per transaction; a larger backlog takes several rounds of the same run.
const BATCH = 200;

/**
 * Returns cases whose lease lapsed (no heartbeat within LEASE_DURATION) to their queue, at their
 * old place (queued_at is kept), without anyone acting. Several workers may sweep at once: each
 * takes the lapsed cases no other sweep (or claim, heartbeat, release) has locked.
 */
@Injectable()
export class LeaseSweeperService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(LeaseSweeperService.name);
  private readonly lapsed;
  private readonly schedule = new PeriodicRun(
    () => this.sweep(),
    (error) => this.log.warn(`lease sweep failed: ${error.message}`),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly leases: CaseLeaseRepository,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.lapsed = metrics.counter('hotline_leases_lapsed_total', 'Leases that lapsed and returned their case to the queue');
  }

  onApplicationBootstrap(): void {
    this.schedule.start(this.config.leases.sweepIntervalMs);
  }

  /** Before the database closes: no new run, and the one under way finishes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** Returns every case whose lease has lapsed by now; how many. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.sweepBatch();
      total += n;
      if (n < BATCH) return total;
    }
  }

  private sweepBatch(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      // Lock the lapsed cases nobody else holds, put them back, end their leases where they
      // lapsed (held time stops at expiry); each return is a transition with its event.
      const rows = await this.cases.lockLapsed(tx, BATCH);
      await this.cases.transitionMany(tx, {
        to: 'queued',
        cases: rows.map((row) => ({ caseId: row.id, from: 'in_assessment', detail: { reason: 'lease lapsed', holder: row.lease_holder } })),
        set: { lease_holder: null, lease_expires_at: null },
      });
      await this.leases.endLapsed(
        tx,
        rows.map((row) => row.id),
      );
      for (const row of rows) {
        await this.audit.append(
          {
            actor: { id: null, role: 'system' },
            action: 'case.lease_lapsed',
            target: { type: 'case', id: row.id },
            detail: { holder: row.lease_holder, expiredAt: row.lease_expires_at!.toISOString() },
          },
          tx,
        );
      }
      if (rows.length > 0) {
        this.lapsed.inc(rows.length);
        this.log.log(`${rows.length} lapsed leases returned their cases to the queue`);
      }
      return rows.length;
    });
  }
}
