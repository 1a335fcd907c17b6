import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { assertTransition } from '@hotline/domain';
import { MetricsRegistry } from '@hotline/observability';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

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
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
    metrics: MetricsRegistry,
  ) {
    this.lapsed = metrics.counter('hotline_leases_lapsed_total', 'Leases that lapsed and returned their case to the queue');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      // A slow run is not overlapped by the next tick; it is skipped instead.
      if (this.busy) return;
      this.busy = true;
      this.running = this.sweep()
        .catch((error: Error) => this.log.warn(`lease sweep failed: ${error.message}`))
        .finally(() => (this.busy = false));
    }, this.config.leases.sweepIntervalMs);
    this.timer.unref();
  }

  /** Before the database closes: no new run, and the one under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
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
    assertTransition('in_assessment', 'queued');
    return this.dataSource.transaction(async (tx) => {
      // One statement: lock the lapsed cases nobody else holds, put them back, end their leases
      // where they lapsed (held time stops at expiry), and record the transitions.
      const rows: { id: string; holder: string; expired_at: Date }[] = await tx.query(
        `WITH lapsed AS (
           SELECT id, lease_holder, lease_expires_at FROM "case"
            WHERE status = 'in_assessment' AND lease_expires_at < now()
            ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
         ), returned AS (
           UPDATE "case" c SET status = 'queued', lease_holder = NULL, lease_expires_at = NULL, updated_at = now()
             FROM lapsed l WHERE c.id = l.id
           RETURNING c.id, l.lease_holder AS holder, l.lease_expires_at AS expired_at
         ), ended AS (
           UPDATE case_lease cl SET ended_at = cl.expires_at, end_reason = 'lapsed'
             FROM returned r WHERE cl.case_id = r.id AND cl.ended_at IS NULL
         ), events AS (
           INSERT INTO case_event (case_id, kind, from_status, to_status, detail)
           SELECT id, 'transition', 'in_assessment', 'queued', jsonb_build_object('reason', 'lease lapsed', 'holder', holder) FROM returned
         )
         SELECT id, holder, expired_at FROM returned ORDER BY expired_at, id`,
        [BATCH],
      );
      for (const row of rows) {
        await this.audit.append(
          {
            actor: { id: null, role: 'system' },
            action: 'case.lease_lapsed',
            target: { type: 'case', id: row.id },
            detail: { holder: row.holder, expiredAt: row.expired_at.toISOString() },
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
