import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { type SqlRunner, updateReturning } from '../sql';
import { parseApiKey } from './api-key-format';
import type { ApiKeyRow, NewApiKeyRow } from './api-key.row';

/** The columns of ApiKeyRow (never secret_hash). */
const COLUMNS = `id, name, prefix, scopes, daily_quota, created_by, created_at, revoked_by, revoked_at, last_used_at`;

/** api_key: organisations' API keys. Revoking sets revoked_at; rows are kept (audit and bulk batches refer to them). */
@Injectable()
export class ApiKeyRepository {
  async create(db: SqlRunner, key: NewApiKeyRow): Promise<ApiKeyRow> {
    const [row]: ApiKeyRow[] = await db.query(
      `INSERT INTO api_key (id, name, prefix, secret_hash, scopes, daily_quota, created_by) VALUES ($1, $2, $3, $4, $5::text[], $6, $7) RETURNING ${COLUMNS}`,
      [key.id, key.name, key.prefix, key.secretHash, key.scopes, key.dailyQuota, key.createdBy],
    );
    return row;
  }

  /** All keys, live ones first, newest first. */
  list(db: SqlRunner): Promise<ApiKeyRow[]> {
    return db.query(`SELECT ${COLUMNS} FROM api_key ORDER BY revoked_at IS NOT NULL, created_at DESC, id`);
  }

  async find(db: SqlRunner, id: string): Promise<ApiKeyRow | null> {
    const [row]: ApiKeyRow[] = await db.query(`SELECT ${COLUMNS} FROM api_key WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** Revokes a live key; returns it, or null when there is no such live key. */
  async revoke(db: SqlRunner, id: string, by: string | null): Promise<ApiKeyRow | null> {
    const [row] = await updateReturning<ApiKeyRow>(
      db,
      `UPDATE api_key SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [id, by],
    );
    return row ?? null;
  }

  /**
   * The live key a request presents, or null (malformed, unknown, wrong secret, revoked). The
   * hashes are compared in constant time. last_used_at is touched at most once a minute, so a
   * subscriber polling hard does not write on every request.
   */
  async authenticate(db: SqlRunner, presented: string): Promise<ApiKeyRow | null> {
    const parsed = parseApiKey(presented);
    if (!parsed) return null;
    const [row]: (ApiKeyRow & { secret_hash: string })[] = await db.query(`SELECT ${COLUMNS}, secret_hash FROM api_key WHERE prefix = $1`, [parsed.prefix]);
    if (!row) return null;
    const stored = Buffer.from(row.secret_hash, 'hex');
    const candidate = Buffer.from(parsed.secretHash, 'hex');
    if (stored.length !== candidate.length || !timingSafeEqual(stored, candidate) || row.revoked_at) return null;
    await db.query(`UPDATE api_key SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, [row.id]);
    const { secret_hash: _secretHash, ...key } = row;
    return key;
  }
}

export const apiKeyRepository = new ApiKeyRepository();
