import { checkBaseUrl, checkCountries, checkName, checkPublicKey, checkRateLimit, type NewPartner, PartnerDirectoryError } from '@hotline/exchange';
import type { ConsoleMessageKey } from '../i18n';
import { field } from '../page-reply';

/**
 * The partner forms of the console: what was typed, the directory's input made of it, and the
 * directory's refusals in the console's words, each on its field. The checks are the directory's
 * own (PartnerDirectory.add runs them again, and the name and key clashes, in its transaction).
 */

/** The fields of the add form, as typed. */
export interface PartnerFormValues {
  name: string;
  countries: string;
  baseUrl: string;
  publicKey: string;
  rateLimitPerMinute: string;
}

export type PartnerField = keyof PartnerFormValues;

export const PARTNER_FIELDS: readonly PartnerField[] = ['name', 'countries', 'baseUrl', 'publicKey', 'rateLimitPerMinute'];

export interface PartnerProblem {
  field: PartnerField | null;
  message: ConsoleMessageKey;
  params?: Record<string, string | number>;
}

export const EMPTY_PARTNER_FORM: PartnerFormValues = { name: '', countries: '', baseUrl: '', publicKey: '', rateLimitPerMinute: '60' };

export function partnerFormOf(form: unknown): PartnerFormValues {
  return {
    name: field(form, 'name', 100),
    countries: field(form, 'countries', 1000),
    baseUrl: field(form, 'baseUrl', 2100),
    publicKey: field(form, 'publicKey', 300),
    rateLimitPerMinute: field(form, 'rateLimitPerMinute', 20),
  };
}

/** The directory's input: countries split and in capitals, the rate limit a number when it is one (else left for the check to refuse). */
export function newPartnerOf(values: PartnerFormValues): NewPartner {
  const rate = values.rateLimitPerMinute.trim();
  return {
    name: values.name.trim(),
    countries: values.countries
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((code) => code.toUpperCase()),
    baseUrl: values.baseUrl.trim(),
    theirPublicKey: values.publicKey.trim(),
    rateLimitPerMinute: rate === '' ? undefined : ((/^\d{1,7}$/.test(rate) ? Number(rate) : rate) as number),
  };
}

/** Every field the directory would refuse, at once (it stops at the first). */
export function partnerFormProblems(input: NewPartner): PartnerProblem[] {
  const checks: (() => unknown)[] = [
    () => checkName(input.name),
    () => checkCountries(input.countries),
    () => checkBaseUrl(input.baseUrl),
    () => checkPublicKey(input.theirPublicKey),
    () => checkRateLimit(input.rateLimitPerMinute ?? 60),
  ];
  const problems: PartnerProblem[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof PartnerDirectoryError)) throw error;
      problems.push(partnerProblemOf(error));
    }
  }
  return problems;
}

const FIELD_OF: Record<string, PartnerField> = {
  name: 'name',
  countries: 'countries',
  baseUrl: 'baseUrl',
  publicKey: 'publicKey',
  rateLimitPerMinute: 'rateLimitPerMinute',
};

/** A refusal of the directory (bad input or a clash with another partner) on its field. */
export function partnerProblemOf(error: PartnerDirectoryError): PartnerProblem {
  const at = error.field ? (FIELD_OF[error.field] ?? null) : null;
  if (error.kind === 'conflict' && at === 'name') return { field: 'name', message: 'admin.partners.error.nameTaken' };
  if (error.kind === 'conflict' && at === 'publicKey') {
    const holder = /\(partner ([a-z0-9-]+)\)$/.exec(error.message)?.[1] ?? '?';
    return { field: 'publicKey', message: 'admin.partners.error.keyTaken', params: { partner: holder } };
  }
  if (error.kind === 'invalid' && at) return { field: at, message: `admin.partners.error.${at}` as ConsoleMessageKey };
  return { field: at, message: 'admin.partners.error.other', params: { detail: error.message } };
}
