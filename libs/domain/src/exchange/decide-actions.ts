import type { HostingClass } from '../triage/hosting';
import type { ActionKind } from './actions';

/**
 * What is done with a confirmed case, decided by where its content is hosted (DOMAIN.md, flow
 * step 7). Pure: the worker loads the case, its hosting trace and the active partners, and stores
 * what this returns as action rows, each with its reason in words.
 *
 *   - hosted at home: a notice to the hosting provider (notice-and-takedown) and a referral to
 *     the national police;
 *   - hosted in a country an active partner hotline serves: a forward to that partner, which does
 *     the notice in its country;
 *   - elsewhere, unknown, onion or unresolved: a referral to police through INTERPOL, and a direct
 *     notice only where an abuse contact of the host is known.
 */

export interface ActionPartner {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2 codes of the countries it serves. */
  countries: readonly string[];
}

export interface ActionInput {
  hosting: { class: HostingClass; country: string | null };
  /** ISO 3166-1 alpha-2 code of this hotline's country. */
  hotlineCountry: string;
  /** Active partners only. */
  partners: readonly ActionPartner[];
  /** Partners that must not get this case (they rejected a forward of it: not hosted there). */
  excludedPartnerIds?: readonly string[];
  /** Whether an abuse contact of the host is known (the directory: AbuseContactRepository.findForHost, by registrable domain, then ASN). */
  abuseContactKnown?: boolean;
}

export interface DecidedAction {
  kind: ActionKind;
  /** national_police | interpol | hosting_provider | the partner's name */
  channel: string;
  partnerId?: string;
  reason: string;
}

export function decideActions(input: ActionInput): DecidedAction[] {
  const { hosting, hotlineCountry } = input;
  const country = hosting.country?.toUpperCase() ?? null;
  const excluded = new Set(input.excludedPartnerIds ?? []);

  if (hosting.class === 'domestic' || (country !== null && country === hotlineCountry.toUpperCase() && hosting.class !== 'onion')) {
    return [
      { kind: 'police_referral', channel: 'national_police', reason: `Hosted in ${hotlineCountry}, this hotline's country: referred to the national police.` },
      { kind: 'notice', channel: 'hosting_provider', reason: `Hosted in ${hotlineCountry}, this hotline's country: notice-and-takedown to the hosting provider.` },
    ];
  }

  const rejected = excludedNote(input, excluded, country);
  if (hosting.class === 'foreign' && country !== null) {
    // The first active partner serving the country, by name: deterministic when two serve it.
    const partner = [...input.partners]
      .filter((p) => !excluded.has(p.id) && p.countries.some((c) => c.toUpperCase() === country))
      .sort((a, b) => a.name.localeCompare(b.name))[0];
    if (partner) {
      return [
        {
          kind: 'partner_forward',
          channel: partner.name,
          partnerId: partner.id,
          reason: `Hosted in ${country}, served by partner hotline ${partner.name}: forwarded to it for notice-and-takedown.${rejected}`,
        },
      ];
    }
  }

  const where = whereHosted(hosting.class, country);
  const actions: DecidedAction[] = [
    { kind: 'police_referral', channel: 'interpol', reason: `${where}, and no partner hotline serves it: referred to police through the INTERPOL channel.${rejected}` },
  ];
  if (input.abuseContactKnown) {
    actions.push({ kind: 'notice', channel: 'hosting_provider', reason: `${where}: direct notice to the host's known abuse contact.` });
  } else {
    actions[0].reason += ' No abuse contact of the host is known, so no direct notice is sent.';
  }
  return actions;
}

function whereHosted(hostingClass: HostingClass, country: string | null): string {
  switch (hostingClass) {
    case 'onion':
      return 'An onion service (no hosting country)';
    case 'unresolved':
      return 'Hosting could not be traced';
    case 'unknown':
      return country ? `Hosted in ${country}` : 'Hosting country unknown';
    default:
      return country ? `Hosted in ${country}` : 'Hosting country unknown';
  }
}

function excludedNote(input: ActionInput, excluded: Set<string>, country: string | null): string {
  if (excluded.size === 0) return '';
  const names = input.partners.filter((p) => excluded.has(p.id)).map((p) => p.name);
  const who = names.length ? names.join(', ') : `${excluded.size} partner(s)`;
  return ` Re-routed: ${who} said the content is not hosted in ${names.length === 1 ? 'its' : 'their'} country${country ? ` (trace: ${country})` : ''}.`;
}
