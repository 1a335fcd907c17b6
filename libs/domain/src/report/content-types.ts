/**
 * What a reporter says a URL shows, in the words of the public intake contract
 * (ARCHITECTURE.md: `images | videos | text | livestream | other`). The order is the contract's,
 * and the report page's: severity is a separate matter (see CONTENT_TYPES_BY_SEVERITY in
 * triage/priority.ts), so the reporter is not offered the worst first.
 *
 * An analyst's classification speaks of one item (`image`, `video`, ...: CLASSIFIED_CONTENT_TYPES);
 * a reporter speaks of what they saw, often many (`images`). The two lists are kept apart, and
 * reportedContentTypeOf translates one into the other where a classification becomes a report (a
 * partner's forward).
 */
import type { Classification } from '../assessment/classification';

export const REPORTED_CONTENT_TYPES = ['images', 'videos', 'text', 'livestream', 'other'] as const;
export type ReportedContentType = (typeof REPORTED_CONTENT_TYPES)[number];

export function isReportedContentType(value: unknown): value is ReportedContentType {
  return typeof value === 'string' && (REPORTED_CONTENT_TYPES as readonly string[]).includes(value);
}

const REPORTED_OF_CLASSIFIED: Readonly<Record<Classification['contentType'], ReportedContentType>> = Object.freeze({
  image: 'images',
  video: 'videos',
  livestream: 'livestream',
  text: 'text',
  other: 'other',
});

/** The reporter's word for a classified content type; `other` for anything outside the vocabulary. */
export function reportedContentTypeOf(classified: string): ReportedContentType {
  return Object.hasOwn(REPORTED_OF_CLASSIFIED, classified) ? REPORTED_OF_CLASSIFIED[classified as Classification['contentType']] : 'other';
}
