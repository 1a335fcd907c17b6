import { AuditActor, AuditLog } from '@hotline/audit';
import type { MetricsRegistry } from '@hotline/observability';
import { type LockedPartnerRow, type PartnerEntryRow, partnerRepository, type SqlRunner } from '@hotline/persistence';
import { FieldEncryption } from '@hotline/security';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { failOutgoingToDisabledPartner } from './outgoing-messages';
import { generateExchangeKeyPair, keyIdOf, parsePublicKey } from './request-signing';

/** How long a partner's base URL may be. */
export const MAX_PARTNER_BASE_URL_LENGTH = 2048;

/**
 * Why a change is not possible as the partner is now (kind `state`), as a code: the staff API
 * answers each with a problem of its own, in the admin's language (apps/console-api partners).
 */
export type PartnerStateReason = 'no_next_key';

/** A refused change to the partner directory, in words an operator can act on. */
export class PartnerDirectoryError extends Error {
  override readonly name = 'PartnerDirectoryError';

  constructor(
    message: string,
    /**
     * invalid: bad input (of `field`); not_found: no such partner; conflict: clashes with another
     * partner; state: not possible as the partner is now (e.g. activating a key never prepared).
     */
    readonly kind: 'invalid' | 'not_found' | 'conflict' | 'state' = 'invalid',
    readonly field?: string,
    /** For kind `state`: which state, and of which partner. */
    readonly state?: { reason: PartnerStateReason; partner: string },
  ) {
    super(message);
  }
}

