import type { MailDeliveryError, OutgoingMail } from '@hotline/mail';
import type { SqlRunner } from '@hotline/persistence';

/**
 * One kind of outgoing mail (a notice to a host, a reminder, a reporter's feedback). The send-mail
 * processor picks the kind by the prefix of the mail key (`<kind>:<uuid>`) and calls, in order:
 * compose (in a transaction), the SMTP send, then sent, or attemptFailed, and failed when the mail
 * cannot be delivered for good (permanent error or last attempt): the job then becomes a dead letter.
 */
export interface MailKind {
  readonly kind: 'notice' | 'reminder' | 'feedback';
  /** The mail to send for this id; null: nothing to send any more (skip). Throws MailDeliveryError(permanent) when it never can be. */
  compose(db: SqlRunner, id: string): Promise<OutgoingMail | null>;
  sent(db: SqlRunner, id: string, result: { messageId: string; attempts: number }): Promise<void>;
  attemptFailed(db: SqlRunner, id: string, error: MailDeliveryError, attempts: number): Promise<void>;
  failed(db: SqlRunner, id: string, error: MailDeliveryError, attempts: number): Promise<void>;
}

/** The Nest token of every MailKind (worker.module.ts: `{ provide: MAIL_KINDS, useFactory: (...kinds) => kinds, inject: [...] }`). */
export const MAIL_KINDS = Symbol('MAIL_KINDS');
