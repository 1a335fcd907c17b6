/**
 * Where a case's content is hosted, as triage knows it. Two words, because they answer two
 * questions: the hosting status says how far the trace got (the worker's work), the hosting class
 * what routing and action decide on. A trace that failed is `unresolved` in both: routing sends
 * it to be investigated; a case not traced yet is `pending` but of `unknown` class.
 */
export const HOSTING_STATUSES = ['pending', 'resolved', 'unresolved', 'onion'] as const;
export type HostingStatus = (typeof HOSTING_STATUSES)[number];

export const HOSTING_CLASSES = ['domestic', 'foreign', 'unknown', 'onion', 'unresolved'] as const;
export type HostingClass = (typeof HOSTING_CLASSES)[number];
