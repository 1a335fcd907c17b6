import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One case per canonical URL (dedup key), unique while open. This maps the columns intake and the
 * status view need; the triage pipeline reads and writes the rest (hosting, priority factors,
 * routing, see the PipelineSchema migration) with SQL in apps/worker/src/triage.
 */
@Entity({ name: 'case' })
@Index('case_open_dedup_key_uq', ['dedupKey'], { unique: true, where: "status <> 'closed'" })
export class CaseEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('char', { name: 'dedup_key', length: 64 })
  dedupKey: string;

  @Column('text', { name: 'canonical_url' })
  canonicalUrl: string;

  @Column('text')
  host: string;

  @Column('text')
  status: string;

  @Column('text', { nullable: true })
  queue: string | null;

  @Column('smallint')
  priority: number;

  @Column('integer', { name: 'report_count' })
  reportCount: number;

  @Column('timestamptz', { name: 'first_reported_at' })
  firstReportedAt: Date;

  @Column('timestamptz', { name: 'last_reported_at' })
  lastReportedAt: Date;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
