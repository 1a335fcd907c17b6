/** What an API key may be used for. */
export type ApiKeyScope = 'url_list' | 'url_list_hashes' | 'bulk_reports';
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['url_list', 'url_list_hashes', 'bulk_reports'];

/** One row of api_key: an organisation's key (a URL-list subscriber, a trusted bulk source). Only the SHA-256 of the key is stored. */
export interface ApiKeyRow {
  id: string;
  name: string;
  /** The key's public part (`hlk_<prefix>_...`), to find and list it. */
  prefix: string;
  scopes: ApiKeyScope[];
  /** bulk_reports: URLs a day (null: config.bulkDailyQuota). */
  daily_quota: number | null;
  created_by: string | null;
  created_at: Date;
  revoked_by: string | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface NewApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: readonly ApiKeyScope[];
  dailyQuota: number | null;
  createdBy: string | null;
}
