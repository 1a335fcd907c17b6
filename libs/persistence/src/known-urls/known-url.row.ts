import type { KnownUrlVerdict } from '@hotline/domain';

/** One row of known_url: a URL confirmed elsewhere (a partner hotline's list), by dedup key; a report of it is settled at triage. */
export interface KnownUrlRow {
  id: string;
  dedup_key: string;
  canonical_url: string;
  verdict: KnownUrlVerdict;
  list_name: string;
  imported_at: Date;
}

/**
 * One row of known_url_import, the temporary table an import is staged in (dropped at commit):
 * a checked row of the file, with the line it came from.
 */
export interface KnownUrlImportRow {
  line: number;
  id: string;
  dedup_key: string;
  canonical_url: string;
  verdict: string;
}
