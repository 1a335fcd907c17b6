import type { RoutingRule } from '@hotline/domain';

/** The one row of routing_rules (id 1): the ordered routing rules, read and replaced as a unit. */
export interface RoutingRulesRow {
  id: 1;
  rules: RoutingRule[];
  version: number;
  updated_at: Date;
  updated_by: string;
}
