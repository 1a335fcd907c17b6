/**
 * Which analyst queue a case goes to. The rules are data (an ordered list, first match wins) so
 * a hotline can change them without a release; `validateRoutingRules` is the gate for rule sets
 * that come from configuration or the console.
 */
import { REPORTED_CONTENT_TYPES, ReportedContentType } from '../report/content-types';
import { CASE_SOURCES, CaseSource } from '../report/sources';
import { HOSTING_CLASSES, HostingClass } from './hosting';
import { URGENT_PRIORITY } from './priority';

/** What routing knows about a case. */
export interface RoutingFacts {
  priority: number;
  /** the most severe reported type (see highestContentType), null when none was reported */
  contentType: ReportedContentType | null;
  hosting: HostingClass;
  source: CaseSource;
  /** BCP 47 tag of the reports' language (`de`, `pt-BR`); only its primary subtag is matched */
  language: string;
  reappeared: boolean;
}

/**
 * Every key of `match` that is present must hold (AND); a missing key matches anything, so an
 * empty match matches every case. Lists match when the fact is one of their members.
 */
export interface RoutingRule {
  name: string;
  match: {
    /** inclusive */
    minPriority?: number;
    /** inclusive */
    maxPriority?: number;
    /** a case with no reported content type never matches this key */
    contentTypes?: ReportedContentType[];
    hosting?: HostingClass[];
    sources?: CaseSource[];
    /** BCP 47 primary language subtags, lower case (`de`, `fr`) */
    languages?: string[];
    reappeared?: boolean;
  };
  queue: string;
}

export const DEFAULT_QUEUES = ['urgent', 'standard', 'partner-inbound', 'reappeared', 'unresolved-hosting'] as const;
export type DefaultQueue = (typeof DEFAULT_QUEUES)[number];

/**
 * The default routing, first match wins. Urgent comes FIRST, ahead of the special queues: a
 * child who may be in danger now (which alone lifts a case to URGENT_PRIORITY) must reach the
 * most closely watched queue even when the case also reappeared, came from a partner or has
 * hosting we could not resolve. Frozen: it is shared by every caller; copy it to change it.
 */
export const DEFAULT_ROUTING_RULES: RoutingRule[] = deepFreeze([
  // A child in danger now, livestreams with momentum, …: see the priority table.
  { name: 'urgent', match: { minPriority: URGENT_PRIORITY }, queue: 'urgent' },
  // Back after removal: analysts who know its history re-check and re-notify quickly.
  { name: 'reappeared', match: { reappeared: true }, queue: 'reappeared' },
  // Already triaged by a partner hotline; handled under the exchange agreement's deadlines.
  { name: 'partner', match: { sources: ['partner'] }, queue: 'partner-inbound' },
  // Without knowing where it is hosted no one can be notified: it needs investigation first.
  { name: 'unresolved-hosting', match: { hosting: ['unresolved'] }, queue: 'unresolved-hosting' },
  // The catch-all: every case lands somewhere.
  { name: 'standard', match: {}, queue: 'standard' },
]);

/** Thrown when no rule matches: only possible with a rule set that did not pass validation. */
export class NoMatchingRouteError extends Error {
  override readonly name = 'NoMatchingRouteError';
}

/** The queue of the first rule that matches, and that rule's name (for the case history). */
export function routeCase(rules: readonly RoutingRule[], facts: RoutingFacts): { queue: string; rule: string } {
  const rule = rules.find((candidate) => ruleMatches(candidate, facts));
  if (!rule) throw new NoMatchingRouteError('no routing rule matches; the last rule must be a catch-all');
  return { queue: rule.queue, rule: rule.name };
}

export function ruleMatches(rule: RoutingRule, facts: RoutingFacts): boolean {
  const m = rule.match;
  if (m.minPriority !== undefined && facts.priority < m.minPriority) return false;
  if (m.maxPriority !== undefined && facts.priority > m.maxPriority) return false;
  if (m.contentTypes !== undefined && (facts.contentType === null || !m.contentTypes.includes(facts.contentType))) {
    return false;
  }
  if (m.hosting !== undefined && !m.hosting.includes(facts.hosting)) return false;
  if (m.sources !== undefined && !m.sources.includes(facts.source)) return false;
  if (m.languages !== undefined && !m.languages.includes(primaryLanguage(facts.language))) return false;
  if (m.reappeared !== undefined && facts.reappeared !== m.reappeared) return false;
  return true;
}

