/**
 * What is done with a confirmed case (see decide-actions.ts for which, and why) and how far each
 * action got. `rejected` is the partner's word, not a failure: it said the content is not hosted
 * in its country, so the case is routed anew without it. A `reminder` is a notice sent again to a
 * host that has not removed the content (its `parent_action_id` is the notice).
 */
export const ACTION_KINDS = ['police_referral', 'notice', 'partner_forward', 'reminder'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Why a police referral was made: the case was confirmed, or its host ignored the notice and its reminders. */
export const ESCALATION_REASONS = ['confirmed', 'notice_unanswered'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export const ACTION_STATUSES = ['pending', 'sent', 'acknowledged', 'failed', 'rejected'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
