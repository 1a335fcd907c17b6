import { checkClassification, isIllegalVerdict, isVerdict, REVIEW_DECISIONS, ReviewDecision, Verdict } from '@hotline/domain';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppealBody, AssessmentBody, RevealBody, ReviewBody } from '../../../assessment/assessment.dto';
import type { ConsoleMessageKey } from '../../i18n';
import { field } from '../../page-reply';

/** The parts of a classification, as the form names its fields (and the domain rule its paths). */
export const CLASSIFICATION_FIELDS = ['ageGroup', 'gender', 'contentType', 'siteType', 'commercial', 'legalCategory'] as const;
export type ClassificationField = (typeof CLASSIFICATION_FIELDS)[number];

/** A verdict form (assessment or review) as typed: strings, shown again when it has problems. */
export interface VerdictFormValues {
  /** Review without blind review only: confirm or overturn. */
  decision: string;
  verdict: string;
  ageGroup: string;
  gender: string;
  contentType: string;
  siteType: string;
  /** 'yes', 'no' or ''. */
  commercial: string;
  legalCategory: string;
  notes: string;
}

export const EMPTY_VERDICT_FORM: VerdictFormValues = {
  decision: '',
  verdict: '',
  ageGroup: '',
  gender: '',
  contentType: '',
  siteType: '',
  commercial: '',
  legalCategory: '',
  notes: '',
};

/**
 * A problem of a form, by the field path the server's rules use (`verdict`,
 * `classification.ageGroup`, `reason`), with the console text that says what to do.
 */
export interface FormProblem {
  field: string;
  message: ConsoleMessageKey;
}

export type Checked<T> = { ok: true; body: T } | { ok: false; problems: FormProblem[]; values: VerdictFormValues };

const PART_MESSAGES: Record<ClassificationField, ConsoleMessageKey> = {
  ageGroup: 'analyst.problem.ageGroup',
  gender: 'analyst.problem.gender',
  contentType: 'analyst.problem.contentType',
  siteType: 'analyst.problem.siteType',
  commercial: 'analyst.problem.commercial',
  legalCategory: 'analyst.problem.legalCategory',
};

/**
 * The console's words for a broken rule, by its field path: the domain's classification rule
 * (checkClassification) and the DTOs' rules speak English to API clients; the page speaks the
 * analyst's language and says what to do. `verdict` tells a missing classification from a refused one.
 */
export function problemMessage(path: string, verdict: string): ConsoleMessageKey {
  if (path === 'verdict') return 'analyst.problem.verdict';
  if (path === 'decision') return 'analyst.problem.decision';
  if (path === 'notes') return 'analyst.problem.notes';
  if (path === 'reason') return 'analyst.problem.reason';
  if (path === 'classification') {
    return isVerdict(verdict) && !isIllegalVerdict(verdict) ? 'analyst.problem.classificationRefused' : 'analyst.problem.classificationRequired';
  }
  const part = /^classification\.(\w+)$/.exec(path)?.[1];
  if (part) return (CLASSIFICATION_FIELDS as readonly string[]).includes(part) ? PART_MESSAGES[part as ClassificationField] : 'analyst.problem.unknownField';
  return 'analyst.problem.field';
}

/** Where a problem's link in the error summary goes: the field, or the first choice of a group. */
export function problemAnchor(path: string, firstChoices: Readonly<Record<string, string>>): string {
  if (path === 'classification') return `ageGroup-${firstChoices.ageGroup ?? ''}`;
  const part = /^classification\.(\w+)$/.exec(path)?.[1];
  if (part && firstChoices[part] !== undefined) return `${part}-${firstChoices[part]}`;
  if (firstChoices[path] !== undefined) return `${path}-${firstChoices[path]}`;
  return path;
}

/** The fields of a verdict form. A field sent twice (not a string) counts as not given. */
export function readVerdictForm(form: unknown): VerdictFormValues {
  const values = { ...EMPTY_VERDICT_FORM };
  for (const name of Object.keys(values) as (keyof VerdictFormValues)[]) values[name] = field(form, name, name === 'notes' ? 10_000 : 100);
  return values;
}

/**
 * The classification the form holds, for the domain rule to judge. For an illegal verdict every
 * part is passed (missing ones undefined), so each missing part is named; for another verdict
 * only when the analyst filled some part in, which the rule then refuses.
 */
export function classificationOf(values: VerdictFormValues, verdict: Verdict): Record<string, unknown> | undefined {
  const given = CLASSIFICATION_FIELDS.some((name) => values[name] !== '');
  if (!isIllegalVerdict(verdict) && !given) return undefined;
  const text = (value: string) => (value === '' ? undefined : value);
  return {
    ageGroup: text(values.ageGroup),
    gender: text(values.gender),
    contentType: text(values.contentType),
    siteType: text(values.siteType),
    commercial: values.commercial === 'yes' ? true : values.commercial === 'no' ? false : undefined,
    legalCategory: text(values.legalCategory),
  };
}

