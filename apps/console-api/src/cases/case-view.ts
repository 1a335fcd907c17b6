import { defangHost, defangUrl, PriorityFactor } from '@hotline/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HostingView {
  @ApiProperty({ enum: ['pending', 'resolved', 'unresolved', 'onion'] })
  status: string;

  @ApiProperty({ enum: ['domestic', 'foreign', 'unknown', 'onion', 'unresolved'] })
  class: string;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'ISO 3166-1 alpha-2' })
  country: string | null;

  @ApiProperty({ type: Number, nullable: true })
  asn: number | null;

  @ApiProperty({ type: String, nullable: true })
  organisation: string | null;

  @ApiProperty({ type: [String], description: 'CNAME chain followed, defanged' })
  cnames: string[];

  @ApiProperty({ type: String, nullable: true, description: 'Why the trace failed, while it is unresolved' })
  error: string | null;
}

export class PriorityFactorView {
  @ApiProperty()
  factor: string;

  @ApiProperty()
  points: number;

  @ApiProperty()
  detail: string;
}

/** A case as staff lists see it: the URL defanged, no reporter data. */
export class CaseView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  status: string;

  @ApiProperty({ type: String, nullable: true })
  queue: string | null;

  @ApiProperty({ minimum: 0, maximum: 100 })
  priority: number;

  @ApiProperty({ type: [PriorityFactorView], description: 'Why this priority' })
  priorityFactors: PriorityFactor[];

  @ApiProperty()
  reportCount: number;

  @ApiProperty({ example: 'hxxp://example[.]com/a', description: 'Defanged; revealing the raw URL is an audited action' })
  url: string;

  @ApiProperty({ example: 'example[.]com' })
  host: string;

  @ApiProperty({ type: String, nullable: true })
  registrableDomain: string | null;

  @ApiProperty({ type: HostingView })
  hosting: HostingView;

  @ApiProperty({ enum: ['public', 'partner', 'bulk'] })
  source: string;

  @ApiProperty()
  reappearedCount: number;

  @ApiPropertyOptional({ type: String, nullable: true, enum: ['known_url'], description: 'Settled without a human viewing it' })
  settledBy: string | null;

  @ApiProperty({ format: 'date-time' })
  firstReportedAt: string;

  @ApiProperty({ format: 'date-time' })
  lastReportedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  queuedAt: string | null;

  @ApiProperty({ type: Object, nullable: true, description: 'Claim lease; arrives with the analyst workspace' })
  lease: null;
}

export interface CaseRecord {
  id: string;
  status: string;
  queue: string | null;
  priority: number;
  priority_factors: PriorityFactor[];
  report_count: number;
  canonical_url: string;
  host: string;
  registrable_domain: string | null;
  hosting_status: string;
  hosting_class: string;
  hosting: { ip: string | null; country: string | null; asn: number | null; organisation: string | null; cnames: string[] } | null;
  hosting_error: string | null;
  source: string;
  reappeared_count: number;
  settled_by: string | null;
  first_reported_at: Date;
  last_reported_at: Date;
  queued_at: Date | null;
}

export const CASE_RECORD_COLUMNS = `id, status, queue, priority, priority_factors, report_count, canonical_url, host, registrable_domain,
  hosting_status, hosting_class, hosting, hosting_error, source, reappeared_count, settled_by, first_reported_at,
  last_reported_at, queued_at`;

export function toCaseView(row: CaseRecord): CaseView {
  return {
    id: row.id,
    status: row.status,
    queue: row.queue,
    priority: row.priority,
    priorityFactors: row.priority_factors,
    reportCount: row.report_count,
    url: defangUrl(row.canonical_url),
    host: defangHost(row.host),
    registrableDomain: row.registrable_domain ? defangHost(row.registrable_domain) : null,
    hosting: {
      status: row.hosting_status,
      class: row.hosting_class,
      ip: row.hosting?.ip ?? null,
      country: row.hosting?.country ?? null,
      asn: row.hosting?.asn ?? null,
      organisation: row.hosting?.organisation ?? null,
      cnames: (row.hosting?.cnames ?? []).map(defangHost),
      error: row.hosting_error,
    },
    source: row.source,
    reappearedCount: row.reappeared_count,
    settledBy: row.settled_by,
    firstReportedAt: row.first_reported_at.toISOString(),
    lastReportedAt: row.last_reported_at.toISOString(),
    queuedAt: row.queued_at?.toISOString() ?? null,
    lease: null,
  };
}
