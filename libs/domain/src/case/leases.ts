/**
 * Why an analyst's lease on a case ended. The exposure limit counts the time leases were held,
 * and a lapsed lease counts only up to its expiry (the analyst was gone, not looking), however
 * late the worker returned the case.
 */
export const LEASE_END_REASONS = ['assessed', 'released', 'lapsed'] as const;
export type LeaseEndReason = (typeof LEASE_END_REASONS)[number];
