import { AuditActor, AuditLog } from '@hotline/audit';
import type { MetricsRegistry } from '@hotline/observability';
import { FieldEncryption } from '@hotline/security';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { failOutgoingToDisabledPartner } from './outgoing-messages';
import { generateExchangeKeyPair, keyIdOf, parsePublicKey } from './request-signing';

/** A refused change to the partner directory, in words an operator can act on. */
export class PartnerDirectoryError extends Error {
  override readonly name = 'PartnerDirectoryError';

  constructor(
    message: string,
    /** invalid: bad input (of `field`); not_found: no such partner; conflict: clashes with another partner. */
    readonly kind: 'invalid' | 'not_found' | 'conflict' = 'invalid',
    readonly field?: string,
  ) {
    super(message);
  }
}

export type PartnerStatus = 'active' | 'disabled';

export interface Partner {
  id: string;
  name: string;
  countries: string[];
  baseUrl: string;
  status: PartnerStatus;
  rateLimitPerMinute: number;
  /** Their key: verifies what they send us. */
  theirKeyId: string;
  theirPublicKey: string;
  /** Our key for them: they verify what we send with it (give them ourPublicKey). */
  ourKeyId: string;
  ourPublicKey: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What the inbound endpoint needs to check a request from a partner. */
export interface PartnerVerifier {
  id: string;
  name: string;
  countries: string[];
  theirKeyId: string;
  theirPublicKey: string;
}

export interface NewPartner {
  name: string;
  countries: string[];
  baseUrl: string;
  theirPublicKey: string;
  rateLimitPerMinute?: number;
}

export const PARTNER_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const COUNTRY = /^[A-Z]{2}$/;
const MAX_RATE_LIMIT = 100_000;
const PRIVATE_KEY_AD = (partnerId: string) => `partner.key:${partnerId}`;
const COLUMNS = `id, name, countries, base_url, status, rate_limit_per_minute, their_key_id, their_public_key, our_key_id, our_public_key, created_at, updated_at`;

/**
 * The partner hotlines we exchange cases with, and both sides' signing keys: theirs (public, to
 * verify them) and a pair of ours per partner (the private key stored encrypted with the apps'
 * field-encryption keys). Every change is audited in its transaction.
 */
export class PartnerDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly encryption: FieldEncryption,
    private readonly audit: AuditLog,
    /** Where disabling counts the messages it fails (hotline_exchange_delivery_failures_total); optional. */
    private readonly metrics?: MetricsRegistry,
  ) {}

  /** Registers a partner and makes our key pair for it; give them `ourPublicKey`. */
  async add(input: NewPartner, actor: AuditActor): Promise<Partner> {
    const name = checkName(input.name);
    const countries = checkCountries(input.countries);
    const baseUrl = checkBaseUrl(input.baseUrl);
    const theirPublicKey = checkPublicKey(input.theirPublicKey);
    const rateLimit = checkRateLimit(input.rateLimitPerMinute ?? 60);
    const theirKeyId = keyIdOf(theirPublicKey);
    const id = randomUUID();
    const ours = generateExchangeKeyPair();
    return this.dataSource.transaction(async (tx) => {
      const [taken] = await tx.query(`SELECT name, their_key_id = $2 AS same_key FROM partner WHERE name = $1 OR their_key_id = $2 OR our_key_id = $2 LIMIT 1`, [name, theirKeyId]);
      if (taken) {
        throw taken.name === name
          ? new PartnerDirectoryError(`a partner named ${name} exists`, 'conflict', 'name')
          : new PartnerDirectoryError(`this public key is already registered (partner ${taken.name})`, 'conflict', 'publicKey');
      }
      const [row] = await tx.query(
        `INSERT INTO partner (id, name, countries, base_url, rate_limit_per_minute, their_key_id, their_public_key, our_key_id, our_public_key, our_private_key_encrypted)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
        [id, name, countries, baseUrl, rateLimit, theirKeyId, theirPublicKey, ours.keyId, ours.publicKey, this.encryption.encrypt(ours.privateKey, PRIVATE_KEY_AD(id))],
      );
      await this.audit.append(
        { actor, action: 'partner.added', target: { type: 'partner', id }, detail: { name, countries, baseUrl, rateLimitPerMinute: rateLimit, theirKeyId, ourKeyId: ours.keyId } },
        tx,
      );
      return toPartner(row);
    });
  }

  async list(): Promise<Partner[]> {
    const rows = await this.dataSource.query(`SELECT ${COLUMNS} FROM partner ORDER BY name`);
    return rows.map(toPartner);
  }

  async get(name: string): Promise<Partner | null> {
    if (!PARTNER_NAME.test(name)) return null;
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM partner WHERE name = $1`, [name]);
    return row ? toPartner(row) : null;
  }

  /**
   * Stops all exchange with a partner: its requests are refused, nothing more is sent to it. What
   * was still to be delivered to it fails in the same transaction, visibly (failOutgoingToDisabledPartner):
   * its forwards' cases say "forward failed: partner <name> is disabled" and are routed again.
   */
  async disable(name: string, actor: AuditActor): Promise<Partner> {
    const { partner, failed } = await this.dataSource.transaction(async (tx) => {
      const locked = await lockPartner(tx, name);
      const row = updatedRow(await tx.query(`UPDATE partner SET status = 'disabled', updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [locked.id]));
      const failed = await failOutgoingToDisabledPartner(tx, { id: locked.id, name });
      await this.audit.append(
        {
          actor,
          action: 'partner.disabled',
          target: { type: 'partner', id: locked.id },
          detail: { name, was: locked.status, failedMessages: failed.length },
        },
        tx,
      );
      return { partner: toPartner(row), failed };
    });
    const counted = failed.filter((message) => message.wasPending).length;
    if (counted > 0) {
      this.metrics
        ?.counter('hotline_exchange_delivery_failures_total', 'Outgoing exchange messages that could not be delivered (dead letters)', ['partner'])
        .inc({ partner: name }, counted);
    }
    return partner;
  }

  /** A new key pair of ours for a partner; returns the partner with the new `ourPublicKey` to give them. */
  async rotateKey(name: string, actor: AuditActor): Promise<Partner> {
    const ours = generateExchangeKeyPair();
    return this.dataSource.transaction(async (tx) => {
      const partner = await lockPartner(tx, name);
      const row = updatedRow(await tx.query(
        `UPDATE partner SET our_key_id = $2, our_public_key = $3, our_private_key_encrypted = $4, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [partner.id, ours.keyId, ours.publicKey, this.encryption.encrypt(ours.privateKey, PRIVATE_KEY_AD(partner.id))],
      ));
      await this.audit.append(
        { actor, action: 'partner.key_rotated', target: { type: 'partner', id: partner.id }, detail: { name, from: partner.our_key_id, to: ours.keyId } },
        tx,
      );
      return toPartner(row);
    });
  }

  /** Installs a partner's new public key (they rotated theirs). */
  async setKey(name: string, theirPublicKey: string, actor: AuditActor): Promise<Partner> {
    const key = checkPublicKey(theirPublicKey);
    const keyId = keyIdOf(key);
    return this.dataSource.transaction(async (tx) => {
      const partner = await lockPartner(tx, name);
      const [taken] = await tx.query(`SELECT name FROM partner WHERE (their_key_id = $1 OR our_key_id = $1) AND id <> $2 LIMIT 1`, [keyId, partner.id]);
      if (taken) throw new PartnerDirectoryError(`this public key is already registered (partner ${taken.name})`, 'conflict', 'publicKey');
      const row = updatedRow(await tx.query(`UPDATE partner SET their_key_id = $2, their_public_key = $3, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [
        partner.id,
        keyId,
        key,
      ]));
      await this.audit.append(
        { actor, action: 'partner.key_set', target: { type: 'partner', id: partner.id }, detail: { name, from: partner.their_key_id, to: keyId } },
        tx,
      );
      return toPartner(row);
    });
  }

  /** The active partner whose key has this id (the X-Hotline-Key-Id of a request), or null. */
  async findByTheirKeyId(keyId: string): Promise<PartnerVerifier | null> {
    if (typeof keyId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(keyId)) return null;
    const [row] = await this.dataSource.query(
      `SELECT id, name, countries, their_key_id, their_public_key FROM partner WHERE their_key_id = $1 AND status = 'active'`,
      [keyId],
    );
    return row ? { id: row.id, name: row.name, countries: row.countries, theirKeyId: row.their_key_id, theirPublicKey: row.their_public_key } : null;
  }

  /** Our key for signing what we send a partner: key id and PKCS#8 private key (base64), decrypted. */
  async signingKey(partnerId: string, manager: EntityManager | DataSource = this.dataSource): Promise<{ keyId: string; privateKey: string }> {
    const [row] = await manager.query(`SELECT our_key_id, our_private_key_encrypted FROM partner WHERE id = $1`, [partnerId]);
    if (!row) throw new PartnerDirectoryError(`no partner ${partnerId}`, 'not_found');
    return { keyId: row.our_key_id, privateKey: this.encryption.decrypt(row.our_private_key_encrypted, PRIVATE_KEY_AD(partnerId)) };
  }
}

async function lockPartner(tx: EntityManager, name: string): Promise<{ id: string; status: PartnerStatus; our_key_id: string; their_key_id: string }> {
  const [partner] = PARTNER_NAME.test(name) ? await tx.query(`SELECT id, status, our_key_id, their_key_id FROM partner WHERE name = $1 FOR UPDATE`, [name]) : [];
  if (!partner) throw new PartnerDirectoryError(`no partner ${name}`, 'not_found', 'name');
  return partner;
}

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || !PARTNER_NAME.test(name)) {
    throw new PartnerDirectoryError('a partner name is 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit', 'invalid', 'name');
  }
  return name;
}

/** ISO 3166-1 alpha-2 codes in capitals, at least one; duplicates dropped. */
export function checkCountries(countries: unknown): string[] {
  const list = typeof countries === 'string' ? countries.split(',').map((c) => c.trim()) : countries;
  if (!Array.isArray(list) || list.length === 0 || list.length > 250 || !list.every((c) => typeof c === 'string' && COUNTRY.test(c))) {
    throw new PartnerDirectoryError('countries are ISO 3166-1 alpha-2 codes in capitals, e.g. DE,AT', 'invalid', 'countries');
  }
  return [...new Set(list as string[])];
}

/** An http(s) URL without credentials, query or fragment; the trailing slash dropped. */
export function checkBaseUrl(baseUrl: unknown): string {
  const invalid = () => new PartnerDirectoryError('the base URL is an http:// or https:// URL without credentials, query or fragment, e.g. https://hotline.example', 'invalid', 'baseUrl');
  if (typeof baseUrl !== 'string' || baseUrl.length > 2048 || /[\u0000-\u0020\u007f]/.test(baseUrl)) throw invalid();
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalid();
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash || !url.hostname) throw invalid();
  return url.href.replace(/\/+$/, '');
}

/** An Ed25519 public key, base64 SPKI DER (as `partner:add` prints ours); returned normalised. */
export function checkPublicKey(publicKey: unknown): string {
  const key = typeof publicKey === 'string' && publicKey.length <= 200 ? parsePublicKey(publicKey.trim()) : null;
  if (!key) throw new PartnerDirectoryError('the public key must be an Ed25519 public key, base64 SPKI DER', 'invalid', 'publicKey');
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

export function checkRateLimit(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RATE_LIMIT) {
    throw new PartnerDirectoryError(`the rate limit is an integer 1..${MAX_RATE_LIMIT} (messages per minute)`, 'invalid', 'rateLimitPerMinute');
  }
  return value;
}

/** The row an UPDATE ... RETURNING gave (TypeORM answers [rows, count] for UPDATE). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function updatedRow(result: any[]): any {
  return Array.isArray(result[0]) ? result[0][0] : result[0];
}

function toPartner(row: {
  id: string;
  name: string;
  countries: string[];
  base_url: string;
  status: PartnerStatus;
  rate_limit_per_minute: number;
  their_key_id: string;
  their_public_key: string;
  our_key_id: string;
  our_public_key: string;
  created_at: Date;
  updated_at: Date;
}): Partner {
  return {
    id: row.id,
    name: row.name,
    countries: row.countries,
    baseUrl: row.base_url,
    status: row.status,
    rateLimitPerMinute: row.rate_limit_per_minute,
    theirKeyId: row.their_key_id,
    theirPublicKey: row.their_public_key,
    ourKeyId: row.our_key_id,
    ourPublicKey: row.our_public_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
