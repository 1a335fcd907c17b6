/** One row of reported_url: one URL of a report, as given and as canonicalised; joins one case by dedup key. */
export interface ReportedUrlRow {
  id: string;
  report_id: string;
  /** Order of the URL within its report (0-based). */
  position: number;
  /** As the reporter typed it; null once the retention purge took it (a case settled not illegal, RAW_URL_RETENTION). */
  raw_url: string | null;
  canonical_url: string;
  /** Hex SHA-256 of the canonical URL without tracking parameters. */
  dedup_key: string;
  host: string;
  received_at: Date;
  case_id: string | null;
}
