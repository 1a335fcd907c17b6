import Papa from 'papaparse';
import type { UrlListDelta, UrlListItem } from '@hotline/persistence';

// The confirmed-URL list as subscribers receive it (docs/url-list.md). Pure functions: the
// shapes here are the contract with ISPs and filter vendors, so they are tested on their own.

/** Which list a route gives: with the URLs, or only their SHA-256 (the URLs never leave). */
export type UrlListKind = 'urls' | 'hashes';

export interface UrlListFullBody {
  version: number;
  generatedAt: string;
  count: number;
  entries: ({ url: string; sha256: string; listedAt: string } | { sha256: string; listedAt: string })[];
}

export interface UrlListDeltaBody {
  version: number;
  since: number;
  generatedAt: string;
  added: ({ url: string; sha256: string; listedAt: string } | { sha256: string; listedAt: string })[];
  removed: ({ url: string; sha256: string; removedAt: string } | { sha256: string; removedAt: string })[];
}

/** One entry; a hashes list never carries the URL, whatever the item holds. */
function entry(kind: UrlListKind, item: UrlListItem, timeKey: 'listedAt' | 'removedAt'): Record<string, string> {
  const fields: Record<string, string> = kind === 'urls' ? { url: requireUrl(item), sha256: item.sha256 } : { sha256: item.sha256 };
  fields[timeKey] = item.at.toISOString();
  return fields;
}

function requireUrl(item: UrlListItem): string {
  if (item.url === undefined) throw new Error('a URL list entry was read without its URL');
  return item.url;
}

export function fullJson(kind: UrlListKind, version: number, generatedAt: Date, items: readonly UrlListItem[]): UrlListFullBody {
  return {
    version,
    generatedAt: generatedAt.toISOString(),
    count: items.length,
    entries: items.map((item) => entry(kind, item, 'listedAt')) as UrlListFullBody['entries'],
  };
}

export function deltaJson(kind: UrlListKind, version: number, since: number, generatedAt: Date, delta: UrlListDelta): UrlListDeltaBody {
  return {
    version,
    since,
    generatedAt: generatedAt.toISOString(),
    added: delta.added.map((item) => entry(kind, item, 'listedAt')) as UrlListDeltaBody['added'],
    removed: delta.removed.map((item) => entry(kind, item, 'removedAt')) as UrlListDeltaBody['removed'],
  };
}

/** RFC 4180 (Papa Parse): a field with a comma, quote or line break is quoted, its quotes doubled; CRLF after every row. */
function csvTable(header: string[], rows: string[][]): string {
  return `${Papa.unparse([header, ...rows], { newline: '\r\n' })}\r\n`;
}

function csvFields(kind: UrlListKind, item: UrlListItem): string[] {
  return kind === 'urls' ? [requireUrl(item), item.sha256, item.at.toISOString()] : [item.sha256, item.at.toISOString()];
}

/** The full list: `url,sha256,listed_at` (hashes: `sha256,listed_at`), CRLF line ends, one header row. */
export function fullCsv(kind: UrlListKind, items: readonly UrlListItem[]): string {
  return csvTable(
    kind === 'urls' ? ['url', 'sha256', 'listed_at'] : ['sha256', 'listed_at'],
    items.map((item) => csvFields(kind, item)),
  );
}

/** A delta: `change,url,sha256,changed_at` (hashes: `change,sha256,changed_at`), change `added` or `removed`. */
export function deltaCsv(kind: UrlListKind, delta: UrlListDelta): string {
  return csvTable(kind === 'urls' ? ['change', 'url', 'sha256', 'changed_at'] : ['change', 'sha256', 'changed_at'], [
    ...delta.added.map((item) => ['added', ...csvFields(kind, item)]),
    ...delta.removed.map((item) => ['removed', ...csvFields(kind, item)]),
  ]);
}

/**
 * `since` as a subscriber sends it: a whole number of at most 15 digits (versions are a bigint
 * sequence, far below 2^53), no sign, no exponent. Null: not a version.
 */
export function parseSince(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}
