import { AuditActor, AuditLog } from '@hotline/audit';
import { AbuseContact, AbuseContactProblem, parseAbuseContact, RawAbuseContact } from '@hotline/enrichment';
import { AbuseContactCursor, abuseContactRepository, AbuseContactRow, AbuseContactSource, AbuseContactTakenError } from '@hotline/persistence';
import { uuidv7 } from '@hotline/security';
import type { DataSource } from 'typeorm';

/** How many contacts an import writes per statement. */
const IMPORT_BATCH = 1000;
export const ABUSE_CONTACT_PAGE_SIZE = 50;
/** The longest search text: more is no search anyone types. */
export const MAX_ABUSE_CONTACT_QUERY = 200;

/** Why a change of the directory was refused: bad fields, a domain or ASN another contact has, no such contact. */
export class AbuseContactDirectoryError extends Error {
  constructor(
    readonly kind: 'invalid' | 'taken' | 'not_found',
    message: string,
    readonly problems: readonly AbuseContactProblem[] = [],
    readonly field?: 'domain' | 'asn',
  ) {
    super(message);
    this.name = 'AbuseContactDirectoryError';
  }
}

/** A page of the directory, and the cursor of the next one (null on the last). */
export interface AbuseContactPage {
  contacts: AbuseContactRow[];
  nextCursor: string | null;
}

export function encodeAbuseContactCursor(cursor: AbuseContactCursor): string {
  return Buffer.from(JSON.stringify([cursor.organisation, cursor.id])).toString('base64url');
}

/** undefined when the text is not a cursor this directory wrote. */
export function decodeAbuseContactCursor(text: string): AbuseContactCursor | undefined {
  try {
    const [organisation, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof organisation === 'string' && organisation.length <= 200 && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { organisation, id };
  } catch {
    // not JSON
  }
  return undefined;
}

/** What the audit log keeps of a contact: what it answers for, never its address. */
function audited(row: Pick<AbuseContactRow, 'organisation' | 'domain' | 'asn' | 'language'>) {
  return { organisation: row.organisation, domain: row.domain, asn: row.asn, language: row.language };
}

/**
 * The abuse-contact directory that notices to hosting providers are addressed from (admins, the
 * console, the CLI's CSV and RDAP imports). Each change is audited in its transaction; an import
 * is all or nothing and one audit event.
 */
export class AbuseContactDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** Contacts by organisation, `limit` a page; `text` filters (organisation, email, domain, note, ASN). */
  async page(query: { text?: string | null; cursor?: AbuseContactCursor | null; limit?: number }): Promise<AbuseContactPage> {
    const limit = query.limit ?? ABUSE_CONTACT_PAGE_SIZE;
    const text = query.text?.trim() ? query.text.trim().slice(0, MAX_ABUSE_CONTACT_QUERY) : null;
    const rows = await abuseContactRepository.page(this.dataSource, { text, after: query.cursor ?? null, limit: limit + 1 });
    const contacts = rows.slice(0, limit);
    const last = contacts[contacts.length - 1];
    return { contacts, nextCursor: rows.length > limit && last ? encodeAbuseContactCursor(last) : null };
  }

  get(id: string): Promise<AbuseContactRow | null> {
    return abuseContactRepository.find(this.dataSource, id);
  }

  async create(raw: RawAbuseContact, actor: AuditActor): Promise<AbuseContactRow> {
    const contact = checked(raw);
    return this.write(() =>
      this.dataSource.transaction(async (tx) => {
        const row = await abuseContactRepository.create(tx, uuidv7(), contact, 'manual');
        await this.audit.append({ actor, action: 'abuse_contact.created', target: { type: 'abuse_contact', id: row.id }, detail: audited(row) }, tx);
        return row;
      }),
    );
  }

  async update(id: string, raw: RawAbuseContact, actor: AuditActor): Promise<AbuseContactRow> {
    const contact = checked(raw);
    return this.write(() =>
      this.dataSource.transaction(async (tx) => {
        const row = await abuseContactRepository.update(tx, id, contact);
        if (!row) throw new AbuseContactDirectoryError('not_found', 'no such abuse contact');
        await this.audit.append({ actor, action: 'abuse_contact.updated', target: { type: 'abuse_contact', id }, detail: audited(row) }, tx);
        return row;
      }),
    );
  }

  async delete(id: string, actor: AuditActor): Promise<AbuseContactRow> {
    return this.dataSource.transaction(async (tx) => {
      const row = await abuseContactRepository.delete(tx, id);
      if (!row) throw new AbuseContactDirectoryError('not_found', 'no such abuse contact');
      await this.audit.append({ actor, action: 'abuse_contact.deleted', target: { type: 'abuse_contact', id }, detail: audited(row) }, tx);
      return row;
    });
  }

  /**
   * Writes checked contacts of an import (each domain and ASN once: the parsers see to it) in one
   * transaction: a known domain or ASN gets the new fields, the others are added. `detail` is for
   * the audit event (the file's name, what was skipped).
   */
  async import(
    contacts: readonly AbuseContact[],
    source: Exclude<AbuseContactSource, 'manual'>,
    actor: AuditActor,
    detail: Record<string, unknown> = {},
  ): Promise<{ created: number; updated: number }> {
    return this.dataSource.transaction(async (tx) => {
      let created = 0;
      let updated = 0;
      for (let start = 0; start < contacts.length; start += IMPORT_BATCH) {
        const batch = contacts.slice(start, start + IMPORT_BATCH).map((contact) => ({ ...contact, id: uuidv7() }));
        const counts = await abuseContactRepository.upsertMany(tx, batch, source);
        created += counts.created;
        updated += counts.updated;
      }
      await this.audit.append({ actor, action: 'abuse_contacts.imported', target: undefined, detail: { source, created, updated, ...detail } }, tx);
      return { created, updated };
    });
  }

  /** A write whose domain or ASN another contact holds is refused as such (the transaction rolled back). */
  private async write<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof AbuseContactTakenError) {
        throw new AbuseContactDirectoryError(
          'taken',
          `another abuse contact already answers for this ${error.field === 'asn' ? 'AS number' : 'domain'}`,
          [],
          error.field,
        );
      }
      throw error;
    }
  }
}

function checked(raw: RawAbuseContact): AbuseContact {
  const parsed = parseAbuseContact(raw);
  if ('problems' in parsed) throw new AbuseContactDirectoryError('invalid', parsed.problems.map((p) => `${p.field}: ${p.message}`).join('; '), parsed.problems);
  return parsed.contact;
}
