/**
 * When a scan of the case events (reporter feedback, the statistics' rollups) may pass a gap in
 * the case_event ids.
 *
 * Ids are handed out when a row is inserted, not when it commits: a gap (an id not visible) is
 * either a transaction still to commit or one rolled back. Passing a gap a transaction still
 * holds would lose that case event for ever (a status change never mailed), so the rule is exact:
 * a transaction T holding a missing id m took m before the id after it was taken (case_event.id
 * is an identity with cache 1: ids are taken in order), and began before that; the later id had
 * committed before the scan that saw the gap read it. So T began before that scan, and once every
 * other transaction on the database began after it (pg_stat_activity.xact_start), T is over:
 * committed (and then visible to the next scan, which reads after) or rolled back. Either way the
 * scan goes on without losing anything.
 *
 * A session whose transaction start cannot be seen (another role's, for a monitoring-less role;
 * a prepared transaction) keeps the rule from deciding; then the gap is passed after a long bound
 * (the scan's own, e.g. FEEDBACK_GAP_BOUND_MS), loudly (a warning log and the scan's counter).
 */

/** Every gap below `through` was there when the scan that read event `through` ran, at `seenAt` (the database's clock). */
export interface GapSighting {
  through: string;
  seenAt: Date;
}

/** The other transactions on the database, as pg_stat_activity shows them. */
export interface OtherTransactions {
  /** The database's clock now. */
  now: Date;
  /** When the oldest transaction of another session began; null when none is running. */
  oldestStart: Date | null;
  /** Sessions or prepared transactions whose start cannot be seen. */
  unseen: number;
}

export type GapPassage = { pass: false } | { pass: true; through: string; by: 'exact' | 'bound' };

/** Whether the gaps of `sighting` may be passed now, and how that is known. */
export function gapPassage(sighting: GapSighting | null, others: OtherTransactions, boundMs: number): GapPassage {
  if (!sighting) return { pass: false };
  const noneOlder = others.unseen === 0 && (others.oldestStart === null || others.oldestStart.getTime() > sighting.seenAt.getTime());
  if (noneOlder) return { pass: true, through: sighting.through, by: 'exact' };
  if (others.now.getTime() - sighting.seenAt.getTime() >= boundMs) return { pass: true, through: sighting.through, by: 'bound' };
  return { pass: false };
}

/** What a scan saw of the gaps it could not pass. */
export interface GapScan {
  /** The first event after a gap the scan stopped at; null when no gap stopped it. */
  blockedAt: string | null;
  /** The last event it read. */
  lastRead: string | null;
  /** When it read them (the database's clock, after its snapshot). */
  seenAt: Date;
}

/**
 * The sighting to remember after a scan: none when no gap stopped it; the one remembered when
 * the gap that stopped it is one of those (the oldest sighting is the one to wait on); else this
 * scan's. `remembered` is null once its gaps were passed.
 */
export function nextGapSighting(remembered: GapSighting | null, scan: GapScan): GapSighting | null {
  if (scan.blockedAt === null || scan.lastRead === null) return null;
  if (remembered && BigInt(scan.blockedAt) <= BigInt(remembered.through)) return remembered;
  return { through: scan.lastRead, seenAt: scan.seenAt };
}
