import { RoutingRuleSet, RoutingRulesRepository } from '@hotline/persistence';
import type { DataSource } from 'typeorm';

export async function routingList(dataSource: DataSource): Promise<RoutingRuleSet> {
  return new RoutingRulesRepository(dataSource, 0).current();
}

/** Human form: the version line, then the rules in order (first match wins). */
export function formatRoutingRules(set: RoutingRuleSet): string {
  const lines = [`version ${set.version}, updated ${set.updatedAt} by ${set.updatedBy}`];
  set.rules.forEach((rule, i) => lines.push(`${i + 1}. ${rule.name}: ${JSON.stringify(rule.match)} -> ${rule.queue}`));
  return `${lines.join('\n')}\n`;
}
