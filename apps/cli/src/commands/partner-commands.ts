import { AuditLog } from '@hotline/audit';
import { HotlineConfig } from '@hotline/config';
import { Partner, PartnerDirectory, PartnerDirectoryError, PREVIOUS_THEIR_KEY_GRACE_MS } from '@hotline/exchange';
import { FieldEncryption } from '@hotline/security';
import type { DataSource } from 'typeorm';
import { UsageError } from './usage-error';
import { CLI_ACTOR } from './user-create';

/** The partner directory with the apps' field-encryption keys (our private keys are stored encrypted). */
export function partnerDirectory(dataSource: DataSource, config: HotlineConfig): PartnerDirectory {
  return new PartnerDirectory(dataSource, new FieldEncryption(config.fieldEncryptionKeys), new AuditLog(dataSource));
}

/** Runs a directory change; its refusals are bad input (exit 2), in the directory's own words. */
async function partnerChange<T>(command: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof PartnerDirectoryError) throw new UsageError(`${command}: ${error.message}`);
    throw error;
  }
}

export interface PartnerAddOptions {
  name: string;
  countries: string;
  baseUrl: string;
  publicKey: string;
  rateLimit?: number;
  json?: boolean;
}

/** What is printed of a partner: never a private key. */
function summary(partner: Partner) {
  return {
    id: partner.id,
    name: partner.name,
    countries: partner.countries,
    baseUrl: partner.baseUrl,
    status: partner.status,
    rateLimitPerMinute: partner.rateLimitPerMinute,
    theirKeyId: partner.theirKeyId,
    ourKeyId: partner.ourKeyId,
    ourPublicKey: partner.ourPublicKey,
    nextKeyId: partner.nextKeyId,
  };
}

/** `partner:add`: registers a partner and prints our public key for it (the partner registers that). */
export async function partnerAdd(directory: PartnerDirectory, options: PartnerAddOptions): Promise<string> {
  const partner = await partnerChange('partner:add', () =>
    directory.add(
      {
        name: options.name,
        countries: options.countries.split(',').map((country) => country.trim()),
        baseUrl: options.baseUrl,
        theirPublicKey: options.publicKey,
        rateLimitPerMinute: options.rateLimit,
      },
      CLI_ACTOR,
    ),
  );
  if (options.json) return `${JSON.stringify(summary(partner))}\n`;
  return (
    `added partner ${partner.name} (${partner.id}) for ${partner.countries.join(',')} at ${partner.baseUrl}\n` +
    `our key id: ${partner.ourKeyId}\n` +
    `our public key (give it to ${partner.name}): ${partner.ourPublicKey}\n`
  );
}

/** `partner:list`: one line per partner, name first. */
export async function partnerList(directory: PartnerDirectory, json?: boolean): Promise<string> {
  const partners = await directory.list();
  if (json) return `${JSON.stringify(partners.map(summary))}\n`;
  if (partners.length === 0) return 'no partners\n';
  return partners
    .map((p) => `${p.name} ${p.status} ${p.countries.join(',')} ${p.baseUrl} ${p.rateLimitPerMinute}/min their-key ${p.theirKeyId} our-key ${p.ourKeyId}\n`)
    .join('');
}

export async function partnerDisable(directory: PartnerDirectory, name: string): Promise<string> {
  const partner = await partnerChange('partner:disable', () => directory.disable(name, CLI_ACTOR));
  return `disabled partner ${partner.name} (${partner.id})\n`;
}

/**
 * `partner:rotate-key <name>`: makes our next key pair for a partner and prints its key id and
 * public key (for the partner to install); we keep signing with the current key. With `activate`
 * (`--activate`, once the partner has installed it): the next key becomes current.
 */
export async function partnerRotateKey(directory: PartnerDirectory, name: string, json?: boolean, activate?: boolean): Promise<string> {
  if (activate) {
    const partner = await partnerChange('partner:rotate-key --activate', () => directory.activateKey(name, CLI_ACTOR));
    if (json) return `${JSON.stringify({ id: partner.id, name: partner.name, ourKeyId: partner.ourKeyId, ourPublicKey: partner.ourPublicKey })}\n`;
    return `activated our next key for ${partner.name}: we now sign with key id ${partner.ourKeyId}\n`;
  }
  const partner = await partnerChange('partner:rotate-key', () => directory.rotateKey(name, CLI_ACTOR));
  if (json) {
    return `${JSON.stringify({ id: partner.id, name: partner.name, ourKeyId: partner.ourKeyId, nextKeyId: partner.nextKeyId, nextPublicKey: partner.nextPublicKey })}\n`;
  }
  return (
    `prepared a next key of ours for ${partner.name} (we still sign with key id ${partner.ourKeyId})\n` +
    `next key id: ${partner.nextKeyId}\n` +
    `next public key (give it to ${partner.name}): ${partner.nextPublicKey}\n` +
    `once ${partner.name} has installed it: partner:rotate-key ${partner.name} --activate\n`
  );
}

export async function partnerSetKey(directory: PartnerDirectory, name: string, publicKey: string): Promise<string> {
  const partner = await partnerChange('partner:set-key', () => directory.setKey(name, publicKey, CLI_ACTOR));
  return `installed the new public key of ${partner.name}: key id ${partner.theirKeyId} (its previous key is still accepted for ${PREVIOUS_THEIR_KEY_GRACE_MS / 3_600_000} hours)\n`;
}
