import { MAX_JSON_DEPTH, nestedDeeperThan, unstorableFields } from '@hotline/persistence';
import { AGE_GROUPS, CLASSIFIED_CONTENT_TYPES, GENDERS, MAX_REPORTED_URL_LENGTH, parseReportableUrl, SITE_TYPES, VERDICTS } from '@hotline/domain';

/**
 * The messages of the exchange protocol (docs/exchange-protocol.md) and their validation. Pure:
 * the inbound endpoint checks what a partner sent with `parseExchangeMessage`, the outbound
 * delivery builds the same types.
 */

export const EXCHANGE_MESSAGE_TYPES = ['case.forward', 'case.ack', 'case.status'] as const;
export type ExchangeMessageType = (typeof EXCHANGE_MESSAGE_TYPES)[number];

/**
 * A stored exchange message (exchange_message): ours go out, pending until delivered, failed once
 * delivery gave up (a redrive tries again); theirs come in received.
 */
export const EXCHANGE_DIRECTIONS = ['in', 'out'] as const;
export type ExchangeDirection = (typeof EXCHANGE_DIRECTIONS)[number];
export const EXCHANGE_MESSAGE_STATUSES = ['pending', 'delivered', 'failed', 'received'] as const;
export type ExchangeMessageStatus = (typeof EXCHANGE_MESSAGE_STATUSES)[number];

/** What the receiver of a forward tells its sender about the case (`case.status`). */
export const PARTNER_CASE_STATUSES = ['assessed', 'not_illegal', 'notice_sent', 'removed', 'not_found', 'not_hosted_here'] as const;
export type PartnerCaseStatus = (typeof PARTNER_CASE_STATUSES)[number];

export const MAX_MESSAGE_ID_LENGTH = 100;
export const MAX_REFERENCE_LENGTH = 200;
// A forwarded URL becomes a report of ours: the public limit holds for it too.
export const MAX_EXCHANGE_URL_LENGTH = MAX_REPORTED_URL_LENGTH;
export const MAX_HASHES = 100;

interface MessageBase {
  /** The sender's id of this message, unique per sender, at most 100 printable ASCII characters. */
  messageId: string;
  /** ISO 8601. */
  sentAt: string;
}

export interface ForwardHosting {
  ip: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  asn: number | null;
  organisation: string | null;
}

/** The classification of a forwarded case; every field optional (the sender's vocabulary is ours). */
export interface ForwardClassification {
  verdict?: (typeof VERDICTS)[number];
  ageGroup?: (typeof AGE_GROUPS)[number];
  gender?: (typeof GENDERS)[number];
  contentType?: (typeof CLASSIFIED_CONTENT_TYPES)[number];
  siteType?: (typeof SITE_TYPES)[number];
  commercial?: boolean;
}

/** A confirmed case hosted in the receiver's country. Never reporter data. */
export interface CaseForward extends MessageBase {
  type: 'case.forward';
  /** The sender's case id. */
  reference: string;
  url: string;
  hosting: ForwardHosting;
  classification: ForwardClassification;
  /** Content hashes as `<algorithm>:<value>` strings (may be empty). */
  hashes: string[];
}

/** The forward arrived. */
export interface CaseAck extends MessageBase {
  type: 'case.ack';
  /** The messageId of the forward. */
  inReplyTo: string;
  /** The forwarder's reference. */
  reference: string;
  /** The receiver's id for it (its report or case id). */
  theirReference: string;
}

/** What happened to a forwarded case, sent by its receiver to the forwarder. */
export interface CaseStatus extends MessageBase {
  type: 'case.status';
  /** The forwarder's reference. */
  reference: string;
  status: PartnerCaseStatus;
  /** When it happened, ISO 8601. */
  at: string;
}
export type CaseStatusMessage = CaseStatus;

export type ExchangeMessage = CaseForward | CaseAck | CaseStatus;

/** One broken rule, by field path (`hosting.country`), in English. */
export interface ExchangeMessageProblem {
  field: string;
  detail: string;
}

export type ParsedExchangeMessage = { ok: true; message: ExchangeMessage } | { ok: false; errors: ExchangeMessageProblem[] };

