import { domainToASCII } from 'node:url';
import { registrableDomain } from '../registrable-domain';

/**
 * One abuse contact of the directory, checked: the abuse desk of a hosting provider that notices
 * go to, for exactly one registrable domain or one autonomous system. Pure: the same rules serve
 * the API, the console page and the CSV and RDAP imports.
 */
export interface AbuseContact {
  organisation: string;
  /** A plain address `local@domain` (domain in ASCII, lower case): nothing a mailer could read as a second recipient. */
  email: string;
  /** A supported BCP 47 primary language tag, lower case (ABUSE_CONTACT_LANGUAGES). */
  language: string;
  /** Lower-case ASCII (punycode) registrable domain, or null for an ASN's contact. */
  domain: string | null;
  /** 1..4294967295, or null for a domain's contact. */
  asn: number | null;
  note: string | null;
}

/** A contact as typed or read from a file: anything, checked by parseAbuseContact. */
export interface RawAbuseContact {
  organisation?: unknown;
  email?: unknown;
  language?: unknown;
  domain?: unknown;
  asn?: unknown;
  note?: unknown;
}

export type AbuseContactField = 'organisation' | 'email' | 'language' | 'domain' | 'asn' | 'note';

/**
 * Why a field was refused: `code` for a translated text (the console), `message` in English (the
 * API's field errors, the CLI). `scope.*` is about domain and ASN together: exactly one is given.
 */
export interface AbuseContactProblem {
  field: AbuseContactField;
  code:
    | 'organisation.required'
    | 'organisation.too_long'
    | 'email.invalid'
    | 'language.unsupported'
    | 'domain.invalid'
    | 'domain.not_registrable'
    | 'domain.subdomain'
    | 'asn.invalid'
    | 'scope.none'
    | 'scope.both'
    | 'note.too_long'
    | 'text.unstorable';
  message: string;
  /** domain.subdomain: the registrable domain to give instead. */
  suggestion?: string;
}

export const MAX_ORGANISATION_LENGTH = 200;
export const MAX_NOTE_LENGTH = 1000;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_ASN = 4294967295;

/**
 * The languages a notice can be written in, as BCP 47 primary tags: the UN's six, the EU's and
 * the other languages of large hosting markets. A desk writing another language gets `en`.
 */
export const ABUSE_CONTACT_LANGUAGES = [
  'ar', 'bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fa', 'fi', 'fr', 'ga', 'he', 'hi', 'hr', 'hu', 'id', 'it', 'ja', 'ko', 'lt',
  'lv', 'ms', 'mt', 'nl', 'no', 'pl', 'pt', 'ro', 'ru', 'sk', 'sl', 'sr', 'sv', 'th', 'tr', 'uk', 'vi', 'zh',
] as const; // prettier-ignore

export type AbuseContactLanguage = (typeof ABUSE_CONTACT_LANGUAGES)[number];

export function isAbuseContactLanguage(value: string): value is AbuseContactLanguage {
  return (ABUSE_CONTACT_LANGUAGES as readonly string[]).includes(value);
}

// A dot-atom local part (RFC 5322 atext) without quotes, commas, angle brackets, spaces or
// controls: the address goes to SMTP as it is, and a mailer must never find a second recipient or
// a header in it.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
// Well-formed BCP 47 as far as a notice's language needs: the primary tag, then any subtags.
const LANGUAGE_TAG = /^([A-Za-z]{2,3})(-[A-Za-z0-9]{1,8})*$/;
// NUL and broken Unicode cannot be stored in PostgreSQL text; other C0 controls have no place here.
const UNSTORABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A host name in lower-case ASCII (IDN as punycode), or null when it is not a DNS name. */
function asciiName(text: string): string | null {
  const ascii = domainToASCII(text.toLowerCase().replace(/\.$/, ''));
  return ascii !== '' && DNS_NAME.test(ascii) ? ascii : null;
}

/** An email address as a notice can be sent to it (domain part in lower-case ASCII), or null. */
export function normaliseAbuseEmail(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length > MAX_EMAIL_LENGTH) return null;
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return null;
  const local = trimmed.slice(0, at);
  const domain = asciiName(trimmed.slice(at + 1));
  if (local.length > 64 || !LOCAL_PART.test(local) || domain === null) return null;
  const email = `${local}@${domain}`;
  return email.length <= MAX_EMAIL_LENGTH ? email : null;
}

