import { Injectable } from '@nestjs/common';
import { SqlRunner, updateReturning } from '../sql';
import type { AbuseContactFields, AbuseContactRow, AbuseContactSource } from './abuse-contact.row';

/** The columns of AbuseContactRow; asn as text, so no bigint is lost in transit (see toRow). */
const COLUMNS = `id, organisation, email, language, domain, asn::text AS asn, source, note, created_at, updated_at`;

type StoredRow = Omit<AbuseContactRow, 'asn'> & { asn: string | null };

function toRow(row: StoredRow): AbuseContactRow {
  return { ...row, asn: row.asn === null ? null : Number(row.asn) };
}

/** A position in the list (organisation, then id): the last contact of the page before. */
export interface AbuseContactCursor {
  organisation: string;
  id: string;
}

export interface AbuseContactPageQuery {
  /** Text found (case-insensitively) in the organisation, email, domain or note, or the ASN's digits; null: all. */
  text: string | null;
  after: AbuseContactCursor | null;
  limit: number;
}

/** A contact of an import, with its id (used when it is new). */
export interface AbuseContactImportRow extends AbuseContactFields {
  id: string;
}

/**
 * The domain or ASN of a contact is already another contact's (the unique indexes
 * abuse_contact_domain_uq / abuse_contact_asn_uq refused it). The statement failed: when the caller
 * runs in a transaction, that transaction is spoilt and must be rolled back.
 */
export class AbuseContactTakenError extends Error {
  constructor(readonly field: 'domain' | 'asn') {
    super(`another abuse contact already has this ${field}`);
    this.name = 'AbuseContactTakenError';
  }
}

/** The unique violation of a domain or ASN as AbuseContactTakenError; anything else as it is. */
function taken(error: unknown): unknown {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code !== '23505') return error;
  if (constraint === 'abuse_contact_domain_uq') return new AbuseContactTakenError('domain');
  if (constraint === 'abuse_contact_asn_uq') return new AbuseContactTakenError('asn');
  return error;
}

