import { ApiKeyDesk, ApiKeyDeskError } from '../../../console-api/src/api-keys/api-key-desk';
import { UsageError } from './usage-error';
import { CLI_ACTOR } from './user-create';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `api-key:revoke <id>`: from now on the key authenticates nothing. Audited like the console's
 * revocation (actor cli). An unknown id or a key revoked already is refused (exit 2), as the
 * console refuses them (404, 409): a second revocation would misdate the first.
 */
export async function apiKeyRevoke(desk: ApiKeyDesk, id: string): Promise<string> {
  // Not a key id cannot name a key: refused like an unknown one, before PostgreSQL rejects the uuid.
  if (!UUID.test(id)) throw new UsageError('api-key:revoke: no such API key');
  try {
    const row = await desk.revoke(id, CLI_ACTOR);
    return `revoked ${row.id} ${row.name}\n`;
  } catch (error) {
    if (error instanceof ApiKeyDeskError) throw new UsageError(`api-key:revoke: ${error.message}`);
    throw error;
  }
}
