import { InvalidRoutingRulesError, RoutingRuleSet, RoutingRulesRepository } from '@hotline/persistence';
import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { problemList, UsageError } from './usage-error';

/**
 * The rules from a JSON file: an array of rules, or what `routing:list --json` printed (an object
 * whose `rules` is that array), so the current set can be saved, edited and set again.
 */
export async function readRulesFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`routing:set: cannot read ${file}: ${(error as Error).message}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`routing:set: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && 'rules' in input) return input.rules;
  return input;
}

/** `routing:set`: validates and replaces the whole rule set; invalid rules change nothing. */
export async function routingSet(dataSource: DataSource, file: string, by: string): Promise<RoutingRuleSet> {
  if (by.trim() === '' || by.length > 100) throw new UsageError('routing:set: --by must be 1..100 characters');
  const input = await readRulesFile(file);
  try {
    return await new RoutingRulesRepository(dataSource, 0).replace(input, by);
  } catch (error) {
    if (error instanceof InvalidRoutingRulesError) {
      throw new UsageError(`routing:set: invalid routing rules in ${file}, nothing saved:\n${problemList(error.errors, error.errors.length, Infinity)}`);
    }
    throw error;
  }
}