/** `AS64500`, `as64500`, `64500` or the number: the ASN, or null when it is not one (1..4294967295). */
export function parseAsn(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= MAX_ASN ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^(?:AS)?\s*([0-9]{1,10})$/i.exec(value.trim());
  if (!match) return null;
  const asn = Number(match[1]);
  return asn >= 1 && asn <= MAX_ASN ? asn : null;
}

/** Text of a field: trimmed; '' for nothing (undefined, null, blank). Non-text is left as it is for the caller to refuse. */
function text(value: unknown): string | unknown {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value.trim() : value;
}

/**
 * Checks and normalises a contact: every problem is named, so one round of corrections fixes the
 * lot. An empty language is `en` (the column's default); domain and ASN: exactly one of them.
 */
export function parseAbuseContact(raw: RawAbuseContact): { contact: AbuseContact } | { problems: AbuseContactProblem[] } {
  const problems: AbuseContactProblem[] = [];
  const problem = (field: AbuseContactField, code: AbuseContactProblem['code'], message: string, suggestion?: string) =>
    problems.push({ field, code, message, ...(suggestion ? { suggestion } : {}) });
  const storable = (field: AbuseContactField, value: unknown): value is string => {
    if (typeof value !== 'string') return false;
    if (!UNSTORABLE.test(value)) return true;
    problem(field, 'text.unstorable', 'must not contain control characters or broken Unicode');
    return false;
  };

  const organisation = text(raw.organisation);
  if (organisation === '' || typeof organisation !== 'string') problem('organisation', 'organisation.required', 'the organisation is required');
  else if ([...organisation].length > MAX_ORGANISATION_LENGTH) problem('organisation', 'organisation.too_long', `at most ${MAX_ORGANISATION_LENGTH} characters`);
  else storable('organisation', organisation);

  const emailText = text(raw.email);
  const email = typeof emailText === 'string' ? normaliseAbuseEmail(emailText) : null;
  if (email === null) problem('email', 'email.invalid', 'not an email address (local@domain, without quotes, commas or spaces)');

  const languageText = text(raw.language);
  let language = 'en';
  if (languageText !== '') {
    const match = typeof languageText === 'string' ? LANGUAGE_TAG.exec(languageText) : null;
    const primary = match?.[1].toLowerCase();
    if (primary && isAbuseContactLanguage(primary)) language = primary;
    else problem('language', 'language.unsupported', `not a supported language (one of ${ABUSE_CONTACT_LANGUAGES.join(', ')})`);
  }

  let domain: string | null = null;
  const domainText = text(raw.domain);
  if (domainText !== '') {
    const ascii = typeof domainText === 'string' && /^[^\s/:@?#[\]\\]+$/.test(domainText) ? asciiName(domainText) : null;
    const registrable = ascii === null ? null : registrableDomain(ascii);
    if (ascii === null) problem('domain', 'domain.invalid', 'not a domain name (give the domain alone, e.g. example.com, not a URL)');
    else if (registrable === null) problem('domain', 'domain.not_registrable', 'a public suffix, not a domain anyone registers (e.g. co.uk)');
    else if (registrable !== ascii) problem('domain', 'domain.subdomain', `a subdomain: give the registrable domain ${registrable}`, registrable);
    else domain = ascii;
  }

  let asn: number | null = null;
  const asnText = text(raw.asn);
  if (asnText !== '') {
    asn = parseAsn(asnText);
    if (asn === null) problem('asn', 'asn.invalid', `not an AS number (1 to ${MAX_ASN}, e.g. 64500 or AS64500)`);
  }

  if (domainText === '' && asnText === '') problem('domain', 'scope.none', 'give the registrable domain or the AS number the contact answers for');
  else if (domainText !== '' && asnText !== '') problem('domain', 'scope.both', 'give either a domain or an AS number, not both (make two contacts)');

  const noteText = text(raw.note);
  let note: string | null = null;
  if (noteText !== '') {
    if (typeof noteText !== 'string') problem('note', 'note.too_long', 'must be text');
    else if ([...noteText].length > MAX_NOTE_LENGTH) problem('note', 'note.too_long', `at most ${MAX_NOTE_LENGTH} characters`);
    else if (storable('note', noteText)) note = noteText;
  }

  if (problems.length > 0) return { problems };
  return { contact: { organisation: organisation as string, email: email!, language, domain, asn, note } };
}

/** What a contact answers for, as one key: `domain:example.com` or `asn:64500` (for finding repeats in a file). */
export function abuseContactScope(contact: Pick<AbuseContact, 'domain' | 'asn'>): string {
  return contact.domain !== null ? `domain:${contact.domain}` : `asn:${contact.asn}`;
}
