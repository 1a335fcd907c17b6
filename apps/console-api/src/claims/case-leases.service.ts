import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { QUEUE_NAME_PATTERN } from '@hotline/domain';
import { ProblemException } from '@hotline/http';
import { CaseLeaseRepository, CaseRepository, dbNow, ReviewQueueRepository, SqlRunner } from '@hotline/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseView, toCaseView } from '../cases/case-view';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { exposureSeconds, heldMsOn, utcDay } from './exposure';

/** How long a left page's case stays held, for the page to come back (a reload) and renew it. */
export const LEAVE_GRACE_MS = 20_000;

export interface Exposure {
  date: string;
  heldSeconds: number;
  limitSeconds: number;
  remainingSeconds: number;
  openLeases: number;
}

/**
 * Claims, heartbeats and releases: an analyst holds a case under a lease, which lapses back to the
 * queue unless renewed (the worker's LeaseSweeperService). The case row carries the current lease
 * (lease_holder, lease_expires_at); case_lease keeps every lease, which is what the exposure limit
 * is computed from.
 */
@Injectable()
export class CaseLeasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CaseRepository,
    private readonly leases: CaseLeaseRepository,
    private readonly reviewQueues: ReviewQueueRepository,
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  /** The next free case of the queue, now leased to `staff`; null when none is free. */
  claimNext(queue: string, staff: StaffPrincipal): Promise<CaseView | null> {
    return this.dataSource.transaction(async (tx) => {
      // One analyst's claims queue here, so two parallel claims cannot both pass the limits below.
      const now = await this.leases.lockHolder(tx, staff.id);
      if (!now) throw new ProblemException('unauthorized');
      if (!QUEUE_NAME_PATTERN.test(queue) || !(await this.reviewQueues.exists(tx, queue))) throw new ProblemException('resource_not_found');

      const held = await this.openLeases(tx, staff.id);
      const limit = this.config.leases.maxPerAnalyst;
      if (held >= limit) throw new ProblemException('lease_limit', { params: { held, limit } });
      const heldMs = await this.heldMsToday(tx, staff.id, now);
      if (heldMs >= this.config.exposureDailyLimitMs) {
        const seconds = exposureSeconds(heldMs, this.config.exposureDailyLimitMs);
        throw new ProblemException('exposure_limit', { params: { held: seconds.heldSeconds, limit: seconds.limitSeconds } });
      }

      const id = await this.cases.lockNextInQueue(tx, queue);
      if (!id) return null;
      const row = await this.cases.transition(tx, {
        caseId: id,
        from: 'queued',
        to: 'in_assessment',
        detail: { by: staff.id },
        set: { lease_holder: staff.id, lease_expires_at: dbNow(this.config.leases.durationMs) },
      });
      await this.leases.open(tx, row.id, staff.id, row.lease_expires_at!);
      await this.audit.append(
        {
          actor: { id: staff.id, role: staff.role },
          action: 'case.claimed',
          target: { type: 'case', id: row.id },
          detail: { queue, leaseExpiresAt: row.lease_expires_at!.toISOString() },
        },
        tx,
      );
      return toCaseView(row);
    });
  }

  /** Renews the holder's lease for another LEASE_DURATION from now. */
  heartbeat(caseId: string, staff: StaffPrincipal): Promise<{ expiresAt: string }> {
    return this.dataSource.transaction(async (tx) => {
      await this.lockHeld(tx, caseId, staff, { lapsedIsHeld: false });
      const expiresAt = await this.cases.renewLease(tx, caseId, this.config.leases.durationMs);
      await this.leases.renew(tx, caseId, expiresAt);
      return { expiresAt: expiresAt.toISOString() };
    });
  }

  /**
   * The holder's page was left (closed, navigated away, or reloaded: a page cannot tell which): the
   * lease now lapses after LEAVE_GRACE_MS unless the page comes back and renews it, so a reload
   * keeps the case and a closed tab gives it back to its queue within seconds (the sweeper returns
   * it), without anyone pressing Release.
   */
  leave(caseId: string, staff: StaffPrincipal): Promise<{ expiresAt: string }> {
    return this.dataSource.transaction(async (tx) => {
      await this.lockHeld(tx, caseId, staff, { lapsedIsHeld: false });
      const expiresAt = await this.cases.renewLease(tx, caseId, Math.min(LEAVE_GRACE_MS, this.config.leases.durationMs));
      await this.leases.renew(tx, caseId, expiresAt);
      return { expiresAt: expiresAt.toISOString() };
    });
  }

  /** Gives the case back to its queue, where it keeps its place (queued_at is left as it was). */
  release(caseId: string, staff: StaffPrincipal): Promise<void> {
    return this.dataSource.transaction(async (tx) => {
      await this.lockHeld(tx, caseId, staff, { lapsedIsHeld: true });
      await this.cases.transition(tx, {
        caseId,
        from: 'in_assessment',
        to: 'queued',
        detail: { by: staff.id, reason: 'released' },
        set: { lease_holder: null, lease_expires_at: null },
      });
      // A lease released after it lapsed (the sweeper had not come by yet) counts until it lapsed.
      await this.leases.end(tx, caseId, 'released');
      await this.audit.append({ actor: { id: staff.id, role: staff.role }, action: 'case.released', target: { type: 'case', id: caseId } }, tx);
    });
  }

  /** Today's (UTC) time holding cases against the daily limit. */
  async exposure(staffId: string): Promise<Exposure> {
    // One transaction, so now() is the same instant in both reads.
    return this.dataSource.transaction(async (tx) => {
      const now = await this.leases.now(tx);
      const heldMs = await this.heldMsToday(tx, staffId, now);
      return { date: utcDay(now).date, ...exposureSeconds(heldMs, this.config.exposureDailyLimitMs), openLeases: await this.openLeases(tx, staffId) };
    });
  }

  /** Leases the analyst holds now; one that lapsed but was not swept yet is no longer held. */
  private openLeases(tx: SqlRunner, staffId: string): Promise<number> {
    return this.cases.countLiveLeases(tx, staffId);
  }

  private async heldMsToday(tx: SqlRunner, staffId: string, now: Date): Promise<number> {
    // Only the leases that can overlap today; heldMsOn cuts them to the day.
    const day = utcDay(now);
    const leases = await this.leases.overlapping(tx, staffId, day.start, day.end);
    return heldMsOn(
      leases.map((lease) => ({ claimedAt: lease.claimed_at, expiresAt: lease.expires_at, endedAt: lease.ended_at })),
      now,
    );
  }

  /**
   * Locks the case and checks that `staff` holds it. A lease past its expiry that the sweeper has
   * not returned yet may still be released, but not renewed: it has lapsed.
   */
  private async lockHeld(tx: SqlRunner, caseId: string, staff: StaffPrincipal, options: { lapsedIsHeld: boolean }): Promise<void> {
    const row = await this.cases.lock(tx, caseId);
    if (!row) throw new ProblemException('resource_not_found');
    if (row.status !== 'in_assessment' || row.lease_holder !== staff.id) {
      throw new ProblemException('lease_not_held');
    }
    if (!row.lease_live && !options.lapsedIsHeld) {
      throw new ProblemException('lease_expired');
    }
  }
}
