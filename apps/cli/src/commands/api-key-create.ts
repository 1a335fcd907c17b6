import { AuditLog } from '@hotline/audit';
import type { DataSource } from 'typeorm';
import { ApiKeyDesk, ApiKeyDeskError } from '../../../console-api/src/api-keys/api-key-desk';
import { UsageError } from './usage-error';
import { CLI_ACTOR } from './user-create';

export function apiKeyDesk(dataSource: DataSource): ApiKeyDesk {
  return new ApiKeyDesk(dataSource, new AuditLog(dataSource));
}

export interface ApiKeyCreateOptions {
  name: string;
  scope: string[];
  dailyQuota?: number;
  json?: boolean;
}

/**
 * `api-key:create`: an organisation's API key (URL-list subscriber, trusted bulk source), printed
 * this once: only its hash is kept. Audited (never with the key).
 */
export async function apiKeyCreate(desk: ApiKeyDesk, options: ApiKeyCreateOptions): Promise<string> {
  try {
    const { row, key } = await desk.create({ name: options.name, scopes: options.scope, dailyQuota: options.dailyQuota ?? null }, CLI_ACTOR);
    if (options.json) return `${JSON.stringify({ id: row.id, name: row.name, scopes: row.scopes, key })}\n`;
    return `created API key ${row.name} (${row.id}, prefix ${row.prefix}, scopes ${row.scopes.join(', ')})\n${key}\nthe key is shown this once: give it to the organisation now\n`;
  } catch (error) {
    if (error instanceof ApiKeyDeskError) throw new UsageError(`api-key:create: ${error.message}`);
    throw error;
  }
}
