/**
 * What a reporter is told of their report (`GET /api/v1/reports/{reference}/status`): never a
 * verdict, only how far the hotline has got (ARCHITECTURE.md, public status).
 */
export const PUBLIC_REPORT_STATUSES = ['received', 'in_review', 'action_taken', 'closed'] as const;
export type PublicReportStatus = (typeof PUBLIC_REPORT_STATUSES)[number];
