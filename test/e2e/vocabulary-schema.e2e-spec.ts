import {
  ACTION_KINDS,
  ACTION_STATUSES,
  ASSESSMENT_KINDS,
  CASE_SOURCES,
  CASE_STATUSES,
  CONTENT_HASH_ALGORITHMS,
  CONTENT_HASH_VALUE_PATTERN,
  ESCALATION_REASONS,
  HOSTING_CLASSES,
  HOSTING_STATUSES,
  KNOWN_HASH_VERDICTS,
  KNOWN_URL_VERDICTS,
  LEASE_END_REASONS,
  MAX_REPORT_URLS,
  QUEUE_NAME_PATTERN,
  REMOVAL_CHECK_OUTCOMES,
  REPORT_SOURCES,
  REPORTED_CONTENT_TYPES,
  REVIEW_DECISIONS,
  SETTLED_BY,
  STAT_CELL_DIMENSIONS,
  STAT_GRAINS,
  STAT_METRICS,
  VERDICTS,
} from '@hotline/domain';
import { EXCHANGE_DIRECTIONS, EXCHANGE_MESSAGE_STATUSES, EXCHANGE_MESSAGE_TYPES, PARTNER_NAME, PARTNER_STATUSES } from '@hotline/exchange';
import { CORRELATION_ID_PATTERN } from '@hotline/observability';
import { FEEDBACK_STATUSES } from '@hotline/mail';
import { ABUSE_CONTACT_SOURCES, FEEDBACK_STATES } from '@hotline/persistence';
import { STAFF_ROLES } from '@hotline/security';
import { Client } from 'pg';
import { connectDatabase } from '../support/database';
import { CONSOLE_LANGUAGES } from '../../apps/console-api/src/console-web/i18n/console-languages';

/**
 * The schema speaks the code's vocabulary. Migrations are snapshots (they never import the lists),
 * so this reads every CHECK constraint of the migrated database and holds it to the list in code:
 * a list changed without a migration, or a migration that drifted from its list, fails here.
 */

/** Columns whose CHECK allows exactly the members of a list in code. */
const LISTS: Record<string, readonly string[]> = {
  'report.source': REPORT_SOURCES,
  'report.content_type': REPORTED_CONTENT_TYPES,
  'case.status': CASE_STATUSES,
  'case.source': CASE_SOURCES,
  'case.content_type': REPORTED_CONTENT_TYPES,
  'case.hosting_status': HOSTING_STATUSES,
  'case.hosting_class': HOSTING_CLASSES,
  'case.settled_by': SETTLED_BY,
  'case.verdict': VERDICTS,
  'case_event.from_status': CASE_STATUSES,
  'case_event.to_status': CASE_STATUSES,
  'known_url.verdict': KNOWN_URL_VERDICTS,
  'assessment.kind': ASSESSMENT_KINDS,
  'assessment.verdict': VERDICTS,
  'assessment.decision': REVIEW_DECISIONS,
  'case_lease.end_reason': LEASE_END_REASONS,
  'action.kind': ACTION_KINDS,
  'action.status': ACTION_STATUSES,
  'action.escalation': ESCALATION_REASONS,
  'abuse_contact.source': ABUSE_CONTACT_SOURCES,
  'removal_check.outcome': REMOVAL_CHECK_OUTCOMES,
  'known_hash.algorithm': CONTENT_HASH_ALGORITHMS,
  'known_hash.verdict': KNOWN_HASH_VERDICTS,
  'report_feedback.public_status': FEEDBACK_STATUSES,
  'report_feedback.state': FEEDBACK_STATES,
  'staff_user.role': STAFF_ROLES,
  'staff_user.language': CONSOLE_LANGUAGES,
  'partner.status': PARTNER_STATUSES,
  'exchange_message.direction': EXCHANGE_DIRECTIONS,
  'exchange_message.type': EXCHANGE_MESSAGE_TYPES,
  'exchange_message.status': EXCHANGE_MESSAGE_STATUSES,
  'stats_rollup.grain': STAT_GRAINS,
  'stats_rollup.metric': STAT_METRICS,
  'stats_rollup.dimension': STAT_CELL_DIMENSIONS,
};

