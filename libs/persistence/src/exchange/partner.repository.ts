import { Injectable } from '@nestjs/common';
import { SqlRunner, updateReturning } from '../sql';
import type { PartnerRow } from './partner.row';

/** A partner as the directory shows it: no private key, no previous key of theirs. */
export type PartnerEntryRow = Pick<
  PartnerRow,
  | 'id'
  | 'name'
  | 'countries'
  | 'base_url'
  | 'status'
  | 'rate_limit_per_minute'
  | 'their_key_id'
  | 'their_public_key'
  | 'our_key_id'
  | 'our_public_key'
  | 'our_next_key_id'
  | 'our_next_public_key'
  | 'created_at'
  | 'updated_at'
>;

/** A new partner, with our key pair for it (the private key encrypted by the caller). */
export type NewPartnerRow = Pick<
  PartnerRow,
  'id' | 'name' | 'countries' | 'base_url' | 'rate_limit_per_minute' | 'their_key_id' | 'their_public_key' | 'our_key_id' | 'our_public_key' | 'our_private_key_encrypted'
>;

/** What a change of a partner's keys or status needs to know, read under its row lock. */
export type LockedPartnerRow = Pick<PartnerRow, 'id' | 'status' | 'our_key_id' | 'our_next_key_id' | 'their_key_id'>;

/** The columns of PartnerEntryRow. */
const COLUMNS = `id, name, countries, base_url, status, rate_limit_per_minute, their_key_id, their_public_key, our_key_id, our_public_key, our_next_key_id, our_next_public_key, created_at, updated_at`;
/** A key id in use anywhere in the directory (a partner's current or previous key, our current or next key); $N is the key id. */
const KEY_IN_USE = (n: number) => `(their_key_id = $${n} OR our_key_id = $${n} OR our_next_key_id = $${n} OR previous_their_key_id = $${n})`;

/** partner: the partner hotlines we exchange reports with, their keys and ours. */
@Injectable()
export class PartnerRepository {
  /** Active partners, by name: who a confirmed case may be forwarded to. */
  listActive(db: SqlRunner): Promise<Pick<PartnerRow, 'id' | 'name' | 'countries'>[]> {
    return db.query(`SELECT id, name, countries FROM partner WHERE status = 'active' ORDER BY name`);
  }

  /** Names of these partners, sorted. */
  async namesOf(db: SqlRunner, ids: readonly string[]): Promise<string[]> {
    const rows: Pick<PartnerRow, 'name'>[] = await db.query(`SELECT name FROM partner WHERE id = ANY($1::uuid[]) ORDER BY name`, [ids]);
    return rows.map((row) => row.name);
  }

  // ---- the directory ----------------------------------------------------------------------

  /** All partners, by name. */
  list(db: SqlRunner): Promise<PartnerEntryRow[]> {
    return db.query(`SELECT ${COLUMNS} FROM partner ORDER BY name`);
  }

  async findByName(db: SqlRunner, name: string): Promise<PartnerEntryRow | null> {
    const [row]: PartnerEntryRow[] = await db.query(`SELECT ${COLUMNS} FROM partner WHERE name = $1`, [name]);
    return row ?? null;
  }

  async find(db: SqlRunner, id: string): Promise<PartnerEntryRow | null> {
    const [row]: PartnerEntryRow[] = await db.query(`SELECT ${COLUMNS} FROM partner WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** The partner of this name under its row lock, for the rest of the caller's transaction. */
  async lockByName(db: SqlRunner, name: string): Promise<LockedPartnerRow | null> {
    const [row]: LockedPartnerRow[] = await db.query(`SELECT id, status, our_key_id, our_next_key_id, their_key_id FROM partner WHERE name = $1 FOR UPDATE`, [name]);
    return row ?? null;
  }

  /** A partner named so, or using this key id anywhere (see KEY_IN_USE): its name, or null when none. */
  async findNameOrKeyClash(db: SqlRunner, name: string, keyId: string): Promise<string | null> {
    const [taken]: Pick<PartnerRow, 'name'>[] = await db.query(`SELECT name FROM partner WHERE name = $1 OR ${KEY_IN_USE(2)} LIMIT 1`, [name, keyId]);
    return taken?.name ?? null;
  }

  /** The name of a partner other than `exceptId` that uses this key id anywhere (see KEY_IN_USE), or null. */
  async findKeyHolder(db: SqlRunner, keyId: string, exceptId: string): Promise<string | null> {
    const [taken]: Pick<PartnerRow, 'name'>[] = await db.query(`SELECT name FROM partner WHERE ${KEY_IN_USE(1)} AND id <> $2 LIMIT 1`, [keyId, exceptId]);
    return taken?.name ?? null;
  }

  async insert(db: SqlRunner, partner: NewPartnerRow): Promise<PartnerEntryRow> {
    const [row]: PartnerEntryRow[] = await db.query(
      `INSERT INTO partner (id, name, countries, base_url, rate_limit_per_minute, their_key_id, their_public_key, our_key_id, our_public_key, our_private_key_encrypted)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [
        partner.id,
        partner.name,
        partner.countries,
        partner.base_url,
        partner.rate_limit_per_minute,
        partner.their_key_id,
        partner.their_public_key,
        partner.our_key_id,
        partner.our_public_key,
        partner.our_private_key_encrypted,
      ],
    );
    return row;
  }