/** The same form without its classification (cleared after the rule refused one). */
export function withoutClassification(values: VerdictFormValues): VerdictFormValues {
  return { ...values, ageGroup: '', gender: '', contentType: '', siteType: '', commercial: '', legalCategory: '' };
}

/** Checks an assessment form by the API's own rules: AssessmentBody's, then the classification's. */
export function checkAssessmentForm(values: VerdictFormValues, legalCategories: readonly string[]): Checked<AssessmentBody> {
  const notes = values.notes.trim() === '' ? undefined : values.notes;
  const problems = dtoProblems(AssessmentBody, { verdict: values.verdict, ...(notes !== undefined ? { notes } : {}) });
  if (!isVerdict(values.verdict)) return failed(problems, values);
  const classification = classificationOf(values, values.verdict);
  const checked = checkClassification(values.verdict, classification, legalCategories);
  if (!checked.ok) problems.push(...checked.problems.map((problem) => problem.field));
  if (problems.length) return failed(problems, values);
  return {
    ok: true,
    body: { verdict: values.verdict, ...(classification ? { classification: checked.ok ? checked.classification : null } : {}), notes } as AssessmentBody,
  };
}

/**
 * Checks a review form. Blind, the reviewer gives their own verdict (the server decides confirm or
 * overturn); otherwise they confirm, or overturn with their own verdict and classification.
 */
export function checkReviewForm(values: VerdictFormValues, options: { blind: boolean; legalCategories: readonly string[] }): Checked<ReviewBody> {
  const notes = values.notes.trim() === '' ? undefined : values.notes;
  const decision: string = options.blind ? 'confirm' : values.decision;
  if (!options.blind && decision === 'confirm') {
    const own = values.verdict !== '' || CLASSIFICATION_FIELDS.some((name) => values[name] !== '');
    // A confirmation keeps the verdict under review: an own verdict would be refused. Cleared, so
    // the form can be sent again at once (a radio button cannot be unchecked without a script).
    if (own) return { ok: false, problems: [{ field: 'verdict', message: 'analyst.problem.confirmKeeps' }], values: withoutClassification({ ...values, verdict: '' }) };
    const problems = dtoProblems(ReviewBody, { decision, ...(notes !== undefined ? { notes } : {}) });
    if (problems.length) return failed(problems, values);
    return { ok: true, body: { decision: 'confirm', notes } as ReviewBody };
  }
  const problems = dtoProblems(ReviewBody, { decision, verdict: values.verdict, ...(notes !== undefined ? { notes } : {}) });
  if (!(REVIEW_DECISIONS as readonly string[]).includes(decision) || !isVerdict(values.verdict)) return failed(problems, values);
  const classification = classificationOf(values, values.verdict);
  const checked = checkClassification(values.verdict, classification, options.legalCategories);
  if (!checked.ok) problems.push(...checked.problems.map((problem) => problem.field));
  if (problems.length) return failed(problems, values);
  return {
    ok: true,
    body: {
      decision: decision as ReviewDecision,
      verdict: values.verdict,
      ...(classification ? { classification: checked.ok ? checked.classification : null } : {}),
      notes,
    } as ReviewBody,
  };
}

/** A reveal's or an appeal's reason, by RevealBody's or AppealBody's rule; null when it breaks it. */
export function checkReason(kind: 'reveal' | 'appeal', reason: string): string | null {
  return dtoProblems(kind === 'reveal' ? RevealBody : AppealBody, { reason }).length ? null : reason;
}

/** Turns field paths into problems; a classification the rule refused is cleared from the form shown again. */
function failed(paths: string[], values: VerdictFormValues): { ok: false; problems: FormProblem[]; values: VerdictFormValues } {
  const unique = [...new Set(paths)];
  const problems = unique.map((path) => ({ field: path, message: problemMessage(path, values.verdict) }));
  const refused = problems.some((problem) => problem.message === 'analyst.problem.classificationRefused');
  return { ok: false, problems, values: refused ? withoutClassification(values) : values };
}

/** The properties of `body` that break the DTO's rules (class-validator, as the API checks them). */
function dtoProblems(dto: new () => object, body: Record<string, unknown>): string[] {
  const errors = validateSync(plainToInstance(dto, body), { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  return errors.map((error) => error.property);
}

/** Field problems of a 400 the services answered (the same rules, checked again in the transaction). */
export function problemsFromErrors(errors: readonly { field: string }[] | undefined, values: VerdictFormValues): ReturnType<typeof failed> {
  return failed(
    (errors ?? []).map((error) => error.field),
    values,
  );
}
