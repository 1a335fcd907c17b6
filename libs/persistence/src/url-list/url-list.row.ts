/** One row of url_list_entry: a case's place on the confirmed-URL list (kept after it leaves, for deltas). */
export interface UrlListEntryRow {
  case_id: string;
  canonical_url: string;
  /** SHA-256 (hex) of the canonical URL's UTF-8 bytes. */
  url_sha256: string;
  /** On the list now (the case is confirmed or actioned). */
  listed: boolean;
  /** When it last joined or left the list. */
  changed_at: Date;
  /** The list version of that change; null until UrlListRepository.assignVersions numbers it. */
  version: string | null;
}

/** An entry as the list gives it out; `url` only when asked for URLs. */
export interface UrlListItem {
  url?: string;
  sha256: string;
  /** When it joined (added, full list) or left (removed) the list. */
  at: Date;
}

export interface UrlListDelta {
  added: UrlListItem[];
  removed: UrlListItem[];
}
