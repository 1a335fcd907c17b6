import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The correlation id of the work in hand: an HTTP request's id (echoed as X-Request-Id), carried
 * into the outbox rows it writes, the jobs the relay makes of them, the worker's log lines for
 * those jobs and the exchange messages they send (X-Correlation-Id). It is a random token and
 * nothing else: never a client address, a URL or anything of a body (docs/adr/0017).
 */
const storage = new AsyncLocalStorage<string>();

/**
 * What a correlation id looks like: what we generate (a UUID) and what a staff-side caller may
 * pass on. The schema holds outbox and exchange_message to it (migration 1796270000000).
 */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9-]{8,64}$/;

export function isCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID_PATTERN.test(value);
}

export const newCorrelationId = (): string => randomUUID();

/** Runs `work` with `id` as the current correlation id (none when `id` is undefined or malformed). */
export function withCorrelationId<T>(id: string | null | undefined, work: () => T): T {
  return isCorrelationId(id) ? storage.run(id, work) : storage.exit(work);
}

/** The correlation id of the request or job this code runs for, or null outside of one. */
export function currentCorrelationId(): string | null {
  return storage.getStore() ?? null;
}
