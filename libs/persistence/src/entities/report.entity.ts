import { Column, Entity, Index, OneToMany, PrimaryColumn } from 'typeorm';
import { ReportedUrlEntity } from './reported-url.entity';

export type ReportSource = 'public_api' | 'public_web' | 'partner' | 'bulk';
export type ReportStatus = 'received' | 'in_review' | 'action_taken' | 'closed';

/** One submission by a member of the public (or a partner). Holds no reporter identity in clear. */
@Entity({ name: 'report' })
@Index('report_reference_uq', ['reference'], { unique: true })
@Index('report_contact_delete_after_idx', ['contactDeleteAfter'], { where: 'contact_encrypted IS NOT NULL' })
export class ReportEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Human-friendly reference given to the reporter. */
  @Column('text')
  reference: string;

  /** SHA-256 of the status token; the token itself is never stored. */
  @Column('bytea', { name: 'status_token_hash' })
  statusTokenHash: Buffer;

  @Column('text')
  source: ReportSource;

  @Column('text')
  status: ReportStatus;

  @Column('timestamptz', { name: 'received_at' })
  receivedAt: Date;

  @Column('timestamptz', { name: 'status_updated_at' })
  statusUpdatedAt: Date;

  /** BCP 47 tag the reporter used; feedback and errors are given in it. */
  @Column('text')
  language: string;

  /** Where the reporter says they are (ISO 3166-1 alpha-2), if given. */
  @Column('char', { name: 'reporter_country', length: 2, nullable: true })
  reporterCountry: string | null;

  @Column('text', { name: 'content_type', nullable: true })
  contentType: string | null;

  @Column('boolean', { name: 'victim_identifiable' })
  victimIdentifiable: boolean;

  @Column('smallint', { name: 'url_count' })
  urlCount: number;

  /** AES-256-GCM envelope (see libs/security field-encryption) of the contact, or null. */
  @Column('bytea', { name: 'contact_encrypted', nullable: true })
  contactEncrypted: Buffer | null;

  @Column('bytea', { name: 'description_encrypted', nullable: true })
  descriptionEncrypted: Buffer | null;

  /** When the encrypted contact must be erased (retention). */
  @Column('timestamptz', { name: 'contact_delete_after', nullable: true })
  contactDeleteAfter: Date | null;

  @OneToMany(() => ReportedUrlEntity, (url) => url.report)
  urls: ReportedUrlEntity[];
}
