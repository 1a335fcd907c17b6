export type ReportSource = 'public_api' | 'public_web' | 'partner' | 'bulk';

/**
 * One row of report: one submission by a member of the public (or a partner). No reporter identity
 * in clear. Its public status is not stored: it is derived from its cases (publicReportStatus).
 */
export interface ReportRow {
  id: string;
  /** Human-friendly reference given to the reporter. */
  reference: string;
  /** SHA-256 of the status token; the token itself is never stored. */
  status_token_hash: Buffer;
  source: ReportSource;
  received_at: Date;
  /** BCP 47 tag the reporter used; feedback and errors are given in it. */
  language: string;
  /** Where the reporter says they are (ISO 3166-1 alpha-2), if given. */
  reporter_country: string | null;
  content_type: string | null;
  victim_identifiable: boolean;
  url_count: number;
  /** AES-256-GCM envelope (libs/security field-encryption) of the contact, or null. */
  contact_encrypted: Buffer | null;
  description_encrypted: Buffer | null;
  /** When the encrypted contact must be erased (retention). */
  contact_delete_after: Date | null;
  /** The partner hotline that forwarded it, and their reference (source `partner`). */
  partner_id: string | null;
  partner_reference: string | null;
}