/** `pt-BR` -> `pt`: rules name languages, not regional variants. */
function primaryLanguage(tag: string): string {
  return tag.split(/[-_]/)[0].toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Validation of untrusted rule sets
// ---------------------------------------------------------------------------------------------

export const MAX_ROUTING_RULES = 200;
export const MAX_RULE_NAME_LENGTH = 100;
/** Enough for every language a hotline could name in one rule; the enums are far shorter. */
export const MAX_MATCH_LIST_LENGTH = 200;
/** Also a safe queue name for BullMQ keys, metrics labels and URLs. */
export const QUEUE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
/** BCP 47 primary language subtag as used in practice: ISO 639-1 or 639-2/3 code, lower case. */
export const LANGUAGE_SUBTAG_PATTERN = /^[a-z]{2,3}$/;

const RULE_KEYS = ['name', 'match', 'queue'] as const;
const MATCH_KEYS = ['minPriority', 'maxPriority', 'contentTypes', 'hosting', 'sources', 'languages', 'reappeared'] as const;

export type ValidateRoutingRulesResult = { ok: true; rules: RoutingRule[] } | { ok: false; errors: string[] };

/**
 * Checks a rule set from an untrusted source (JSON from configuration or the console). On
 * success returns fresh copies of the rules, so later edits to the input cannot change routing. On failure lists every problem found, each naming its place
 * (`rules[2].match.minPriority must be an integer 0..100`).
 */
export function validateRoutingRules(input: unknown, knownQueues?: readonly string[]): ValidateRoutingRulesResult {
  if (!Array.isArray(input)) return { ok: false, errors: ['rules must be an array'] };
  if (input.length < 1 || input.length > MAX_ROUTING_RULES) {
    return { ok: false, errors: [`rules must hold 1..${MAX_ROUTING_RULES} rules (got ${input.length})`] };
  }

  const errors: string[] = [];
  const rules: RoutingRule[] = [];
  const firstIndexByName = new Map<string, number>();

  input.forEach((raw: unknown, i) => {
    const rule = validateRule(raw, `rules[${i}]`, errors, knownQueues);
    if (rule) rules.push(rule);
    // Names identify the rule in each case's history, so two rules may not share one.
    const name = isPlainObject(raw) ? raw.name : undefined;
    if (typeof name !== 'string') return;
    const earlier = firstIndexByName.get(name);
    if (earlier !== undefined) errors.push(`rules[${i}].name ${quote(name)} is already used by rules[${earlier}]`);
    else firstIndexByName.set(name, i);
  });

  // Order matters (first match wins), so reachability is checked on the input positions.
  const last = input.length - 1;
  input.forEach((raw: unknown, i) => {
    if (!hasEmptyMatch(raw)) {
      if (i === last) {
        errors.push(`rules[${i}] is the last rule and must have an empty match, so every case lands in a queue`);
      }
      return;
    }
    if (i < last) {
      const unreachable = i + 1 === last ? `rules[${last}]` : `rules[${i + 1}..${last}]`;
      errors.push(`rules[${i}] has an empty match and catches every case, so ${unreachable} can never match`);
    }
  });

  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}

function validateRule(raw: unknown, at: string, errors: string[], knownQueues: readonly string[] | undefined): RoutingRule | null {
  if (!isPlainObject(raw)) {
    errors.push(`${at} must be an object`);
    return null;
  }
  const before = errors.length;
  unknownKeys(raw, RULE_KEYS, at, errors);

  const name = raw.name;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_RULE_NAME_LENGTH) {
    errors.push(`${at}.name must be a non-empty string of at most ${MAX_RULE_NAME_LENGTH} characters`);
  }

  const match = validateMatch(raw.match, `${at}.match`, errors);

  const queue = raw.queue;
  if (typeof queue !== 'string' || !QUEUE_NAME_PATTERN.test(queue)) {
    errors.push(`${at}.queue must be a string matching ${QUEUE_NAME_PATTERN.source}`);
  } else if (knownQueues && !knownQueues.includes(queue)) {
    errors.push(`${at}.queue ${quote(queue)} is not a known queue (${knownQueues.join(', ')})`);
  }

  if (errors.length > before || !match) return null;
  return { name: name as string, match, queue: queue as string };
}

