import { AuditLog } from '@hotline/audit';
import { parseAbuseContactsCsv, parseRdapFile, RdapSkipped } from '@hotline/enrichment';
import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { AbuseContactDirectory } from '../../../console-api/src/abuse-contacts/abuse-contact-directory';
import { problemList, UsageError } from './usage-error';
import { CLI_ACTOR } from './user-create';

const MAX_PROBLEMS_SHOWN = 100;

export function abuseContactDirectory(dataSource: DataSource): AbuseContactDirectory {
  return new AbuseContactDirectory(dataSource, new AuditLog(dataSource));
}

async function read(command: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${command}: cannot read ${file}: ${(error as Error).message}`);
  }
}

function rejected(command: string, file: string, errors: readonly { line: number; message: string }[]): UsageError {
  const rows = errors.length === 1 ? '1 bad line' : `${errors.length} bad lines`;
  return new UsageError(
    `${command}: ${rows} in ${file}, nothing imported:\n${problemList(
      errors.map((e) => `line ${e.line}: ${e.message}`),
      errors.length,
      MAX_PROBLEMS_SHOWN,
    )}`,
  );
}

/**
 * `abuse-contacts:import <file.csv>`: contacts from CSV (header organisation,email,language,domain,asn,note),
 * all or nothing: every bad line is named and nothing is written while there is one. A domain or
 * AS number already in the directory gets the file's fields; the others are added. Audited.
 */
export async function abuseContactsImport(directory: AbuseContactDirectory, file: string, json = false): Promise<string> {
  const command = 'abuse-contacts:import';
  const { contacts, errors } = parseAbuseContactsCsv(await read(command, file));
  if (errors.length > 0) throw rejected(command, file, errors);
  if (contacts.length === 0) throw new UsageError(`${command}: ${file} holds no contacts`);
  const counts = await directory.import(
    contacts.map((c) => c.contact),
    'csv',
    CLI_ACTOR,
    { via: 'cli', lines: contacts.length },
  );
  return json ? `${JSON.stringify(counts)}\n` : `imported ${counts.created + counts.updated} abuse contacts (${counts.created} new, ${counts.updated} updated)\n`;
}

const SKIP_WORDS: Record<keyof RdapSkipped, string> = {
  ipNetworkWithoutAsn: 'ip networks naming no origin AS (a contact answers for a domain or an AS number, not an address range)',
  noAbuseContact: 'objects without an abuse entity with an email',
  badEmail: 'abuse emails that are not plain addresses',
  rangeTooLarge: 'autnum ranges too large to be one network',
  duplicates: 'AS numbers given again (the first kept)',
  errorResponses: 'RDAP error responses',
  otherObjects: 'objects of other classes',
};

/**
 * `abuse-contacts:import-rdap <file.json>`: AS numbers' abuse contacts from saved RDAP responses
 * (one response, a JSON array of them, or JSON lines; nothing is fetched). All or nothing like
 * the CSV import; what gave no contact is counted and printed, never dropped unseen. Audited.
 */
export async function abuseContactsImportRdap(directory: AbuseContactDirectory, file: string, json = false): Promise<string> {
  const command = 'abuse-contacts:import-rdap';
  const { contacts, skipped, errors } = parseRdapFile(await read(command, file));
  if (errors.length > 0) throw rejected(command, file, errors);
  const counts =
    contacts.length === 0
      ? { created: 0, updated: 0 }
      : await directory.import(
          contacts.map((c) => c.contact),
          'rdap',
          CLI_ACTOR,
          { via: 'cli', skipped },
        );
  if (json) return `${JSON.stringify({ ...counts, skipped })}\n`;
  const lines = [`imported ${counts.created + counts.updated} abuse contacts from RDAP (${counts.created} new, ${counts.updated} updated)`];
  for (const [reason, count] of Object.entries(skipped) as [keyof RdapSkipped, number][]) if (count > 0) lines.push(`skipped ${count} ${SKIP_WORDS[reason]}`);
  return `${lines.join('\n')}\n`;
}
