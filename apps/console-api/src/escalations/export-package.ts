import Papa from 'papaparse';
import { strToU8, zipSync } from 'fflate';
import { createHash } from 'node:crypto';

/** One file of an export package: its name in the ZIP and its text (UTF-8). */
export interface PackageFile {
  name: string;
  content: string;
}

export interface ManifestEntry {
  name: string;
  bytes: number;
  sha256: string;
}

/**
 * What a package holds, with the SHA-256 of each file: kept (its own digest in the audit log and
 * in the response header) so a package can be shown later to be the one handed over, unchanged.
 */
export interface ExportManifest {
  escalationId: string;
  createdAt: string;
  files: ManifestEntry[];
}

export interface ExportPackage {
  zip: Uint8Array;
  manifest: ExportManifest;
  /** SHA-256 (hex) of manifest.json as it is in the ZIP. */
  manifestSha256: string;
}

export const MANIFEST_NAME = 'manifest.json';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The export package of an escalation: the files as given, and manifest.json listing each
 * (name, byte size, SHA-256), the escalation and when the package was made. Pure: the same files
 * and time make the same bytes (the ZIP's entries carry `createdAt` as their time).
 */
export function buildExportPackage(files: readonly PackageFile[], meta: { escalationId: string; createdAt: Date }): ExportPackage {
  const names = new Set<string>();
  for (const file of files) {
    if (file.name === MANIFEST_NAME || names.has(file.name) || !/^[a-z0-9][a-z0-9._-]*$/.test(file.name))
      throw new Error(`bad or repeated file name in an export package: ${file.name}`);
    names.add(file.name);
  }
  const encoded = files.map((file) => ({ name: file.name, bytes: strToU8(file.content) }));
  const manifest: ExportManifest = {
    escalationId: meta.escalationId,
    createdAt: meta.createdAt.toISOString(),
    files: encoded.map(({ name, bytes }) => ({ name, bytes: bytes.length, sha256: sha256(bytes) })),
  };
  const manifestBytes = strToU8(`${JSON.stringify(manifest, null, 2)}\n`);
  const entries = Object.fromEntries([...encoded.map(({ name, bytes }) => [name, bytes] as const), [MANIFEST_NAME, manifestBytes] as const]);
  const zip = zipSync(entries, { level: 6, mtime: meta.createdAt });
  return { zip, manifest, manifestSha256: sha256(manifestBytes) };
}

/**
 * RFC 4180 CSV (CRLF, every field quoted). A field a spreadsheet would run as a formula (it starts
 * with = + - @, a tab or CR) gets a leading apostrophe, so opening the file runs nothing.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const text = (value: unknown): string =>
    value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const data = rows.map((row) => row.map(text));
  return `${Papa.unparse([[...header], ...data], { quotes: true, escapeFormulae: true, newline: '\r\n' })}\r\n`;
}
