import { recordCaseTransition } from '@hotline/persistence';
import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { assertTransition } from '@hotline/domain';
import { ProblemException } from '@hotline/http';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CASE_RECORD_COLUMNS, CaseRecord, CaseView, toCaseView } from '../cases/case-view';
import { StaffPrincipal } from '../staff-access/staff-principal';
import { exposureSeconds, heldMsOn, utcDay } from './exposure';

const QUEUE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export interface Exposure {
  date: string;
  heldSeconds: number;
  limitSeconds: number;
  remainingSeconds: number;
  openLeases: number;
}

interface LeaseRow {
  claimed_at: Date;
  expires_at: Date;
  ended_at: Date | null;
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
    private readonly audit: AuditLog,
    private readonly config: HotlineConfig,
  ) {}

  /** The next free case of the queue, now leased to `staff`; null when none is free. */
  claimNext(queue: string, staff: StaffPrincipal): Promise<CaseView | null> {
    return this.dataSource.transaction(async (tx) => {
      // One analyst's claims queue here, so two parallel claims cannot both pass the limits below.
      // NO KEY UPDATE rather than UPDATE: rows that reference the analyst (sessions, leases) can
      // still be written meanwhile.
      const [me]: { now: Date }[] = await tx.query(`SELECT now() AS now FROM staff_user WHERE id = $1 FOR NO KEY UPDATE`, [staff.id]);
      if (!me) throw new ProblemException('unauthorized');
      const [known] = QUEUE_NAME.test(queue) ? await tx.query(`SELECT 1 FROM review_queue WHERE name = $1`, [queue]) : [];
      if (!known) throw new ProblemException('resource_not_found');

      const held = await this.openLeases(tx, staff.id);
      const limit = this.config.leases.maxPerAnalyst;
      if (held >= limit) throw new ProblemException('lease_limit', { params: { held, limit } });
      const heldMs = await this.heldMsToday(tx, staff.id, me.now);
      if (heldMs >= this.config.exposureDailyLimitMs) {
        const seconds = exposureSeconds(heldMs, this.config.exposureDailyLimitMs);
        throw new ProblemException('exposure_limit', { params: { held: seconds.heldSeconds, limit: seconds.limitSeconds } });
      }

      assertTransition('queued', 'in_assessment');
      // Skip cases another claim has locked: parallel claims each take a different case instead
      // of queueing behind the first (case_next_in_queue_idx gives the order).
      // (TypeORM answers an UPDATE with [rows, count].)
      const [[row]]: [CaseRecord[], number] = await tx.query(
        `UPDATE "case" SET status = 'in_assessment', lease_holder = $2, lease_expires_at = now() + $3 * interval '1 millisecond', updated_at = now()
          WHERE id = (SELECT id FROM "case" WHERE queue = $1 AND status = 'queued'
                       ORDER BY priority DESC, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING ${CASE_RECORD_COLUMNS}`,
        [queue, staff.id, this.config.leases.durationMs],
      );
      if (!row) return null;
      await tx.query(`INSERT INTO case_lease (case_id, staff_user_id, claimed_at, expires_at) VALUES ($1, $2, now(), $3)`, [row.id, staff.id, row.lease_expires_at]);
      await recordCaseTransition(tx, row.id, 'queued', 'in_assessment', { by: staff.id });
      await this.audit.append(
        { actor: { id: staff.id, role: staff.role }, action: 'case.claimed', target: { type: 'case', id: row.id }, detail: { queue, leaseExpiresAt: row.lease_expires_at!.toISOString() } },
        tx,
      );
      return toCaseView(row);
    });
  }

  /** Renews the holder's lease for another LEASE_DURATION from now. */
  heartbeat(caseId: string, staff: StaffPrincipal): Promise<{ expiresAt: string }> {
    return this.dataSource.transaction(async (tx) => {
      await this.lockHeld(tx, caseId, staff, { lapsedIsHeld: false });
      const [[row]]: [{ lease_expires_at: Date }[], number] = await tx.query(
        `UPDATE "case" SET lease_expires_at = now() + $2 * interval '1 millisecond', updated_at = now() WHERE id = $1 RETURNING lease_expires_at`,
        [caseId, this.config.leases.durationMs],
      );
      await tx.query(`UPDATE case_lease SET expires_at = $2 WHERE case_id = $1 AND ended_at IS NULL`, [caseId, row.lease_expires_at]);
      return { expiresAt: row.lease_expires_at.toISOString() };
    });
  }

  /** Gives the case back to its queue, where it keeps its place (queued_at is left as it was). */
  release(caseId: string, staff: StaffPrincipal): Promise<void> {
    return this.dataSource.transaction(async (tx) => {
      await this.lockHeld(tx, caseId, staff, { lapsedIsHeld: true });
      assertTransition('in_assessment', 'queued');
      await tx.query(`UPDATE "case" SET status = 'queued', lease_holder = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1`, [caseId]);
      // A lease released after it lapsed (the sweeper had not come by yet) counts until it lapsed.
      await tx.query(
        `UPDATE case_lease SET ended_at = least(now(), expires_at), end_reason = 'released' WHERE case_id = $1 AND ended_at IS NULL`,
        [caseId],
      );
      await recordCaseTransition(tx, caseId, 'in_assessment', 'queued', { by: staff.id, reason: 'released' });
      await this.audit.append({ actor: { id: staff.id, role: staff.role }, action: 'case.released', target: { type: 'case', id: caseId } }, tx);
    });
  }

  /** Today's (UTC) time holding cases against the daily limit. */
  async exposure(staffId: string): Promise<Exposure> {
    // One transaction, so now() is the same instant in both reads.
    return this.dataSource.transaction(async (tx) => {
      const [{ now }]: { now: Date }[] = await tx.query(`SELECT now() AS now`);
      const heldMs = await this.heldMsToday(tx, staffId, now);
      return { date: utcDay(now).date, ...exposureSeconds(heldMs, this.config.exposureDailyLimitMs), openLeases: await this.openLeases(tx, staffId) };
    });
  }

  /** Leases the analyst holds now; one that lapsed but was not swept yet is no longer held. */
  private async openLeases(tx: EntityManager, staffId: string): Promise<number> {
    const [{ n }]: { n: number }[] = await tx.query(
      `SELECT count(*)::int AS n FROM "case" WHERE status = 'in_assessment' AND lease_holder = $1 AND lease_expires_at > now()`,
      [staffId],
    );
    return n;
  }

  private async heldMsToday(tx: EntityManager, staffId: string, now: Date): Promise<number> {
    // Only the leases that can overlap today; heldMsOn cuts them to the day.
    const day = utcDay(now);
    const leases: LeaseRow[] = await tx.query(
      `SELECT claimed_at, expires_at, ended_at FROM case_lease
        WHERE staff_user_id = $1 AND claimed_at < $3 AND coalesce(ended_at, expires_at) > $2`,
      [staffId, day.start.toISOString(), day.end.toISOString()],
    );
    return heldMsOn(
      leases.map((lease) => ({ claimedAt: lease.claimed_at, expiresAt: lease.expires_at, endedAt: lease.ended_at })),
      now,
    );
  }

  /**
   * Locks the case and checks that `staff` holds it. A lease past its expiry that the sweeper has
   * not returned yet may still be released, but not renewed: it has lapsed.
   */
  private async lockHeld(tx: EntityManager, caseId: string, staff: StaffPrincipal, options: { lapsedIsHeld: boolean }): Promise<void> {
    const [row]: { status: string; lease_holder: string | null; live: boolean }[] = await tx.query(
      `SELECT status, lease_holder, lease_expires_at > now() AS live FROM "case" WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    if (!row) throw new ProblemException('resource_not_found');
    if (row.status !== 'in_assessment' || row.lease_holder !== staff.id) {
      throw new ProblemException('conflict', { params: { detail: 'you do not hold this case' } });
    }
    if (!row.live && !options.lapsedIsHeld) {
      throw new ProblemException('conflict', { params: { detail: 'your lease on this case has lapsed; claim it again' } });
    }
  }
}
