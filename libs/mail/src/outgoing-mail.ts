/** One plain-text mail to send. The body is never logged; neither is the recipient. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** BCP 47 tag of the text (its Content-Language). */
  language: string;
}

/**
 * A mail could not be delivered. `permanent`: trying again cannot help (the server refused the
 * recipient, or there is nobody to send to); otherwise it is retried with backoff. `code` is a
 * short word from a fixed list, safe to store on the case and to show staff.
 */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  constructor(
    readonly code: MailFailureCode,
    readonly permanent: boolean,
    message: string = code,
  ) {
    super(message);
  }
}

export const MAIL_FAILURE_CODES = ['not_configured', 'smtp_unreachable', 'timeout', 'rejected', 'smtp_error', 'no_abuse_contact', 'no_contact'] as const;
export type MailFailureCode = (typeof MAIL_FAILURE_CODES)[number];
