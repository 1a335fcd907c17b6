import { AbuseContact, isAbuseContactLanguage, MAX_ASN, MAX_ORGANISATION_LENGTH, normaliseAbuseEmail } from './abuse-contact';

/**
 * Abuse contacts from RDAP responses (RFC 9083) saved to a file: nothing here calls the internet.
 * An `autnum` object gives the contact of each AS number from startAutnum to endAutnum; an
 * `ip network` object only when it names its origin AS (ARIN's `arin_originas0_originautnums`
 * extension), since a contact answers for a domain or an ASN, never for an address range: the
 * others are skipped and counted. The contact is the entity with the `abuse` role (nested entities
 * too, as ARIN and RIPE nest the abuse desk inside the organisation), its email from its jCard
 * (RFC 7095); the organisation is the registrant's name, else the abuse entity's, else the
 * object's.
 */

/** Why an object of the file gave no contact (each counted, so nothing is dropped unseen). */
export interface RdapSkipped {
  /** `ip network` objects that name no origin AS. */
  ipNetworkWithoutAsn: number;
  /** autnum or ip network objects without an `abuse` entity that has an email. */
  noAbuseContact: number;
  /** An abuse email that is not a plain address a notice can go to. */
  badEmail: number;
  /** A range of more than MAX_RDAP_RANGE AS numbers (a registry's block, not a network). */
  rangeTooLarge: number;
  /** An AS number given by an earlier object of the file (the first wins). */
  duplicates: number;
  /** RDAP error responses (`errorCode`), e.g. a 404 saved with the rest. */
  errorResponses: number;
  /** Objects of other classes (domain, entity, nameserver). */
  otherObjects: number;
}

export interface RdapImport {
  contacts: { line: number; contact: AbuseContact }[];
  skipped: RdapSkipped;
  /** What is not RDAP at all (the caller imports nothing when there is any), by line. */
  errors: { line: number; message: string }[];
}

/** The largest autnum range whose AS numbers each get the contact. */
export const MAX_RDAP_RANGE = 256;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The responses of a file: one JSON response, a JSON array of them, or JSON lines (one a line);
 * each with the line it starts on.
 */
export function readRdapResponses(text: string): { items: { line: number; value: unknown }[]; errors: { line: number; message: string }[] } {
  const body = text.replace(/^\uFEFF/, '');
  try {
    const value: unknown = JSON.parse(body);
    if (Array.isArray(value)) {
      const lines = arrayItemLines(body);
      return { items: value.map((item, i) => ({ line: lines[i] ?? 1, value: item })), errors: [] };
    }
    return { items: [{ line: firstLine(body), value }], errors: [] };
  } catch (whole) {
    // Not one JSON document: JSON lines, or broken JSON (then the first line that does not parse says so).
    const items: { line: number; value: unknown }[] = [];
    const errors: { line: number; message: string }[] = [];
    const lines = body.split(/\r?\n/);
    const single = lines.filter((line) => line.trim() !== '').length <= 1;
    lines.forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        items.push({ line: i + 1, value: JSON.parse(raw) });
      } catch (error) {
        errors.push({ line: i + 1, message: `not JSON: ${(single ? (whole as Error) : (error as Error)).message}` });
      }
    });
    if (items.length === 0 && errors.length === 0) errors.push({ line: 1, message: 'the file is empty' });
    return { items, errors };
  }
}

/** Parses a file of RDAP responses (see readRdapResponses) into ASN contacts. */
export function parseRdapFile(text: string): RdapImport {
  const read = readRdapResponses(text);
  const result: RdapImport = {
    contacts: [],
    skipped: { ipNetworkWithoutAsn: 0, noAbuseContact: 0, badEmail: 0, rangeTooLarge: 0, duplicates: 0, errorResponses: 0, otherObjects: 0 },
    errors: [...read.errors],
  };
  const seen = new Set<number>();
  for (const { line, value } of read.items) {
    if (!isObject(value)) {
      result.errors.push({ line, message: 'an RDAP response must be a JSON object' });
      continue;
    }
    for (const object of objectsOf(value)) {
      const outcome = contactsOf(object);
      if ('error' in outcome) result.errors.push({ line, message: outcome.error });
      else if ('skipped' in outcome) result.skipped[outcome.skipped]++;
      else {
        for (const asn of outcome.asns) {
          if (seen.has(asn)) {
            result.skipped.duplicates++;
            continue;
          }
          seen.add(asn);
          result.contacts.push({ line, contact: { ...outcome.contact, asn } });
        }
      }
    }
  }
  return result;
}

/** A response's objects: itself, or the results of a search response. */
function objectsOf(response: Json): Json[] {
  for (const key of ['autnumSearchResults', 'ipSearchResults', 'networkSearchResults']) {
    const results = response[key];
    if (Array.isArray(results)) return results.filter(isObject);
  }
  return [response];
}

type Outcome = { error: string } | { skipped: keyof RdapSkipped } | { contact: Omit<AbuseContact, 'asn'>; asns: number[] };