export const PARTNER_STATUSES = ['active', 'disabled'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

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
  /** Our next key, prepared by rotateKey and not yet activated (give them nextPublicKey); null when none. */
  nextKeyId: string | null;
  nextPublicKey: string | null;
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
/** Associated data of our next private key: a sealed next key cannot be passed off as a current one. */
const NEXT_PRIVATE_KEY_AD = (partnerId: string) => `partner.next-key:${partnerId}`;
/**
 * How long a partner's previous public key is still accepted after `setKey` installs a new one:
 * what they signed (and queued, and retry) with the old key before switching is not refused.
 * A day covers their retries and an operator's working day between installing and switching.
 */
export const PREVIOUS_THEIR_KEY_GRACE_MS = 24 * 60 * 60 * 1000;

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
      const taken = await partnerRepository.findNameOrKeyClash(tx, name, theirKeyId);
      if (taken) {
        throw taken === name
          ? new PartnerDirectoryError(`a partner named ${name} exists`, 'conflict', 'name')
          : new PartnerDirectoryError(`this public key is already registered (partner ${taken})`, 'conflict', 'publicKey');
      }
      const row = await partnerRepository.insert(tx, {
        id,
        name,
        countries,
        base_url: baseUrl,
        rate_limit_per_minute: rateLimit,
        their_key_id: theirKeyId,
        their_public_key: theirPublicKey,
        our_key_id: ours.keyId,
        our_public_key: ours.publicKey,
        our_private_key_encrypted: this.encryption.encrypt(ours.privateKey, PRIVATE_KEY_AD(id)),
      });
      await this.audit.append(
        {
          actor,
          action: 'partner.added',
          target: { type: 'partner', id },
          detail: { name, countries, baseUrl, rateLimitPerMinute: rateLimit, theirKeyId, ourKeyId: ours.keyId },
        },
        tx,
      );
      return toPartner(row);
    });
  }

  async list(): Promise<Partner[]> {
    const rows = await partnerRepository.list(this.dataSource);
    return rows.map(toPartner);
  }

  async get(name: string): Promise<Partner | null> {
    if (!PARTNER_NAME.test(name)) return null;
    const row = await partnerRepository.findByName(this.dataSource, name);
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
      const row = await partnerRepository.disable(tx, locked.id);
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

  /**
   * Step 1 of a gapless rotation of our key: makes our NEXT key pair for a partner (replacing a next
   * one not yet activated) and returns the partner with `nextKeyId` and `nextPublicKey` to give
   * them. We keep signing with the current key until `activateKey`.
   */
  async rotateKey(name: string, actor: AuditActor): Promise<Partner> {
    const next = generateExchangeKeyPair();
    return this.dataSource.transaction(async (tx) => {
      const partner = await lockPartner(tx, name);
      const row = await partnerRepository.prepareNextKey(tx, partner.id, {
        keyId: next.keyId,
        publicKey: next.publicKey,
        privateKeyEncrypted: this.encryption.encrypt(next.privateKey, NEXT_PRIVATE_KEY_AD(partner.id)),
      });
      await this.audit.append(
        {
          actor,
          action: 'partner.key_prepared',
          target: { type: 'partner', id: partner.id },
          detail: { name, current: partner.our_key_id, next: next.keyId, replaced: partner.our_next_key_id },
        },
        tx,
      );
      return toPartner(row);
    });
  }

  /**
   * Step 3 of a gapless rotation (after the partner installed our next public key): the next key
   * becomes current, the old one is dropped, and everything we sign from now on uses it.
   */
  async activateKey(name: string, actor: AuditActor): Promise<Partner> {
    return this.dataSource.transaction(async (tx) => {
      const partner = await lockPartner(tx, name);
      const sealed = await partnerRepository.sealedNextKey(tx, partner.id);
      if (!partner.our_next_key_id || !sealed) {
        throw new PartnerDirectoryError(`partner ${name} has no next key to activate: prepare one with rotate-key first and give it to the partner`, 'state', 'name', {
          reason: 'no_next_key',
          partner: name,
        });
      }
      const privateKey = this.encryption.decrypt(sealed, NEXT_PRIVATE_KEY_AD(partner.id));
      const row = await partnerRepository.activateNextKey(tx, partner.id, this.encryption.encrypt(privateKey, PRIVATE_KEY_AD(partner.id)));
      await this.audit.append(
        { actor, action: 'partner.key_activated', target: { type: 'partner', id: partner.id }, detail: { name, from: partner.our_key_id, to: row.our_key_id } },
        tx,
      );
      return toPartner(row);
    });
  }

  /**
   * Installs a partner's new public key (they rotated theirs). Their previous key stays valid for
   * PREVIOUS_THEIR_KEY_GRACE_MS, so what they signed before switching is still accepted. Installing
   * the key that is already current changes nothing (a repeated set-key keeps the grace period).
   */
  async setKey(name: string, theirPublicKey: string, actor: AuditActor): Promise<Partner> {
    const key = checkPublicKey(theirPublicKey);
    const keyId = keyIdOf(key);
    return this.dataSource.transaction(async (tx) => {
      const partner = await lockPartner(tx, name);
      const taken = await partnerRepository.findKeyHolder(tx, keyId, partner.id);
      if (taken) throw new PartnerDirectoryError(`this public key is already registered (partner ${taken})`, 'conflict', 'publicKey');
      if (keyId === partner.their_key_id) {
        const unchanged = await partnerRepository.find(tx, partner.id);
        return toPartner(unchanged!); // locked: it exists
      }
      const row = await partnerRepository.installTheirKey(tx, partner.id, { keyId, publicKey: key }, PREVIOUS_THEIR_KEY_GRACE_MS / 1000);
      await this.audit.append(
        {
          actor,
          action: 'partner.key_set',
          target: { type: 'partner', id: partner.id },
          detail: { name, from: partner.their_key_id, to: keyId, previousValidUntil: new Date(row.previous_their_key_until).toISOString() },
        },
        tx,
      );
      return toPartner(row);
    });
  }

  /**
   * The active partner with a key of this id (the X-Hotline-Key-Id of a request), or null: its
   * current key, or its previous one while still in its grace period. The public key returned is
   * the one that matched.
   */
  async findByTheirKeyId(keyId: string): Promise<PartnerVerifier | null> {
    if (typeof keyId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(keyId)) return null;
    const row = await partnerRepository.findActiveByTheirKeyId(this.dataSource, keyId);
    return row ? { id: row.id, name: row.name, countries: row.countries, theirKeyId: keyId, theirPublicKey: row.public_key } : null;
  }

  /** Our (current, never the next) key for signing what we send a partner: key id and PKCS#8 private key (base64), decrypted. */
  async signingKey(partnerId: string, manager: SqlRunner = this.dataSource): Promise<{ keyId: string; privateKey: string }> {
    const row = await partnerRepository.signingKey(manager, partnerId);
    if (!row) throw new PartnerDirectoryError(`no partner ${partnerId}`, 'not_found');
    return { keyId: row.our_key_id, privateKey: this.encryption.decrypt(row.our_private_key_encrypted, PRIVATE_KEY_AD(partnerId)) };
  }
}

async function lockPartner(tx: EntityManager, name: string): Promise<LockedPartnerRow> {
  const partner = PARTNER_NAME.test(name) ? await partnerRepository.lockByName(tx, name) : null;
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
  const invalid = () =>
    new PartnerDirectoryError('the base URL is an http:// or https:// URL without credentials, query or fragment, e.g. https://hotline.example', 'invalid', 'baseUrl');
  if (typeof baseUrl !== 'string' || baseUrl.length > MAX_PARTNER_BASE_URL_LENGTH || /[\u0000-\u0020\u007f]/.test(baseUrl)) throw invalid();
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

function toPartner(row: PartnerEntryRow): Partner {
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
    nextKeyId: row.our_next_key_id,
    nextPublicKey: row.our_next_public_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
