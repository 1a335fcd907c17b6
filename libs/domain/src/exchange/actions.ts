/**
 * What is done with a confirmed case (see decide-actions.ts for which, and why) and how far each
 * action got. `rejected` is the partner's word, not a failure: it said the content is not hosted
 * in its country, so the case is routed anew without it. A `reminder` is a notice sent again to a
 * host that has not removed the content (its `parent_action_id` is the notice).
 */
export const ACTION_KINDS = ['police_referral', 'notice', 'partner_forward', 'reminder'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ACTION_STATUSES = ['pending', 'sent', 'acknowledged', 'failed', 'rejected'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
