/**
 * How long a legal hold's reason (and the reason it is lifted) may be, in characters after
 * trimming: enough to cite an order or a request, never a case file. The same bounds as the
 * console's other reasons (a police hold, a reveal).
 */
export const LEGAL_HOLD_REASON_LENGTH = { min: 10, max: 500 } as const;

/**
 * The reason as stored (whitespace runs made one space, ends trimmed), or null when it is not a
 * string of LEGAL_HOLD_REASON_LENGTH characters (code points) or holds control characters or
 * broken Unicode (a lone surrogate would not survive the database).
 */
export function legalHoldReason(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const reason = text.trim().replace(/\s+/g, ' ');
  const length = [...reason].length;
  if (length < LEGAL_HOLD_REASON_LENGTH.min || length > LEGAL_HOLD_REASON_LENGTH.max) return null;
  if (/[\u0000-\u001f\u007f]|\p{Cs}/u.test(reason)) return null;
  return reason;
}
