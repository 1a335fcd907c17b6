import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Messages written in the same transaction as the business rows they announce; the relay in the
 * worker publishes them to BullMQ and marks them published (transactional outbox).
 */
@Entity({ name: 'outbox' })
@Index('outbox_unpublished_idx', ['id'], { where: 'published_at IS NULL' })
export class OutboxEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** What happened, e.g. `reported-url.received`; maps to a queue and job name (libs/queue). */
  @Column('text')
  topic: string;

  /** Business key of the message; the BullMQ job id derives from it, so re-publishing is idempotent. */
  @Column('text', { name: 'message_key' })
  messageKey: string;

  /** Ids only, never report content. */
  @Column('jsonb')
  payload: Record<string, string>;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;

  @Column('integer')
  attempts: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;
}
