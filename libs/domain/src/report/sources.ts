/**
 * Where reports and cases come from. A report knows the door it came through; a case only who
 * brought it (the public, by API or web page alike; a partner hotline; a trusted bulk source),
 * which is what priority and routing look at.
 */
export const REPORT_SOURCES = ['public_api', 'public_web', 'partner', 'bulk'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

export const CASE_SOURCES = ['public', 'partner', 'bulk'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** The source of a case opened by a report from `source`. Anything unknown counts as public. */
export function caseSourceOf(source: string): CaseSource {
  return source === 'partner' ? 'partner' : source === 'bulk' ? 'bulk' : 'public';
}
