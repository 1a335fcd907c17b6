import { AuditActor, AuditLog } from '@hotline/audit';
import { API_KEY_SCOPES, apiKeyRepository, ApiKeyRow, ApiKeyScope } from '@hotline/persistence';
import { newApiKey, uuidv7 } from '@hotline/security';
import type { DataSource } from 'typeorm';

export const MAX_API_KEY_NAME_LENGTH = 100;
export const MAX_DAILY_QUOTA = 10_000_000;

/** Why a key change was refused: bad input (`field` names it), no such key, a key already revoked. */
export class ApiKeyDeskError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not_found' | 'revoked',
    message: string,
    readonly field?: 'name' | 'scopes' | 'dailyQuota',
  ) {
    super(message);
    this.name = 'ApiKeyDeskError';
  }
}

export interface NewApiKeyInput {
  name: string;
  scopes: readonly string[];
  /** bulk_reports only: URLs a day; null or absent: config.bulkDailyQuota. */
  dailyQuota?: number | null;
}

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** The name, scopes and quota of a new key, checked: every problem of the first field that has one. */
export function checkNewApiKey(input: NewApiKeyInput): { name: string; scopes: ApiKeyScope[]; dailyQuota: number | null } {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '' || [...name].length > MAX_API_KEY_NAME_LENGTH)
    throw new ApiKeyDeskError('invalid', `the name must be 1 to ${MAX_API_KEY_NAME_LENGTH} characters`, 'name');
  if (/[\u0000-\u001f\u007f]|[\ud800-\udfff]/.test(name)) throw new ApiKeyDeskError('invalid', 'the name must not contain control characters', 'name');
  const scopes = Array.isArray(input.scopes) ? [...new Set(input.scopes)] : [];
  if (scopes.length === 0) throw new ApiKeyDeskError('invalid', `give at least one scope (${API_KEY_SCOPES.join(', ')})`, 'scopes');
  const unknown = scopes.find((scope) => !isApiKeyScope(scope));
  if (unknown !== undefined)
    throw new ApiKeyDeskError('invalid', `unknown scope ${JSON.stringify(String(unknown).slice(0, 40))} (one of ${API_KEY_SCOPES.join(', ')})`, 'scopes');
  const dailyQuota = input.dailyQuota ?? null;
  if (dailyQuota !== null) {
    if (!Number.isInteger(dailyQuota) || dailyQuota < 1 || dailyQuota > MAX_DAILY_QUOTA) {
      throw new ApiKeyDeskError('invalid', `the daily quota must be an integer 1..${MAX_DAILY_QUOTA}`, 'dailyQuota');
    }
    if (!scopes.includes('bulk_reports')) throw new ApiKeyDeskError('invalid', 'a daily quota applies to bulk_reports keys only', 'dailyQuota');
  }
  // In the order of API_KEY_SCOPES, whatever order they were given in.
  return { name, scopes: API_KEY_SCOPES.filter((scope) => scopes.includes(scope)), dailyQuota };
}

/**
 * Organisations' API keys (URL-list subscribers, trusted bulk sources), as admins manage them:
 * a new key is shown once, to whoever created it, and only its hash is kept; a key is revoked,
 * never deleted (its bulk batches and audit events name it). Each change is audited in its
 * transaction, never with the key.
 */
export class ApiKeyDesk {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  list(): Promise<ApiKeyRow[]> {
    return apiKeyRepository.list(this.dataSource);
  }

  /** A new key: `key` is the only time anyone sees it. */
  async create(input: NewApiKeyInput, actor: AuditActor): Promise<{ row: ApiKeyRow; key: string }> {
    const { name, scopes, dailyQuota } = checkNewApiKey(input);
    const made = newApiKey();
    return this.dataSource.transaction(async (tx) => {
      const row = await apiKeyRepository.create(tx, { id: uuidv7(), name, prefix: made.prefix, secretHash: made.secretHash, scopes, dailyQuota, createdBy: actor.id });
      await this.audit.append(
        { actor, action: 'api_key.created', target: { type: 'api_key', id: row.id }, detail: { name, prefix: row.prefix, scopes, dailyQuota } },
        tx,
      );
      return { row, key: made.key };
    });
  }

  /** Revokes a live key: from now on it authenticates nothing. */
  async revoke(id: string, actor: AuditActor): Promise<ApiKeyRow> {
    return this.dataSource.transaction(async (tx) => {
      const row = await apiKeyRepository.revoke(tx, id, actor.id);
      if (!row) {
        const existing = await apiKeyRepository.find(tx, id);
        throw existing ? new ApiKeyDeskError('revoked', `the key ${existing.prefix} was revoked already`) : new ApiKeyDeskError('not_found', 'no such API key');
      }
      await this.audit.append({ actor, action: 'api_key.revoked', target: { type: 'api_key', id }, detail: { name: row.name, prefix: row.prefix } }, tx);
      return row;
    });
  }
}
