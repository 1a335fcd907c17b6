/** Where a contact came from: typed by an admin, a CSV import, an RDAP file. */
/** Where a contact came from: typed by an admin, a CSV import, an RDAP file (abuse_contact.source). */
export const ABUSE_CONTACT_SOURCES = ['manual', 'csv', 'rdap'] as const;
export type AbuseContactSource = (typeof ABUSE_CONTACT_SOURCES)[number];

/**
 * One row of abuse_contact: the abuse desk of a hosting provider, answering for exactly one
 * registrable domain (a site's own desk) or one autonomous system (the network's, as RDAP gives it).
 */
export interface AbuseContactRow {
  id: string;
  organisation: string;
  email: string;
  /** BCP 47 primary language tag the desk is written to in (notices are rendered in it). */
  language: string;
  /** Lower-case, ASCII (punycode) registrable domain; null for an ASN's contact. */
  domain: string | null;
  /** The autonomous system number (the column is bigint; read as a number, it is at most 2^32 - 1); null for a domain's contact. */
  asn: number | null;
  source: AbuseContactSource;
  note: string | null;
  created_at: Date;
  updated_at: Date;
}

/** What an admin or an import gives for a contact (checked by @hotline/domain's parseAbuseContact first). */
export interface AbuseContactFields {
  organisation: string;
  email: string;
  language: string;
  domain: string | null;
  asn: number | null;
  note: string | null;
}
