/**
 * Conversion of the report web page's `application/x-www-form-urlencoded` submission into the JSON
 * body the intake API validates. Shape only: values are not checked here, the API's validator does
 * that and its errors are shown on the page. Pure functions, no I/O.
 */
import type { ReportFormValues } from './render';

/** The names of the page's form controls, exactly as rendered by `renderReportPage`. */
export const REPORT_FORM_FIELDS = ['urls', 'contentType', 'description', 'email', 'victimIdentifiable', 'language'] as const;

export type ReportFormField = (typeof REPORT_FORM_FIELDS)[number];

/** Splits the URL textarea into addresses: one per line (any whitespace separates), blanks dropped. */
export function splitUrls(text: string): string[] {
  return text.split(/\s+/u).filter((part) => part !== '');
}

function own(form: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(form, name) ? form[name] : undefined;
}

/** Browsers send textarea line breaks as CRLF; count them as one character like `maxlength` does. */
function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * A text control: trimmed, `undefined` when absent or blank. Anything that is not a string (a
 * repeated field arrives as an array) is passed through for the validator to reject.
 */
function textValue(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return value;
  const text = normaliseNewlines(value).trim();
  return text === '' ? undefined : text;
}

function urlsValue(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return splitUrls(value);
  if (Array.isArray(value)) return value.flatMap((item) => (typeof item === 'string' ? splitUrls(item) : [item]));
  return [value];
}

const TRUE_WORDS = new Set(['true', 'on', '1', 'yes']);
const FALSE_WORDS = new Set(['false', 'off', '0', 'no']);

function checkboxValue(value: unknown): unknown {
  // A hidden "false" input followed by the checkbox gives ['false', 'true']: the last value wins.
  if (Array.isArray(value)) return value.length === 0 ? undefined : checkboxValue(value[value.length - 1]);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (word === '') return undefined;
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}

/**
 * Converts the parsed form into `{ urls: string[], contentType?, description?, contact?: { email },
 * language?, victimIdentifiable? }`. `urls` is always present (possibly empty); empty optional fields
 * are omitted; fields the page does not have are dropped. Never throws.
 */
export function formToReportBody(form: Record<string, unknown>): Record<string, unknown> {
  const source: Record<string, unknown> = form !== null && typeof form === 'object' && !Array.isArray(form) ? form : {};
  const body: Record<string, unknown> = { urls: urlsValue(own(source, 'urls')) };

  const contentType = textValue(own(source, 'contentType'));
  if (contentType !== undefined) body.contentType = contentType;

  const description = textValue(own(source, 'description'));
  if (description !== undefined) body.description = description;

  const email = textValue(own(source, 'email'));
  if (email !== undefined) body.contact = { email };

  const language = textValue(own(source, 'language'));
  if (language !== undefined) body.language = language;

  const victimIdentifiable = checkboxValue(own(source, 'victimIdentifiable'));
  if (victimIdentifiable !== undefined) body.victimIdentifiable = victimIdentifiable;

  return body;
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.find((item): item is string => typeof item === 'string');
  return undefined;
}

/**
 * The submitted form as values to re-fill the page with after a validation error (what the person
 * typed, not the converted body). Non-string values are dropped.
 */
export function formToValues(form: Record<string, unknown>): ReportFormValues {
  const source: Record<string, unknown> = form !== null && typeof form === 'object' && !Array.isArray(form) ? form : {};
  const values: ReportFormValues = {};
  const urls = own(source, 'urls');
  if (typeof urls === 'string') values.urls = normaliseNewlines(urls);
  else if (Array.isArray(urls)) values.urls = urls.filter((u): u is string => typeof u === 'string').join('\n');
  const contentType = firstString(own(source, 'contentType'));
  if (contentType !== undefined) values.contentType = contentType;
  const description = firstString(own(source, 'description'));
  if (description !== undefined) values.description = normaliseNewlines(description);
  const email = firstString(own(source, 'email'));
  if (email !== undefined) values.email = email;
  const language = firstString(own(source, 'language'));
  if (language !== undefined) values.language = language;
  if (checkboxValue(own(source, 'victimIdentifiable')) === true) values.victimIdentifiable = true;
  return values;
}

/**
 * The status check form (`reference`, `token`, hidden `language`) as trimmed strings; anything
 * missing or not a string becomes the empty string (the look-up then finds nothing).
 */
export function formToStatusCheck(form: Record<string, unknown>): { reference: string; token: string; language?: string } {
  const source: Record<string, unknown> = form !== null && typeof form === 'object' && !Array.isArray(form) ? form : {};
  const text = (name: string): string => {
    const value = own(source, name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const language = text('language');
  return { reference: text('reference'), token: text('token'), ...(language === '' ? {} : { language }) };
}
