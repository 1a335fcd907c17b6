import type { AbuseContactProblem, RawAbuseContact } from '@hotline/enrichment';
import type { AbuseContactRow } from '@hotline/persistence';
import type { ConsoleMessageKey } from '../i18n';
import { field } from '../page-reply';

/** The fields of the contact form, as typed (shown again as they were when refused). */
export const CONTACT_FIELDS = ['organisation', 'email', 'language', 'domain', 'asn', 'note'] as const;
export type ContactFormValues = Record<(typeof CONTACT_FIELDS)[number], string>;

export const EMPTY_CONTACT_FORM: ContactFormValues = { organisation: '', email: '', language: 'en', domain: '', asn: '', note: '' };

/** A problem of the form: the field it is about (null: the whole form) and its text's key. */
export interface ContactFormProblem {
  field: (typeof CONTACT_FIELDS)[number] | null;
  message: ConsoleMessageKey;
  params?: Record<string, string | number>;
}

export function contactFormOf(form: unknown): ContactFormValues {
  return {
    organisation: field(form, 'organisation', 400),
    email: field(form, 'email', 400),
    language: field(form, 'language', 40) || 'en',
    domain: field(form, 'domain', 400),
    asn: field(form, 'asn', 40),
    note: field(form, 'note', 2000),
  };
}

export function contactFormOfRow(row: AbuseContactRow): ContactFormValues {
  return {
    organisation: row.organisation,
    email: row.email,
    language: row.language,
    domain: row.domain ?? '',
    asn: row.asn === null ? '' : String(row.asn),
    note: row.note ?? '',
  };
}

export function rawContactOf(values: ContactFormValues): RawAbuseContact {
  return values;
}

/** A parser problem as the form shows it, in the user's language (the scope problems sit on the domain field). */
export function contactProblemOf(problem: AbuseContactProblem): ContactFormProblem {
  return {
    field: problem.field,
    message: `directory.contacts.error.${problem.code}` as ConsoleMessageKey,
    params: problem.suggestion ? { suggestion: problem.suggestion } : undefined,
  };
}

/** A domain or AS number another contact holds. */
export function takenProblem(at: 'domain' | 'asn'): ContactFormProblem {
  return { field: at, message: at === 'asn' ? 'directory.contacts.error.taken.asn' : 'directory.contacts.error.taken.domain' };
}
