import { AuditLog } from '@hotline/audit';
import type { DataSource } from 'typeorm';

/**
 * `audit:verify`: walks the whole audit chain. `ok <n> events` (exit 0), or a line naming the
 * first broken sequence number (exit 1).
 */
export async function auditVerify(dataSource: DataSource): Promise<{ ok: boolean; line: string }> {
  const verdict = await new AuditLog(dataSource).verify();
  return verdict.ok
    ? { ok: true, line: `ok ${verdict.events} events\n` }
    : { ok: false, line: `broken at seq ${verdict.firstBrokenSeq} (first broken sequence number; ${verdict.events} events checked)\n` };
}