  /** Disables a partner (the caller holds its lock, see lockByName). */
  async disable(db: SqlRunner, id: string): Promise<PartnerEntryRow> {
    const [row] = await updateReturning<PartnerEntryRow>(db, `UPDATE partner SET status = 'disabled', updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    return row;
  }

  // ---- keys -------------------------------------------------------------------------------

  /** Stores our next key pair for a partner (replacing a next one not yet activated); the private key encrypted by the caller. */
  async prepareNextKey(db: SqlRunner, id: string, next: { keyId: string; publicKey: string; privateKeyEncrypted: Buffer }): Promise<PartnerEntryRow> {
    const [row] = await updateReturning<PartnerEntryRow>(
      db,
      `UPDATE partner SET our_next_key_id = $2, our_next_public_key = $3, our_next_private_key_encrypted = $4, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, next.keyId, next.publicKey, next.privateKeyEncrypted],
    );
    return row;
  }

  /** Our next private key for a partner, encrypted, or null when none is prepared. */
  async sealedNextKey(db: SqlRunner, id: string): Promise<Buffer | null> {
    const [sealed]: Pick<PartnerRow, 'our_next_private_key_encrypted'>[] = await db.query(`SELECT our_next_private_key_encrypted FROM partner WHERE id = $1`, [id]);
    return sealed?.our_next_private_key_encrypted ?? null;
  }

  /**
   * Our next key becomes our current one (its private key re-encrypted by the caller as a current
   * key's: `privateKeyEncrypted`); the old one is dropped.
   */
  async activateNextKey(db: SqlRunner, id: string, privateKeyEncrypted: Buffer): Promise<PartnerEntryRow> {
    const [row] = await updateReturning<PartnerEntryRow>(
      db,
      `UPDATE partner SET our_key_id = our_next_key_id, our_public_key = our_next_public_key, our_private_key_encrypted = $2,
         our_next_key_id = NULL, our_next_public_key = NULL, our_next_private_key_encrypted = NULL, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, privateKeyEncrypted],
    );
    return row;
  }

  /** Installs a partner's new public key; their current one stays accepted for `graceSeconds` as their previous key. */
  async installTheirKey(
    db: SqlRunner,
    id: string,
    key: { keyId: string; publicKey: string },
    graceSeconds: number,
  ): Promise<PartnerEntryRow & { previous_their_key_until: Date }> {
    const [row] = await updateReturning<PartnerEntryRow & { previous_their_key_until: Date }>(
      db,
      `UPDATE partner SET previous_their_key_id = their_key_id, previous_their_public_key = their_public_key,
         previous_their_key_until = now() + make_interval(secs => $4), their_key_id = $2, their_public_key = $3, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}, previous_their_key_until`,
      [id, key.keyId, key.publicKey, graceSeconds],
    );
    return row;
  }

  /**
   * The active partner with a key of this id: its current key, or its previous one while still in
   * its grace period (`public_key` is the one that matched); null when none.
   */
  async findActiveByTheirKeyId(db: SqlRunner, keyId: string): Promise<(Pick<PartnerRow, 'id' | 'name' | 'countries'> & { public_key: string }) | null> {
    const [row]: (Pick<PartnerRow, 'id' | 'name' | 'countries'> & { public_key: string })[] = await db.query(
      `SELECT id, name, countries, CASE WHEN their_key_id = $1 THEN their_public_key ELSE previous_their_public_key END AS public_key
         FROM partner
        WHERE status = 'active' AND (their_key_id = $1 OR (previous_their_key_id = $1 AND previous_their_key_until > now()))
        LIMIT 1`,
      [keyId],
    );
    return row ?? null;
  }

  /** Our current key for a partner: its id and the private key, encrypted; null when no such partner. */
  async signingKey(db: SqlRunner, id: string): Promise<Pick<PartnerRow, 'our_key_id' | 'our_private_key_encrypted'> | null> {
    const [row]: Pick<PartnerRow, 'our_key_id' | 'our_private_key_encrypted'>[] = await db.query(
      `SELECT our_key_id, our_private_key_encrypted FROM partner WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  // ---- delivery ---------------------------------------------------------------------------

  /** Every partner, by name, with what its delivery worker needs. */
  listForDelivery(db: SqlRunner): Promise<Pick<PartnerRow, 'id' | 'name' | 'status' | 'rate_limit_per_minute'>[]> {
    return db.query(`SELECT id, name, status, rate_limit_per_minute FROM partner ORDER BY name`);
  }

  /** A partner's status, or null when there is no such partner. */
  async statusOf(db: SqlRunner, id: string): Promise<PartnerRow['status'] | null> {
    const [row]: Pick<PartnerRow, 'status'>[] = await db.query(`SELECT status FROM partner WHERE id = $1`, [id]);
    return row?.status ?? null;
  }

  /**
   * The partners a case came from (a report of one of its URLs filed by a partner's forward, or
   * the case itself marked so), each with their reference, by partner and reference.
   */
  originsOfCase(db: SqlRunner, caseId: string): Promise<{ partner_id: string; partner_reference: string }[]> {
    return db.query(
      `SELECT DISTINCT partner_id, partner_reference FROM (
         SELECT r.partner_id, r.partner_reference FROM reported_url ru JOIN report r ON r.id = ru.report_id
          WHERE ru.case_id = $1 AND r.partner_id IS NOT NULL AND r.partner_reference IS NOT NULL
         UNION
         SELECT partner_id, partner_reference FROM "case" WHERE id = $1 AND partner_id IS NOT NULL AND partner_reference IS NOT NULL
       ) AS origin ORDER BY partner_id, partner_reference`,
      [caseId],
    );
  }
}

export const partnerRepository = new PartnerRepository();