function validateMatch(raw: unknown, at: string, errors: string[]): RoutingRule['match'] | null {
  if (!isPlainObject(raw)) {
    errors.push(`${at} must be an object`);
    return null;
  }
  const before = errors.length;
  unknownKeys(raw, MATCH_KEYS, at, errors);
  const match: RoutingRule['match'] = {};

  for (const key of ['minPriority', 'maxPriority'] as const) {
    if (!Object.hasOwn(raw, key)) continue;
    const value = raw[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100) match[key] = value;
    else errors.push(`${at}.${key} must be an integer 0..100`);
  }
  if (match.minPriority !== undefined && match.maxPriority !== undefined && match.minPriority > match.maxPriority) {
    errors.push(`${at}.minPriority must not be greater than ${at}.maxPriority`);
  }

  if (Object.hasOwn(raw, 'contentTypes')) {
    match.contentTypes = enumList(raw.contentTypes, REPORTED_CONTENT_TYPES, `${at}.contentTypes`, errors);
  }
  if (Object.hasOwn(raw, 'hosting')) match.hosting = enumList(raw.hosting, HOSTING_CLASSES, `${at}.hosting`, errors);
  if (Object.hasOwn(raw, 'sources')) match.sources = enumList(raw.sources, CASE_SOURCES, `${at}.sources`, errors);
  if (Object.hasOwn(raw, 'languages')) match.languages = languageList(raw.languages, `${at}.languages`, errors);

  if (Object.hasOwn(raw, 'reappeared')) {
    if (typeof raw.reappeared === 'boolean') match.reappeared = raw.reappeared;
    else errors.push(`${at}.reappeared must be a boolean`);
  }

  return errors.length > before ? null : match;
}

/** A non-empty list of distinct members of `allowed`. (An empty list would match nothing.) */
function enumList<T extends string>(raw: unknown, allowed: readonly T[], at: string, errors: string[]): T[] {
  return list(raw, at, errors, (item, itemAt) =>
    typeof item === 'string' && (allowed as readonly string[]).includes(item) ? null : `${itemAt} must be one of ${allowed.join(', ')}`,
  ) as T[];
}

function languageList(raw: unknown, at: string, errors: string[]): string[] {
  return list(raw, at, errors, (item, itemAt) =>
    typeof item === 'string' && LANGUAGE_SUBTAG_PATTERN.test(item) ? null : `${itemAt} must be a BCP 47 primary language subtag: 2 or 3 lower-case letters, e.g. "de"`,
  ) as string[];
}

function list(raw: unknown, at: string, errors: string[], checkItem: (item: unknown, itemAt: string) => string | null): unknown[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    errors.push(`${at} must be a non-empty array`);
    return [];
  }
  // Bounded before the items are looked at, so a huge list cannot make validation slow.
  if (raw.length > MAX_MATCH_LIST_LENGTH) {
    errors.push(`${at} must hold at most ${MAX_MATCH_LIST_LENGTH} items (got ${raw.length})`);
    return [];
  }
  const seen = new Set<unknown>();
  raw.forEach((item: unknown, i) => {
    const problem = checkItem(item, `${at}[${i}]`);
    if (problem) errors.push(problem);
    else if (seen.has(item)) errors.push(`${at}[${i}] ${quote(item)} is listed twice`);
    seen.add(item);
  });
  return [...raw];
}

function unknownKeys(raw: Record<string, unknown>, known: readonly string[], at: string, errors: string[]): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) errors.push(`${at}.${key} is not a known key (${known.join(', ')})`);
  }
}

function hasEmptyMatch(raw: unknown): boolean {
  return isPlainObject(raw) && isPlainObject(raw.match) && Object.keys(raw.match).length === 0;
}

/** Untrusted text in an error message: quoted, escaped and cut short. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
