import { errorWithoutAddresses } from '../dead-letters/dead-letter-desk';

/** What Bull Board shows instead of a job's data or return value: they may hold reported URLs. */
export const WITHHELD = 'withheld: may hold reported URLs';

/**
 * A job's data or return value as the dashboard shows it: never the values, only which fields
 * there are (our payloads are ids, `JobPayloads`, but a job's data is the job's to define, and a
 * reported-URL job's may carry the URL). Enough to tell jobs apart and to retry or clean them.
 */
export function withheldValue(value: unknown): { withheld: string; keys?: string[]; type?: string } {
  if (value === undefined || value === null) return { withheld: WITHHELD, type: String(value) };
  if (Array.isArray(value)) return { withheld: WITHHELD, type: `array of ${value.length}` };
  if (typeof value === 'object') return { withheld: WITHHELD, keys: Object.keys(value).filter(plainKey) };
  return { withheld: WITHHELD, type: typeof value };
}

/** A job's progress: a number is shown, anything else (an object a job reports) is withheld. */
export function withheldProgress(progress: unknown): unknown {
  return typeof progress === 'number' || typeof progress === 'boolean' ? progress : withheldValue(progress);
}

/** A key name, if it is one of ours (a code identifier); a key made of data (a host as a map key) is left out. */
function plainKey(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key);
}

/** Fields of Bull Board's answers that carry a failure's text, which may name a reported host. */
const FAILURE_TEXT = new Set(['failedReason', 'deferredFailure']);

/**
 * A Bull Board API answer without case content, whatever route gave it: every failure text
 * (`failedReason`, `deferredFailure`, a flow's `ignoredChildFailureReasons`) cut to its leading
 * plain words as on the dead letters page (errorWithoutAddresses), every `stacktrace` emptied
 * (its first line is the error message), a job scheduler's template data withheld. Job data and
 * return values are already withheld by the adapters' formatters (withheldValue).
 */
export function boardAnswerWithoutContent(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => boardAnswerWithoutContent(item));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    if (FAILURE_TEXT.has(name) && typeof item === 'string') out[name] = errorWithoutAddresses(item);
    else if (name === 'stacktrace') out[name] = [];
    else if (name === 'ignoredChildFailureReasons' && item !== null && typeof item === 'object') {
      // Keyed by the child job's key (queue and job id), which names no host; the values are failure texts.
      out[name] = Object.fromEntries(Object.entries(item).map(([child, reason]) => [child, typeof reason === 'string' ? errorWithoutAddresses(reason) : WITHHELD]));
    } else if (key === 'template' && name === 'data') out[name] = withheldValue(item);
    else out[name] = boardAnswerWithoutContent(item, name);
  }
  return out;
}

/** A job's log lines (the logs route): each cut as a failure text is, since a job may log what it works on. */
export function boardLogsWithoutContent(value: unknown): unknown {
  return Array.isArray(value) ? value.map((line) => (typeof line === 'string' ? errorWithoutAddresses(line) : WITHHELD)) : boardAnswerWithoutContent(value);
}
