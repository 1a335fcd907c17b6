import { reviewQueueRepository, SqlRunner } from '@hotline/persistence';

/**
 * `queues:verify-counts`: the count of waiting cases kept for each review queue (what the queues
 * overview shows, maintained by triggers on "case", ADR 0012) must be the number of cases that
 * wait in it now. `ok <n> queues` (exit 0), or one line per queue that differs (exit 1).
 */
export async function queuesVerifyCounts(db: SqlRunner): Promise<{ ok: boolean; lines: string }> {
  const { queues, mismatches } = await reviewQueueRepository.verifyWaitingCounts(db);
  if (mismatches.length === 0) return { ok: true, lines: `ok ${queues} queues\n` };
  const lines = mismatches.map((m) => `queue ${m.queue}: counted ${m.counted} waiting, but ${m.waiting} cases wait in it`);
  return { ok: false, lines: `${lines.join('\n')}\n${mismatches.length} of ${queues} queues miscounted\n` };
}
