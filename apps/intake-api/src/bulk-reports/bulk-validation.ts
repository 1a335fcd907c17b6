import {
  CanonicalUrl,
  CONTENT_HASH_ALGORITHMS,
  ContentHash,
  contentHashText,
  MAX_BULK_URLS,
  MAX_CONTENT_HASHES,
  normaliseContentHash,
  REPORTED_CONTENT_TYPES,
  ReportedContentType,
} from '@hotline/domain';
import { FieldProblem, Language, MessageKey, ProblemException } from '@hotline/http';
import { validateSync, ValidationError } from 'class-validator';
import { checkUrl } from '../reports/report-validation';
import { BulkUrlDto, ContentHashDto, SubmitBulkBatchDto } from './bulk-report.dto';

export interface ValidBulkUrl {
  raw: string;
  canonical: CanonicalUrl;
  /** Normalised, each once; empty when none was given. */
  contentHashes: ContentHash[];
}

export interface ValidBulkBatch {
  batchId: string;
  contentType: ReportedContentType | null;
  language: string | undefined;
  urls: ValidBulkUrl[];
}

type Described = Omit<FieldProblem, 'field'>;

// One message per failing field: the first constraint that failed (the public intake's words).
function describe(error: ValidationError): Described {
  const constraint = Object.keys(error.constraints ?? {})[0];
  switch (constraint) {
    case 'whitelistValidation':
      return { message: 'field.unknown' };
    case 'isDefined':
      return { message: 'field.required' };
    case 'isArray':
      return { message: 'field.must_be_array' };
    case 'arrayMinSize':
    case 'arrayMaxSize':
      // The catalogue's array-size words speak of addresses: right for urls; hashes have their own.
      return error.property === 'urls'
        ? { message: 'field.array_size', params: { min: 1, max: MAX_BULK_URLS } }
        : { message: 'field.list_size', params: { max: MAX_CONTENT_HASHES } };
    case 'isIn':
      return { message: 'field.one_of', params: { values: REPORTED_CONTENT_TYPES.join(', ') } };
    case 'isString':
      return { message: 'field.must_be_string' };
    case 'isBcp47':
      return { message: 'field.language_tag' };
    default:
      return { message: 'field.invalid' as MessageKey };
  }
}

function problemsOf(instance: object, path: (property: string) => string): FieldProblem[] {
  return validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }).map((error) => ({
    field: path(error.property),
    ...describe(error),
  }));
}

/** A DTO instance holding the body's own keys (never `__proto__`, which JSON.parse makes an own key). */
function toInstance<T extends object>(type: new () => T, plain: object): T {
  const instance = new type() as Record<string, unknown>;
  for (const [key, value] of Object.entries(plain)) if (key !== '__proto__') instance[key] = value;
  return instance as T;
}

function isPlainObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One content hash, normalised, or its problems. */
function checkHash(given: unknown, at: string): ContentHash | FieldProblem[] {
  if (!isPlainObject(given)) return [{ field: at, message: 'field.must_be_object' }];
  const hash = toInstance(ContentHashDto, given);
  const shape = problemsOf(hash, (property) => `${at}.${property}`);
  if (shape.length > 0) return shape;
  const normal = normaliseContentHash(hash.algorithm, hash.value);
  if (!('problem' in normal)) return normal;
  return normal.problem === 'algorithm'
    ? [{ field: `${at}.algorithm`, message: 'field.one_of', params: { values: CONTENT_HASH_ALGORITHMS.join(', ') } }]
    : [{ field: `${at}.value`, message: 'field.content_hash' }];
}

/** One entry of `urls`: its URL by the public intake's rules, its hashes normalised. */
function checkEntry(entry: unknown, field: string, problems: FieldProblem[]): ValidBulkUrl | null {
  if (!isPlainObject(entry)) {
    problems.push({ field, message: 'field.must_be_object' });
    return null;
  }
  const dto = toInstance(BulkUrlDto, entry);
  const shape = problemsOf(dto, (property) => `${field}.${property}`);
  problems.push(...shape);
  const before = problems.length;
  let url: { raw: string; canonical: CanonicalUrl } | null = null;
  if (dto.url !== undefined) {
    const checked = checkUrl(dto.url);
    if ('problem' in checked) problems.push({ field: `${field}.url`, ...checked.problem });
    else url = checked;
  }
  const hashes = new Map<string, ContentHash>();
  if (Array.isArray(dto.contentHashes) && dto.contentHashes.length <= MAX_CONTENT_HASHES) {
    dto.contentHashes.forEach((given, j) => {
      const checked = checkHash(given, `${field}.contentHashes[${j}]`);
      if (Array.isArray(checked)) problems.push(...checked);
      else hashes.set(contentHashText(checked), checked);
    });
  }
  if (shape.length > 0 || problems.length > before || !url) return null;
  return { ...url, contentHashes: [...hashes.values()] };
}

/**
 * Validates a batch: its shape by class-validator (unknown fields refused at every level), then
 * each URL by the public intake's own check, so a bulk URL is refused exactly when a reporter's
 * would be, and each error names where it is (`urls[12].url`, `urls[3].contentHashes[0].value`).
 * All errors are reported at once. One bad URL refuses the whole batch: nothing is filed, and the
 * sender fixes it and sends it again under the same batch id.
 */
export function validateBulkBatch(body: unknown, language: Language): ValidBulkBatch {
  if (!isPlainObject(body)) throw new ProblemException('validation', { language, errors: [{ field: 'body', message: 'field.must_be_object' }] });
  const dto = toInstance(SubmitBulkBatchDto, body);
  const problems = problemsOf(dto, (property) => property);
  const urls: ValidBulkUrl[] = [];
  if (Array.isArray(dto.urls) && dto.urls.length >= 1 && dto.urls.length <= MAX_BULK_URLS) {
    dto.urls.forEach((entry, index) => {
      const valid = checkEntry(entry, `urls[${index}]`, problems);
      if (valid) urls.push(valid);
    });
  }
  if (problems.length > 0) throw new ProblemException('validation', { language, errors: problems });
  return { batchId: dto.batchId, contentType: dto.contentType ?? null, language: dto.language, urls };
}

/** The URLs a body holds, as far as it can be read: what a refusal counts in the metrics. */
export function urlsInBody(body: unknown): number {
  const urls = isPlainObject(body) ? (body as { urls?: unknown }).urls : undefined;
  return Array.isArray(urls) ? urls.length : 0;
}
