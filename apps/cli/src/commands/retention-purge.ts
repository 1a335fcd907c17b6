import { AuditLog } from '@hotline/audit';
import type { HotlineConfig } from '@hotline/config';
import { purgeSummary } from '@hotline/domain';
import { DataSource } from 'typeorm';
import { RetentionPurge } from '../../../worker/src/retention/retention-purge';

/**
 * `retention:purge [--dry-run] [--json]`: the worker's retention purge, run now by an operator
 * (audited as the CLI); with --dry-run it only counts what would go and changes nothing. One
 * line of counts per class (or the report as JSON). Another purge under way: says so, exit 0,
 * nothing done.
 */
export async function retentionPurge(dataSource: DataSource, config: HotlineConfig, options: { dryRun: boolean; json: boolean }): Promise<string> {
  const purge = new RetentionPurge(dataSource, new AuditLog(dataSource), config.retention);
  const report = await purge.run({ dryRun: options.dryRun, actor: { id: null, role: 'cli' } });
  if (!report) return options.json ? `${JSON.stringify({ busy: true })}\n` : 'another retention purge is running; nothing done\n';
  return options.json ? `${JSON.stringify(report)}\n` : `${purgeSummary(report.counts, { dryRun: report.dryRun })}\n`;
}
