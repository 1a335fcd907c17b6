/**
 * One row of outbox: a message written in the same transaction as the business rows it announces;
 * the relay in the worker publishes it to BullMQ and marks it published (transactional outbox).
 */
export interface OutboxRow {
  id: string; // bigint, as text
  /** What happened, e.g. `reported-url.received`; maps to a queue and job name (libs/queue OutboxTopic). */
  topic: string;
  /** Business key of the message; the BullMQ job id derives from it, so re-publishing is idempotent. */
  message_key: string;
  /** Ids only, never report content. */
  payload: Record<string, unknown>;
  created_at: Date;
  published_at: Date | null;
  attempts: number;
  last_error: string | null;
  /** The id of the request or job that wrote the row (docs/adr/0017): a random token, never personal data. */
  correlation_id: string | null;
}

/** What the relay needs of a row to publish it. */
export type UnpublishedOutboxRow = Pick<OutboxRow, 'id' | 'topic' | 'message_key' | 'correlation_id'>;
