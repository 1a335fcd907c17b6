import { RoutingRule, validateRoutingRules } from '@hotline/domain';
import type { DataSource } from 'typeorm';
import { updateReturning } from '../sql';
import { reviewQueueRepository } from './review-queue.repository';
import type { RoutingRulesRow } from './routing-rules.row';

export interface RoutingRuleSet {
  rules: RoutingRule[];
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** Refused on save: the rules are not valid; `errors` says where. */
export class InvalidRoutingRulesError extends Error {
  constructor(readonly errors: string[]) {
    super(`invalid routing rules: ${errors.join('; ')}`);
  }
}

/** Refused on save: the set was saved by someone else since `expectedVersion` was read; nothing changed. */
export class RoutingRulesChangedError extends Error {
  constructor(readonly expectedVersion: number) {
    super(`the routing rules are no longer at version ${expectedVersion}`);
  }
}

/**
 * The ordered routing rules, stored as one row and replaced as a unit. Saving validates against
 * the domain rules and the review queues that exist, so a saved set always routes every case to a
 * real queue. Readers cache for `cacheMs`: a change reaches every worker within that time.
 */
export class RoutingRulesRepository {
  private cached: { set: RoutingRuleSet; at: number } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cacheMs = 2000,
  ) {}

  async current(): Promise<RoutingRuleSet> {
    if (this.cached && Date.now() - this.cached.at < this.cacheMs) return this.cached.set;
    const [row]: Omit<RoutingRulesRow, 'id'>[] = await this.dataSource.query(`SELECT rules, version, updated_at, updated_by FROM routing_rules WHERE id = 1`);
    const set: RoutingRuleSet = { rules: row.rules, version: row.version, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by };
    this.cached = { set, at: Date.now() };
    return set;
  }

  async queueNames(): Promise<string[]> {
    return reviewQueueRepository.names(this.dataSource);
  }

  /**
   * Validates and replaces the whole list; returns the saved set. With `expectedVersion`, only if
   * the stored set is still at that version, checked in the UPDATE itself (two saves from the same
   * version: the second waits for the first's row lock, then finds the new version and changes
   * nothing): RoutingRulesChangedError otherwise. Without it, whatever is stored is replaced.
   */
  async replace(input: unknown, updatedBy: string, expectedVersion?: number): Promise<RoutingRuleSet> {
    const result = validateRoutingRules(input, await this.queueNames());
    if (!result.ok) throw new InvalidRoutingRulesError(result.errors);
    const [row] = await updateReturning<Omit<RoutingRulesRow, 'id'>>(
      this.dataSource,
      `UPDATE routing_rules SET rules = $1, version = version + 1, updated_at = now(), updated_by = $2
       WHERE id = 1 AND ($3::int IS NULL OR version = $3::int)
       RETURNING rules, version, updated_at, updated_by`,
      [JSON.stringify(result.rules), updatedBy, expectedVersion ?? null],
    );
    this.cached = null;
    if (!row) throw new RoutingRulesChangedError(expectedVersion!);
    return { rules: row.rules, version: row.version, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by };
  }
}
