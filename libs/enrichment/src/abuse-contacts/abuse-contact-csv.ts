import { splitCsvLine } from '../csv-line';
import { AbuseContact, abuseContactScope, AbuseContactProblem, parseAbuseContact } from './abuse-contact';

/** The columns of an abuse-contact CSV file, as its header names them (in any order). */
export const ABUSE_CONTACT_CSV_COLUMNS = ['organisation', 'email', 'language', 'domain', 'asn', 'note'] as const;
type Column = (typeof ABUSE_CONTACT_CSV_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['organisation', 'email'];

/** A line of the file that cannot be imported: its number (1 is the header) and why, in English; `problems` when it was a contact with bad fields. */
export interface CsvLineError {
  line: number;
  message: string;
  problems?: AbuseContactProblem[];
  /** The line the same domain or ASN was given on first. */
  sameAs?: number;
}

export interface AbuseContactCsv {
  contacts: { line: number; contact: AbuseContact }[];
  errors: CsvLineError[];
}

/**
 * An abuse-contact CSV file: a header naming its columns (organisation and email, and any of
 * language, domain, asn, note; `organisation,email,language,domain,asn,note` is the full one),
 * then one contact a line, each with a domain or an AS number. Fields may be quoted ("Example,
 * Inc."); blank lines are skipped; a domain or ASN given twice is an error on the second line (the
 * file would contradict itself). Every bad line is listed: the caller imports nothing when there
 * is any, so an operator fixes the file and sends it again.
 */
export function parseAbuseContactsCsv(text: string): AbuseContactCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const contacts: AbuseContactCsv['contacts'] = [];
  const errors: CsvLineError[] = [];
  const seen = new Map<string, number>();
  let columns: Column[] | null = null;
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const raw = lines[index];
    if (raw.trim() === '') continue;
    const record = splitCsvLine(raw);
    if ('problem' in record) {
      errors.push({ line, message: record.problem });
      if (columns === null) return { contacts, errors };
      continue;
    }
    if (columns === null) {
      const names = record.fields.map((name) => name.trim().toLowerCase());
      const known = names.every((name): name is Column => (ABUSE_CONTACT_CSV_COLUMNS as readonly string[]).includes(name));
      if (!known || new Set(names).size !== names.length || !REQUIRED.every((name) => names.includes(name)) || !(names.includes('domain') || names.includes('asn'))) {
        errors.push({ line, message: `the first line must be the header "${ABUSE_CONTACT_CSV_COLUMNS.join(',')}"` });
        return { contacts, errors };
      }
      columns = names as Column[];
      continue;
    }
    if (record.fields.length > columns.length) {
      errors.push({ line, message: `${record.fields.length} fields but the header names ${columns.length} (quote a field that contains a comma)` });
      continue;
    }
    const fields: Partial<Record<Column, string>> = {};
    columns.forEach((name, i) => (fields[name] = record.fields[i]));
    const parsed = parseAbuseContact(fields);
    if ('problems' in parsed) {
      errors.push({ line, message: parsed.problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems: parsed.problems });
      continue;
    }
    const scope = abuseContactScope(parsed.contact);
    const first = seen.get(scope);
    if (first !== undefined) {
      const what = parsed.contact.domain !== null ? `domain ${parsed.contact.domain}` : `AS${parsed.contact.asn}`;
      errors.push({ line, message: `the same ${what} as line ${first}`, sameAs: first });
      continue;
    }
    seen.set(scope, line);
    contacts.push({ line, contact: parsed.contact });
  }
  if (columns === null) errors.push({ line: 1, message: `the file is empty: it needs the header "${ABUSE_CONTACT_CSV_COLUMNS.join(',')}" and a line per contact` });
  return { contacts, errors };
}
