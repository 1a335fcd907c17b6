import {
  CanonicalUrl,
  MAX_CONTACT_EMAIL_LENGTH,
  MAX_REPORT_DESCRIPTION_LENGTH,
  MAX_REPORT_URLS,
  MAX_REPORTED_URL_LENGTH,
  parseReportableUrl,
  REPORTED_CONTENT_TYPES,
} from '@hotline/domain';
import { FieldProblem, Language, MessageKey, ProblemException } from '@hotline/http';
import { validateSync, ValidationError } from 'class-validator';
import { ReportContactDto, SubmitReportDto } from './report.dto';

export interface ValidReport {
  dto: SubmitReportDto;
  urls: { raw: string; canonical: CanonicalUrl }[];
}

// One message per failing field: the first constraint that failed, translated later.
const CONSTRAINT_MESSAGES: Record<string, (error: ValidationError) => Omit<FieldProblem, 'field'>> = {
  whitelistValidation: () => ({ message: 'field.unknown' }),
  isDefined: () => ({ message: 'field.required' }),
  isArray: () => ({ message: 'field.must_be_array' }),
  arrayMinSize: () => ({ message: 'field.array_size', params: { min: 1, max: MAX_REPORT_URLS } }),
  arrayMaxSize: () => ({ message: 'field.array_size', params: { min: 1, max: MAX_REPORT_URLS } }),
  isIn: () => ({ message: 'field.one_of', params: { values: REPORTED_CONTENT_TYPES.join(', ') } }),
  isString: () => ({ message: 'field.must_be_string' }),
  maxLength: (error) => ({ message: 'field.max_length', params: { max: maxLengthOf(error) } }),
  isEmail: () => ({ message: 'field.email' }),
  isBoolean: () => ({ message: 'field.must_be_boolean' }),
  isObject: () => ({ message: 'field.must_be_object' }),
  nestedValidation: () => ({ message: 'field.must_be_object' }),
  isBcp47: () => ({ message: 'field.language_tag' }),
  matches: () => ({ message: 'field.country_code' }),
};

function maxLengthOf(error: ValidationError): number {
  return error.property === 'description' ? MAX_REPORT_DESCRIPTION_LENGTH : error.property === 'email' ? MAX_CONTACT_EMAIL_LENGTH : MAX_REPORTED_URL_LENGTH;
}

const URL_REJECTION_MESSAGES: Record<string, MessageKey> = {
  empty: 'field.url.empty',
  too_long: 'field.url.too_long',
  scheme_not_allowed: 'field.url.scheme',
  host_not_public: 'field.url.host_not_public',
  special_use_host: 'field.url.host_not_public',
  single_label_host: 'field.url.single_label',
};

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraint = Object.keys(error.constraints ?? {})[0];
    if (constraint) {
      const describe = CONSTRAINT_MESSAGES[constraint] ?? (() => ({ message: 'field.invalid' as MessageKey }));
      problems.push({ field, ...describe(error) });
    }
    if (error.children?.length) problems.push(...flatten(error.children, field));
  }
  return problems;
}

/** Checks one reported URL the way the contract says; null when it is acceptable. */
export function checkUrl(value: unknown): { problem: Omit<FieldProblem, 'field'> } | { raw: string; canonical: CanonicalUrl } {
  if (typeof value !== 'string') return { problem: { message: 'field.must_be_string' } };
  if (value.trim() === '') return { problem: { message: 'field.url.empty' } };
  if (value.length > MAX_REPORTED_URL_LENGTH) return { problem: { message: 'field.url.too_long', params: { max: MAX_REPORTED_URL_LENGTH } } };
  // PostgreSQL text cannot hold NUL; such input is not a URL anyone can visit either.
  if (value.includes('\u0000')) return { problem: { message: 'field.url.invalid' } };
  const result = parseReportableUrl(value);
  if (!result.ok) {
    return { problem: { message: URL_REJECTION_MESSAGES[result.reason] ?? 'field.url.invalid', params: { max: MAX_REPORTED_URL_LENGTH } } };
  }
  return { raw: value, canonical: result.url };
}

/**
 * The DTO class-validator needs, built by hand: the body is flat JSON with one optional nested
 * object, and class-transformer's generic walk was a third of the validation time on the intake hot path.
 */
function toInstance<T extends object>(type: new () => T, plain: object): T {
  const instance = new type() as Record<string, unknown>;
  for (const [key, value] of Object.entries(plain)) {
    // JSON.parse makes "__proto__" an own key; assigning it would swap the instance's prototype.
    if (key !== '__proto__') instance[key] = value;
  }
  return instance as T;
}

function isPlainObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Validates a report body: class-validator for its shape (unknown fields refused), then each URL
 * on its own so every error names its index (`urls[3]`). All errors are reported at once.
 */
export function validateReport(body: unknown, language: Language): ValidReport {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProblemException('validation', { language, errors: [{ field: 'body', message: 'field.must_be_object' }] });
  }
  const dto = toInstance(SubmitReportDto, body);
  if (isPlainObject(dto.contact)) dto.contact = toInstance(ReportContactDto, dto.contact);
  const problems = flatten(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }));
  const urls: ValidReport['urls'] = [];
  if (Array.isArray(dto.urls) && dto.urls.length >= 1 && dto.urls.length <= MAX_REPORT_URLS) {
    dto.urls.forEach((value, index) => {
      const checked = checkUrl(value);
      if ('problem' in checked) problems.push({ field: `urls[${index}]`, ...checked.problem });
      else urls.push(checked);
    });
  }
  if (problems.length > 0) throw new ProblemException('validation', { language, errors: problems });
  return { dto, urls };
}