/** `%text%` for ILIKE, with LIKE's wildcards and escape character taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** abuse_contact: the directory of hosting providers' abuse desks that notices go to. */
@Injectable()
export class AbuseContactRepository {
  /**
   * The desk a notice about content on this host goes to: the registrable domain's own contact
   * when there is one (a site's abuse desk knows its content best), else its network's (ASN); null
   * when neither is known.
   */
  async findForHost(db: SqlRunner, host: { registrableDomain: string | null; asn: number | null }): Promise<AbuseContactRow | null> {
    if (host.registrableDomain === null && host.asn === null) return null;
    const rows: StoredRow[] = await db.query(
      `SELECT ${COLUMNS} FROM abuse_contact
        WHERE domain = $1 OR asn = $2
        ORDER BY (domain IS NOT NULL) DESC LIMIT 1`,
      [host.registrableDomain, host.asn],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async find(db: SqlRunner, id: string): Promise<AbuseContactRow | null> {
    const [row]: StoredRow[] = await db.query(`SELECT ${COLUMNS} FROM abuse_contact WHERE id = $1`, [id]);
    return row ? toRow(row) : null;
  }

  /** One page of contacts by organisation (then id), keyset-paginated, optionally only those matching a text. */
  async page(db: SqlRunner, query: AbuseContactPageQuery): Promise<AbuseContactRow[]> {
    const params: unknown[] = [query.text === null ? null : containing(query.text), query.limit];
    let after = '';
    if (query.after) {
      params.push(query.after.organisation, query.after.id);
      after = `AND (organisation, id) > ($3, $4::uuid)`;
    }
    const rows: StoredRow[] = await db.query(
      `SELECT ${COLUMNS} FROM abuse_contact
        WHERE ($1::text IS NULL OR organisation ILIKE $1 OR email ILIKE $1 OR domain ILIKE $1 OR note ILIKE $1 OR asn::text ILIKE $1) ${after}
        ORDER BY organisation, id LIMIT $2`,
      params,
    );
    return rows.map(toRow);
  }

  /** Adds a contact; AbuseContactTakenError when its domain or ASN is another contact's. */
  async create(db: SqlRunner, id: string, contact: AbuseContactFields, source: AbuseContactSource): Promise<AbuseContactRow> {
    try {
      const [row]: StoredRow[] = await db.query(
        `INSERT INTO abuse_contact (id, organisation, email, language, domain, asn, source, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [id, contact.organisation, contact.email, contact.language, contact.domain, contact.asn, source, contact.note],
      );
      return toRow(row);
    } catch (error) {
      throw taken(error);
    }
  }

  /** Replaces a contact's fields (its source becomes manual: an admin vouches for it now); null when there is no such contact. */
  async update(db: SqlRunner, id: string, contact: AbuseContactFields): Promise<AbuseContactRow | null> {
    try {
      const [row] = await updateReturning<StoredRow>(
        db,
        `UPDATE abuse_contact SET organisation = $2, email = $3, language = $4, domain = $5, asn = $6, note = $7, source = 'manual', updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, contact.organisation, contact.email, contact.language, contact.domain, contact.asn, contact.note],
      );
      return row ? toRow(row) : null;
    } catch (error) {
      throw taken(error);
    }
  }

  /** Deletes a contact (notices already sent to it keep their recipient; their link is cleared); the row deleted, or null. */
  async delete(db: SqlRunner, id: string): Promise<AbuseContactRow | null> {
    const [row] = await updateReturning<StoredRow>(db, `DELETE FROM abuse_contact WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    return row ? toRow(row) : null;
  }

  /**
   * Imports a batch in one statement: a contact whose domain (or ASN) is known replaces that
   * contact's fields, keeping its id; any other is added with its id. The batch should hold each
   * domain and ASN once (the parsers refuse repeats); should one come twice, its first wins.
   * Returns how many were added and how many replaced.
   */
  async upsertMany(db: SqlRunner, rows: readonly AbuseContactImportRow[], source: AbuseContactSource): Promise<{ created: number; updated: number }> {
    if (rows.length === 0) return { created: 0, updated: 0 };
    // Two inserts in one statement, one per unique index (ON CONFLICT takes a single arbiter);
    // they touch disjoint rows. xmax is 0 only on a row this statement inserted.
    const [counts] = await db.query(
      `WITH incoming AS (
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[]) WITH ORDINALITY
           AS t(id, organisation, email, language, domain, asn, note, n)
       ), by_domain AS (
         INSERT INTO abuse_contact (id, organisation, email, language, domain, asn, source, note)
         SELECT DISTINCT ON (domain) id, organisation, email, language, domain, NULL, $8, note FROM incoming WHERE domain IS NOT NULL ORDER BY domain, n
         ON CONFLICT (domain) WHERE domain IS NOT NULL DO UPDATE
           SET organisation = excluded.organisation, email = excluded.email, language = excluded.language, note = excluded.note,
               source = excluded.source, updated_at = now()
         RETURNING (xmax = 0) AS inserted
       ), by_asn AS (
         INSERT INTO abuse_contact (id, organisation, email, language, domain, asn, source, note)
         SELECT DISTINCT ON (asn) id, organisation, email, language, NULL, asn, $8, note FROM incoming WHERE domain IS NULL AND asn IS NOT NULL ORDER BY asn, n
         ON CONFLICT (asn) WHERE asn IS NOT NULL DO UPDATE
           SET organisation = excluded.organisation, email = excluded.email, language = excluded.language, note = excluded.note,
               source = excluded.source, updated_at = now()
         RETURNING (xmax = 0) AS inserted
       ), upserted AS (SELECT inserted FROM by_domain UNION ALL SELECT inserted FROM by_asn)
       SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM upserted`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.organisation),
        rows.map((r) => r.email),
        rows.map((r) => r.language),
        rows.map((r) => r.domain),
        rows.map((r) => (r.asn === null ? null : String(r.asn))),
        rows.map((r) => r.note),
        source,
      ],
    );
    return counts;
  }
}

export const abuseContactRepository = new AbuseContactRepository();