const MESSAGE_ID = /^[\x21-\x7e]{1,100}$/;
// ISO 8601 date-time with a zone (Z or an offset), seconds and fractions optional.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const COUNTRY = /^[A-Z]{2}$/;
const HASH = /^[a-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{1,512}$/;
// PostgreSQL text and jsonb cannot hold NUL or lone surrogates; control characters have no
// place in any field of this protocol either.
const UNSTORABLE = /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** An ISO 8601 date-time with a zone that names a real instant; null if not. */
export function parseIsoDateTime(value: unknown): Date | null {
  if (typeof value !== 'string' || value.length > 40 || !ISO_DATE_TIME.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Checks a message as a partner sent it: the JSON text (or the value already parsed). Returns the
 * message with only the fields the protocol knows (others are ignored), or every problem found.
 * Never throws.
 */
export function parseExchangeMessage(json: unknown): ParsedExchangeMessage {
  let value: unknown = json;
  if (typeof json === 'string' || Buffer.isBuffer(json)) {
    try {
      value = JSON.parse(json.toString());
    } catch {
      return { ok: false, errors: [{ field: 'body', detail: 'must be JSON' }] };
    }
  }
  if (!isPlainObject(value)) return { ok: false, errors: [{ field: 'body', detail: 'must be a JSON object' }] };
  // JSON.parse takes any depth; walking it recursively would not (a RangeError, a 500).
  if (nestedDeeperThan(value, MAX_JSON_DEPTH)) return { ok: false, errors: [{ field: 'body', detail: `must not nest deeper than ${MAX_JSON_DEPTH} levels` }] };
  const broken = unstorableFields(value, UNSTORABLE);
  if (broken.length > 0) return { ok: false, errors: broken.map((field) => ({ field, detail: 'must not contain control characters or broken Unicode' })) };

  const errors: ExchangeMessageProblem[] = [];
  const check = new Checker(value, errors);
  const messageId = check.string('messageId', MESSAGE_ID, 'must be 1 to 100 printable ASCII characters');
  const sentAt = check.dateTime('sentAt');
  const type = value.type;
  if (typeof type !== 'string' || !(EXCHANGE_MESSAGE_TYPES as readonly string[]).includes(type)) {
    errors.push({ field: 'type', detail: `must be one of ${EXCHANGE_MESSAGE_TYPES.join(', ')}` });
    return { ok: false, errors };
  }
  const reference = check.text('reference', MAX_REFERENCE_LENGTH);
  let message: ExchangeMessage;
  switch (type as ExchangeMessageType) {
    case 'case.forward': {
      const url = forwardUrl(value.url, errors);
      message = {
        messageId,
        type: 'case.forward',
        sentAt,
        reference,
        url,
        hosting: forwardHosting(value.hosting, errors),
        classification: forwardClassification(value.classification, errors),
        hashes: forwardHashes(value.hashes, errors),
      };
      break;
    }
    case 'case.ack':
      message = {
        messageId,
        type: 'case.ack',
        sentAt,
        inReplyTo: check.string('inReplyTo', MESSAGE_ID, 'must be 1 to 100 printable ASCII characters'),
        reference,
        theirReference: check.text('theirReference', MAX_REFERENCE_LENGTH),
      };
      break;
    case 'case.status': {
      const status = value.status;
      if (typeof status !== 'string' || !(PARTNER_CASE_STATUSES as readonly string[]).includes(status)) {
        errors.push({ field: 'status', detail: `must be one of ${PARTNER_CASE_STATUSES.join(', ')}` });
      }
      message = { messageId, type: 'case.status', sentAt, reference, status: status as PartnerCaseStatus, at: check.dateTime('at') };
      break;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, message };
}

class Checker {
  constructor(
    private readonly value: Record<string, unknown>,
    private readonly errors: ExchangeMessageProblem[],
    private readonly prefix = '',
  ) {}

  string(field: string, pattern: RegExp, detail: string): string {
    const v = this.value[field];
    if (typeof v !== 'string' || !pattern.test(v)) {
      this.errors.push({ field: this.prefix + field, detail: v === undefined ? 'is required' : detail });
      return '';
    }
    return v;
  }

  text(field: string, max: number): string {
    const v = this.value[field];
    if (typeof v !== 'string' || v.trim() === '' || v.length > max) {
      this.errors.push({ field: this.prefix + field, detail: v === undefined ? 'is required' : `must be a non-empty string of at most ${max} characters` });
      return '';
    }
    return v;
  }

  dateTime(field: string): string {
    const v = this.value[field];
    if (parseIsoDateTime(v) === null) {
      this.errors.push({ field: this.prefix + field, detail: v === undefined ? 'is required' : 'must be an ISO 8601 date-time with a zone' });
      return '';
    }
    return v as string;
  }
}

function forwardUrl(value: unknown, errors: ExchangeMessageProblem[]): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_EXCHANGE_URL_LENGTH) {
    errors.push({ field: 'url', detail: value === undefined ? 'is required' : `must be a URL of at most ${MAX_EXCHANGE_URL_LENGTH} characters` });
    return '';
  }
  const parsed = parseReportableUrl(value);
  if (!parsed.ok) {
    errors.push({ field: 'url', detail: `not a reportable URL (${parsed.reason})` });
    return '';
  }
  return value;
}

function forwardHosting(value: unknown, errors: ExchangeMessageProblem[]): ForwardHosting {
  const hosting: ForwardHosting = { ip: null, country: null, asn: null, organisation: null };
  if (value === undefined || value === null) return hosting;
  if (!isPlainObject(value)) {
    errors.push({ field: 'hosting', detail: 'must be an object' });
    return hosting;
  }
  const { ip, country, asn, organisation } = value;
  if (ip !== undefined && ip !== null) {
    if (typeof ip === 'string' && ip.length <= 45 && /^[0-9A-Fa-f:.]+$/.test(ip)) hosting.ip = ip;
    else errors.push({ field: 'hosting.ip', detail: 'must be an IPv4 or IPv6 address' });
  }
  if (country !== undefined && country !== null) {
    if (typeof country === 'string' && COUNTRY.test(country)) hosting.country = country;
    else errors.push({ field: 'hosting.country', detail: 'must be an ISO 3166-1 alpha-2 code in capitals' });
  }
  if (asn !== undefined && asn !== null) {
    if (typeof asn === 'number' && Number.isInteger(asn) && asn >= 0 && asn <= 4294967295) hosting.asn = asn;
    else errors.push({ field: 'hosting.asn', detail: 'must be an integer 0..4294967295' });
  }
  if (organisation !== undefined && organisation !== null) {
    if (typeof organisation === 'string' && organisation.length <= 200) hosting.organisation = organisation;
    else errors.push({ field: 'hosting.organisation', detail: 'must be a string of at most 200 characters' });
  }
  return hosting;
}

const CLASSIFICATION_LISTS = {
  verdict: VERDICTS,
  ageGroup: AGE_GROUPS,
  gender: GENDERS,
  contentType: CLASSIFIED_CONTENT_TYPES,
  siteType: SITE_TYPES,
} as const;

function forwardClassification(value: unknown, errors: ExchangeMessageProblem[]): ForwardClassification {
  const classification: Record<string, unknown> = {};
  if (value === undefined || value === null) return classification;
  if (!isPlainObject(value)) {
    errors.push({ field: 'classification', detail: 'must be an object' });
    return classification;
  }
  for (const [field, list] of Object.entries(CLASSIFICATION_LISTS)) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && (list as readonly string[]).includes(v)) classification[field] = v;
    else errors.push({ field: `classification.${field}`, detail: `must be one of ${list.join(', ')}` });
  }
  if (value.commercial !== undefined && value.commercial !== null) {
    if (typeof value.commercial === 'boolean') classification.commercial = value.commercial;
    else errors.push({ field: 'classification.commercial', detail: 'must be true or false' });
  }
  return classification as ForwardClassification;
}

function forwardHashes(value: unknown, errors: ExchangeMessageProblem[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > MAX_HASHES) {
    errors.push({ field: 'hashes', detail: `must be an array of at most ${MAX_HASHES} hashes` });
    return [];
  }
  const hashes: string[] = [];
  value.forEach((hash, i) => {
    if (typeof hash === 'string' && HASH.test(hash)) hashes.push(hash);
    else errors.push({ field: `hashes[${i}]`, detail: 'must be "<algorithm>:<value>"' });
  });
  return hashes;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
