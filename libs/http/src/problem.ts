import { randomUUID } from 'node:crypto';
import { Language, MessageKey, t } from './i18n';

/** Every kind of error the public and staff APIs answer with, and its HTTP status. */
export const PROBLEM_STATUS = {
  validation: 400,
  malformed_json: 400,
  bad_request: 400,
  invalid_request: 400,
  unauthorized: 401,
  login_failed: 401,
  signature_refused: 401,
  forbidden: 403,
  csrf_refused: 403,
  took_part: 403,
  exposure_limit: 403,
  password_change_required: 403,
  not_found: 404,
  resource_not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  lease_limit: 409,
  // Conflicts, one kind each (a type URI and a text of its own in every language).
  case_not_in_assessment: 409,
  lease_held_by_other: 409,
  lease_expired: 409,
  lease_not_held: 409,
  case_not_pending_review: 409,
  no_verdict_to_review: 409,
  no_assessment_to_review: 409,
  case_not_appealable: 409,
  reveal_needs_live_lease: 409,
  reveal_needs_eligible_reviewer: 409,
  reveal_not_now: 409,
  removal_not_allowed: 409,
  case_not_from_partner: 409,
  partners_already_told: 409,
  partner_no_next_key: 409,
  case_changed: 409,
  abuse_contact_taken: 409,
  api_key_revoked: 409,
  notice_hold_in_force: 409,
  no_notice_hold: 409,
  legal_hold_in_force: 409,
  no_legal_hold: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  // A trusted source's daily quota of bulk URLs (per API key), not the public rate limit.
  quota_exceeded: 429,
  internal: 500,
  unavailable: 503,
  // The partner exchange endpoint's own words for the same refusals (apps/console-api/src/exchange).
  exchange_unreadable: 400,
  exchange_invalid: 400,
  exchange_too_large: 413,
  exchange_media_type: 415,
} as const;

export type ProblemKind = keyof typeof PROBLEM_STATUS;

type Params = Record<string, string | number>;

export interface FieldProblem {
  field: string;
  message: MessageKey;
  params?: Params;
}

/**
 * A domain-level failure that maps to an RFC 9457 problem. Messages are keys, translated only when
 * the answer is written, in the language of the request.
 */
export class ProblemException extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly details: { params?: Params; errors?: FieldProblem[]; retryAfterSeconds?: number; language?: Language } = {},
  ) {
    super(kind);
  }
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  errorId?: string;
}

export interface RenderedProblem {
  status: number;
  headers: Record<string, string>;
  body: ProblemDocument;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function renderProblem(problem: ProblemException, language: Language): RenderedProblem {
  const { kind, details } = problem;
  const params: Params = { ...details.params };
  if (details.retryAfterSeconds !== undefined) params.seconds = details.retryAfterSeconds;
  const errorId = kind === 'internal' ? randomUUID() : undefined;
  if (errorId) params.errorId = errorId;
  const body: ProblemDocument = {
    type: `/problems/${kind.replace(/_/g, '-')}`,
    title: t(language, `problem.${kind}.title` as MessageKey, params),
    status: PROBLEM_STATUS[kind],
    detail: t(language, `problem.${kind}.detail` as MessageKey, params),
  };
  if (details.errors) {
    body.errors = details.errors.map((error) => ({ field: error.field, message: t(language, error.message, error.params) }));
  }
  if (errorId) body.errorId = errorId;
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE, 'content-language': language };
  if (details.retryAfterSeconds !== undefined) headers['retry-after'] = String(details.retryAfterSeconds);
  return { status: body.status, headers, body };
}
