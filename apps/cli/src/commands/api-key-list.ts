import type { ApiKeyRow } from '@hotline/persistence';
import { ApiKeyDesk } from '../../../console-api/src/api-keys/api-key-desk';
import { apiKeyView } from '../../../console-api/src/api-keys/api-keys.dto';

/**
 * One line per key, live ones first: id, prefix, live or when revoked, scopes, quota, created,
 * last used, then the name (last: it may hold spaces). Never the key nor its hash: they are not
 * in the row, and only the hash was ever stored.
 */
export function formatApiKeys(rows: readonly ApiKeyRow[]): string {
  if (rows.length === 0) return 'no API keys\n';
  return rows
    .map((row) => {
      const view = apiKeyView(row);
      return (
        `${view.id} ${view.prefix} ${view.revokedAt ? `revoked ${view.revokedAt}` : 'live'} scopes ${view.scopes.join(',')} ` +
        `quota ${view.dailyQuota ?? 'default'} created ${view.createdAt} last-used ${view.lastUsedAt ?? 'never'} ${view.name}\n`
      );
    })
    .join('');
}

/** `api-key:list`: every key (revoked ones too), as the console's API lists them with --json. */
export async function apiKeyList(desk: ApiKeyDesk, json?: boolean): Promise<string> {
  const rows = await desk.list();
  return json ? `${JSON.stringify(rows.map(apiKeyView))}\n` : formatApiKeys(rows);
}
