/**
 * What one public report may hold (ARCHITECTURE.md, public intake API). The API's validation, its
 * OpenAPI document and the report page's form all read these, so a reporter is never told one
 * limit by the page and refused by another at the API.
 */

/** URLs in one public report: at least 1, at most this. */
export const MAX_REPORT_URLS = 20;

/**
 * Characters of one reported URL as the reporter typed it. The canonical form may be longer
 * (percent-escaping turns one byte into three); canonicalisation has its own, larger bound
 * (MAX_CANONICAL_URL_LENGTH in url/canonicalize.ts).
 */
export const MAX_REPORTED_URL_LENGTH = 2048;

export const MAX_REPORT_DESCRIPTION_LENGTH = 4000;

/** The longest address SMTP can deliver to (RFC 5321: a 256-octet path, less its angle brackets). */
export const MAX_CONTACT_EMAIL_LENGTH = 254;
