import type { MetricsRegistry } from '@hotline/observability';

/** Outcomes of feedback mails: queued by the scan, then sent, retried, failed (dead letter) or skipped (contact erased). */
export type FeedbackOutcome = 'queued' | 'sent' | 'retried' | 'failed' | 'skipped';

/** `hotline_feedback_mails_total{status,outcome}`: status is the public status told (never anything of the report). */
export function feedbackMailsCounter(metrics: MetricsRegistry) {
  return metrics.counter('hotline_feedback_mails_total', 'Reporter feedback mails by public status and outcome', ['status', 'outcome']);
}