/** Columns whose CHECK is a pattern in code. */
const PATTERNS: Record<string, RegExp> = {
  'outbox.correlation_id': CORRELATION_ID_PATTERN,
  'exchange_message.correlation_id': CORRELATION_ID_PATTERN,
  'review_queue.name': QUEUE_NAME_PATTERN,
  'partner.name': PARTNER_NAME,
  'known_hash.value': CONTENT_HASH_VALUE_PATTERN,
};

interface Check {
  column: string;
  definition: string;
}

/** The allowed values of `column IN (...)`, as PostgreSQL prints it back; null when it is not one. */
function listOf(definition: string, column: string): string[] | null {
  const literals = (text: string) => [...text.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1].replace(/''/g, "'"));
  const many = new RegExp(`^CHECK \\(\\(${column} = ANY \\(ARRAY\\[(.*)\\]\\)\\)\\)$`).exec(definition);
  if (many) return literals(many[1]);
  const one = new RegExp(`^CHECK \\(\\(${column} = ('(?:[^']|'')*'::text)\\)\\)$`).exec(definition);
  return one ? literals(one[1]) : null;
}

function patternOf(definition: string, column: string): string | null {
  const match = new RegExp(`^CHECK \\(\\(${column} ~ '((?:[^']|'')*)'::text\\)\\)$`).exec(definition);
  return match ? match[1].replace(/''/g, "'") : null;
}

const sorted = (values: readonly string[]) => [...values].sort();

describe('vocabulary in the schema', () => {
  let db: Client;
  /** Every single-column CHECK of the schema, by `table.column`. */
  const checks = new Map<string, Check[]>();

  beforeAll(async () => {
    db = await connectDatabase();
    const { rows } = await db.query<{ table_name: string; column_name: string; definition: string }>(
      `SELECT c.conrelid::regclass::text AS table_name, a.attname AS column_name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'c' AND c.connamespace = 'public'::regnamespace AND cardinality(c.conkey) = 1`,
    );
    for (const row of rows) {
      const key = `${row.table_name.replace(/"/g, '')}.${row.column_name}`;
      checks.set(key, [...(checks.get(key) ?? []), { column: row.column_name, definition: row.definition }]);
    }
  });

  afterAll(async () => {
    await db?.end();
  });

  /** The one CHECK of the column that lists values (or, for patterns, matches one). */
  function only<T>(key: string, read: (definition: string, column: string) => T | null): T {
    const found = (checks.get(key) ?? []).map((check) => read(check.definition, check.column)).filter((value): value is T => value !== null);
    if (found.length !== 1) throw new Error(`${key}: expected one such CHECK, found ${found.length} (${JSON.stringify(checks.get(key) ?? [])})`);
    return found[0];
  }

  it.each(Object.entries(LISTS))('%s allows exactly the list in code', (key, list) => {
    expect(sorted(only(key, listOf))).toEqual(sorted(list));
  });

  it.each(Object.entries(PATTERNS))('%s is held to the pattern in code', (key, pattern) => {
    expect(only(key, patternOf)).toBe(pattern.source);
  });

  it('has a list in code for every list in the schema', () => {
    const listed = [...checks.entries()]
      .filter(([, found]) => found.some((check) => listOf(check.definition, check.column) !== null || patternOf(check.definition, check.column) !== null))
      .map(([key]) => key);
    expect(sorted(listed)).toEqual(sorted([...Object.keys(LISTS), ...Object.keys(PATTERNS)]));
  });

  it('stores every report the public API accepts', () => {
    const definition = (checks.get('report.url_count') ?? []).map((check) => check.definition).join(' ');
    const [, min, max] = /url_count >= (\d+)\) AND \(url_count <= (\d+)/.exec(definition) ?? [];
    expect(Number(min)).toBe(1);
    // Partner and bulk reports may carry more URLs than a public one.
    expect(Number(max)).toBeGreaterThanOrEqual(MAX_REPORT_URLS);
  });

  it('reads the forms PostgreSQL prints', () => {
    expect(listOf(`CHECK ((kind = ANY (ARRAY['a'::text, 'it''s'::text])))`, 'kind')).toEqual(['a', "it's"]);
    expect(listOf(`CHECK ((settled_by = 'known_url'::text))`, 'settled_by')).toEqual(['known_url']);
    expect(listOf(`CHECK ((url_count >= 1))`, 'url_count')).toBeNull();
    expect(patternOf(`CHECK ((name ~ '^[a-z]$'::text))`, 'name')).toBe('^[a-z]$');
  });
});