function contactsOf(object: Json): Outcome {
  if (object.errorCode !== undefined) return { skipped: 'errorResponses' };
  const kind = object.objectClassName;
  if (kind !== 'autnum' && kind !== 'ip network') return typeof kind === 'string' ? { skipped: 'otherObjects' } : { error: 'not an RDAP object (no objectClassName)' };

  let asns: number[];
  if (kind === 'autnum') {
    const start = asNumber(object.startAutnum);
    const end = object.endAutnum === undefined ? start : asNumber(object.endAutnum);
    if (start === null || end === null || end < start) return { error: `autnum ${describe(object)}: startAutnum and endAutnum must be AS numbers, start <= end` };
    if (end - start + 1 > MAX_RDAP_RANGE) return { skipped: 'rangeTooLarge' };
    asns = Array.from({ length: end - start + 1 }, (_, i) => start + i);
  } else {
    const origins = object.arin_originas0_originautnums;
    asns = Array.isArray(origins) ? origins.map(asNumber).filter((asn): asn is number => asn !== null) : [];
    if (asns.length === 0) return { skipped: 'ipNetworkWithoutAsn' };
  }

  const entities = allEntities(object.entities);
  const abuse = entities.find((entity) => hasRole(entity, 'abuse') && vcardValues(entity, 'email').length > 0);
  if (!abuse) return { skipped: 'noAbuseContact' };
  const email = vcardValues(abuse, 'email')
    .map(normaliseAbuseEmail)
    .find((address): address is string => address !== null);
  if (!email) return { skipped: 'badEmail' };

  const registrant = entities.find((entity) => hasRole(entity, 'registrant') && vcardValues(entity, 'fn').some((fn) => fn.trim() !== ''));
  const organisation = [registrant && vcardValues(registrant, 'fn')[0], vcardValues(abuse, 'fn')[0], stringOf(object.name), stringOf(object.handle), 'unknown']
    .map((name) => (typeof name === 'string' ? clean(name) : ''))
    .find((name) => name !== '')!;
  const handle = stringOf(object.handle);
  const abuseHandle = stringOf(abuse.handle);
  return {
    asns,
    contact: {
      organisation: [...organisation].slice(0, MAX_ORGANISATION_LENGTH).join(''),
      email,
      language: languageOf(abuse, object),
      domain: null,
      note: clean(`RDAP ${kind}${handle ? ` ${handle}` : ''}${abuseHandle ? `, abuse entity ${abuseHandle}` : ''}`).slice(0, 200),
    },
  };
}

/** The entities of an object and, depth first, the entities nested in each (at most 8 deep: a hostile file cannot recurse forever). */
function allEntities(value: unknown, depth = 0): Json[] {
  if (!Array.isArray(value) || depth > 8) return [];
  return value.filter(isObject).flatMap((entity) => [entity, ...allEntities(entity.entities, depth + 1)]);
}

function hasRole(entity: Json, role: string): boolean {
  return Array.isArray(entity.roles) && entity.roles.some((r) => typeof r === 'string' && r.toLowerCase() === role);
}

/**
 * The text values of a jCard property (RFC 7095): `["vcard", [["email", {}, "text", "abuse@x"], ...]]`.
 * A property may carry several values (`["email", {}, "text", "a@x", "b@x"]`).
 */
function vcardValues(entity: Json, property: string): string[] {
  const card = entity.vcardArray;
  if (!Array.isArray(card) || card[0] !== 'vcard' || !Array.isArray(card[1])) return [];
  return card[1]
    .filter((entry): entry is unknown[] => Array.isArray(entry) && typeof entry[0] === 'string' && entry[0].toLowerCase() === property)
    .flatMap((entry) => entry.slice(3))
    .filter((value): value is string => typeof value === 'string');
}

/** The desk's language: its jCard `lang`, else the entity's or object's `lang` member (RFC 9083 4.4), when it is one notices are written in; else en. */
function languageOf(abuse: Json, object: Json): string {
  for (const tag of [...vcardValues(abuse, 'lang'), stringOf(abuse.lang), stringOf(object.lang)]) {
    const primary = typeof tag === 'string' ? /^([A-Za-z]{2,3})(-|$)/.exec(tag.trim())?.[1].toLowerCase() : undefined;
    if (primary && isAbuseContactLanguage(primary)) return primary;
  }
  return 'en';
}

function asNumber(value: unknown): number | null {
  const n = typeof value === 'string' && /^[0-9]{1,10}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_ASN ? n : null;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Registry text with its controls and runs of space made single spaces, trimmed. */
function clean(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]|[\ud800-\udfff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function describe(object: Json): string {
  const handle = stringOf(object.handle);
  return handle ? JSON.stringify(handle.slice(0, 40)) : '(no handle)';
}

function firstLine(text: string): number {
  const match = /\S/.exec(text);
  return match ? text.slice(0, match.index).split('\n').length : 1;
}

/** The line on which each item of a top-level JSON array starts (the text is valid JSON). */
function arrayItemLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectItem = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (depth === 1 && expectItem && c !== ']') {
      lines.push(line);
      expectItem = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectItem = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectItem = true;
  }
  return lines;
}
