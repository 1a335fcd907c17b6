/**
 * The classification of illegal material (ICCAM-style). Only illegal verdicts carry one: a
 * classification on anything else would be statistics about material that is not illegal.
 */
import { isIllegalVerdict, Verdict } from './verdicts';

export const AGE_GROUPS = ['infant', 'prepubescent', 'pubescent'] as const;
export const GENDERS = ['female', 'male', 'both', 'unknown'] as const;
export const CLASSIFIED_CONTENT_TYPES = ['image', 'video', 'livestream', 'text', 'other'] as const;
export const SITE_TYPES = ['website', 'image_host', 'forum', 'file_host', 'social', 'video_channel', 'chat', 'blog', 'search', 'other'] as const;

export interface Classification {
  ageGroup: (typeof AGE_GROUPS)[number];
  gender: (typeof GENDERS)[number];
  contentType: (typeof CLASSIFIED_CONTENT_TYPES)[number];
  siteType: (typeof SITE_TYPES)[number];
  commercial: boolean;
  /** One of the hotline's configured national legal categories (e.g. UK A/B/C). */
  legalCategory: string;
}

/** A broken rule, by field path (`classification.ageGroup`), in English for staff. */
export interface ClassificationProblem {
  field: string;
  detail: string;
}

const LISTS: Record<Exclude<keyof Classification, 'commercial' | 'legalCategory'>, readonly string[]> = {
  ageGroup: AGE_GROUPS,
  gender: GENDERS,
  contentType: CLASSIFIED_CONTENT_TYPES,
  siteType: SITE_TYPES,
};

const FIELDS = [...Object.keys(LISTS), 'commercial', 'legalCategory'];

/**
 * Checks what a client sent as the classification of `verdict`: required, complete and in the
 * vocabulary for illegal verdicts, absent for the others. Returns the classification to store
 * (null for non-illegal verdicts) or every problem found.
 */
export function checkClassification(
  verdict: Verdict,
  value: unknown,
  legalCategories: readonly string[],
): { ok: true; classification: Classification | null } | { ok: false; problems: ClassificationProblem[] } {
  if (!isIllegalVerdict(verdict)) {
    if (value === undefined || value === null) return { ok: true, classification: null };
    return { ok: false, problems: [{ field: 'classification', detail: `only illegal verdicts (baseline, national) are classified; leave it out for ${verdict}` }] };
  }
  if (value === undefined || value === null) return { ok: false, problems: [{ field: 'classification', detail: `required for a ${verdict} verdict` }] };
  if (typeof value !== 'object' || Array.isArray(value)) return { ok: false, problems: [{ field: 'classification', detail: 'must be an object' }] };

  const record = value as Record<string, unknown>;
  const problems: ClassificationProblem[] = [];
  for (const [field, allowed] of Object.entries(LISTS)) {
    if (!allowed.includes(record[field] as string)) problems.push({ field: `classification.${field}`, detail: `must be one of: ${allowed.join(', ')}` });
  }
  if (typeof record.commercial !== 'boolean') problems.push({ field: 'classification.commercial', detail: 'must be true or false' });
  if (!legalCategories.includes(record.legalCategory as string)) {
    problems.push({ field: 'classification.legalCategory', detail: `must be one of: ${legalCategories.join(', ')}` });
  }
  for (const field of Object.keys(record)) {
    if (!FIELDS.includes(field)) problems.push({ field: `classification.${field}`, detail: 'is not a classification field' });
  }
  if (problems.length) return { ok: false, problems };
  const { ageGroup, gender, contentType, siteType, commercial, legalCategory } = record as unknown as Classification;
  return { ok: true, classification: { ageGroup, gender, contentType, siteType, commercial, legalCategory } };
}
