import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseEntity } from './case.entity';
import { ReportEntity } from './report.entity';

/** One URL of a report, as given and as canonicalised; joins exactly one case by dedup key. */
@Entity({ name: 'reported_url' })
@Index('reported_url_report_id_idx', ['reportId'])
@Index('reported_url_case_id_idx', ['caseId'], { where: 'case_id IS NOT NULL' })
export class ReportedUrlEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'report_id' })
  reportId: string;

  @ManyToOne(() => ReportEntity, (report) => report.urls, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id' })
  report: ReportEntity;

  /** Order of the URL within its report (0-based). */
  @Column('smallint')
  position: number;

  @Column('text', { name: 'raw_url' })
  rawUrl: string;

  @Column('text', { name: 'canonical_url' })
  canonicalUrl: string;

  /** Hex SHA-256 of the canonical URL without tracking parameters. */
  @Column('char', { name: 'dedup_key', length: 64 })
  dedupKey: string;

  @Column('text')
  host: string;

  @Column('timestamptz', { name: 'received_at' })
  receivedAt: Date;

  @Column('uuid', { name: 'case_id', nullable: true })
  caseId: string | null;

  @ManyToOne(() => CaseEntity, { nullable: true })
  @JoinColumn({ name: 'case_id' })
  case: CaseEntity | null;
}
