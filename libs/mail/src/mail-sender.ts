import { HotlineConfig } from '@hotline/config';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { MailDeliveryError, type OutgoingMail } from './outgoing-mail';

/** Connections kept open to the SMTP server: mail is sent a few at a time, never in bulk. */
const MAX_CONNECTIONS = 3;

/**
 * Sends plain-text mail through the configured SMTP server (SMTP_URL, MAIL_FROM), pooled, with
 * the MAIL_TIMEOUT on connecting, greeting and every reply. Failures become a MailDeliveryError
 * with an allowlisted code (mailFailureOf); nothing here logs the recipient or the body (the
 * transport's own logger is off). No SMTP_URL: every send fails with `not_configured`,
 * transient, so the mail waits in its retries and then as a dead letter, visible on its case.
 */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private transport: Transporter | null = null;

  constructor(private readonly config: HotlineConfig) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const transport = this.transportOrNull();
    if (!transport) throw new MailDeliveryError('not_configured', false, 'no SMTP server is configured (SMTP_URL)');
    try {
      const info = await transport.sendMail({
        from: this.config.mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { 'Content-Language': mail.language },
        // No tracking, no HTML: a notice is a plain statement.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { messageId: String(info.messageId ?? '') };
    } catch (error) {
      throw mailFailureOf(error);
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
    this.transport = null;
  }

  private transportOrNull(): Transporter | null {
    if (!this.config.mail.smtpUrl) return null;
    this.transport ??= createTransport({
      url: this.config.mail.smtpUrl,
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      connectionTimeout: this.config.mail.timeoutMs,
      greetingTimeout: this.config.mail.timeoutMs,
      socketTimeout: this.config.mail.timeoutMs,
      logger: false,
      debug: false,
    } as Parameters<typeof createTransport>[0]);
    return this.transport;
  }
}

const UNREACHABLE = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN']);

/**
 * What went wrong, in an allowlisted word: a 5xx reply (except 503, a session out of step) is
 * `rejected` and permanent (the same mail would be refused again); a 4xx is `smtp_error` and
 * retried; no answer is `timeout`; no connection is `smtp_unreachable`. The message keeps the
 * server's reply code only, never its text (it may quote the recipient).
 */
export function mailFailureOf(error: unknown): MailDeliveryError {
  if (error instanceof MailDeliveryError) return error;
  const { code, responseCode } = (error ?? {}) as { code?: string; responseCode?: number };
  if (typeof responseCode === 'number' && responseCode >= 500 && responseCode !== 503) {
    return new MailDeliveryError('rejected', true, `the SMTP server refused the mail (${responseCode})`);
  }
  if (typeof responseCode === 'number' && responseCode >= 400) return new MailDeliveryError('smtp_error', false, `the SMTP server deferred the mail (${responseCode})`);
  if (code === 'ETIMEDOUT') return new MailDeliveryError('timeout', false, 'the SMTP server did not answer in time');
  if (code && UNREACHABLE.has(code)) return new MailDeliveryError('smtp_unreachable', false, `the SMTP server could not be reached (${code})`);
  return new MailDeliveryError('smtp_error', false, code && /^[A-Z_]{2,20}$/.test(code) ? `SMTP error (${code})` : 'SMTP error');
}
