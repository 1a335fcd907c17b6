import type { CaseEventRow, NoticeHoldRow } from '@hotline/persistence';

/**
 * What of a case one agency's liaisons may see when the case was referred to several agencies
 * (a national referral and an INTERPOL one, or an agency renamed): the case and its notices are
 * common ground, but another agency's referral, its acknowledgement, its liaisons (staff ids) and
 * its holds' reasons are that agency's. The notices are held whoever holds them, so another
 * agency's hold is shown as being there (and whether it is in force), nothing more.
 */

/** The case's actions without other agencies' police referrals. */
export function actionsFor<T extends { kind: string; agency: string | null }>(actions: readonly T[], agency: string): T[] {
  return actions.filter((action) => action.kind !== 'police_referral' || action.agency === agency);
}

/** A hold as `agency` sees it: another agency's without its agency, reason or liaisons. */
export interface ScopedHold {
  ours: boolean;
  id: string | null;
  agency: string | null;
  reason: string | null;
  placedBy: string | null;
  placedAt: Date;
  liftedBy: string | null;
  liftedAt: Date | null;
}

export function holdFor(hold: NoticeHoldRow, agency: string): ScopedHold {
  const ours = hold.agency === agency;
  return {
    ours,
    id: ours ? hold.id : null,
    agency: ours ? hold.agency : null,
    reason: ours ? hold.reason : null,
    placedBy: ours ? hold.placed_by : null,
    placedAt: hold.placed_at,
    liftedBy: ours ? hold.lifted_by : null,
    liftedAt: hold.lifted_at,
  };
}

// Events about another agency's referral itself: left out, as the referral is.
const REFERRAL_EVENTS = new Set(['escalation_acknowledged', 'escalated_to_police']);
// Events about a hold: kept (the notices were held), saying only that another agency held them.
const HOLD_EVENTS = new Set(['notice_hold_placed', 'notice_hold_lifted']);

/** The case events as `agency` sees them (see above); every other event as it is. */
export function eventsFor(events: readonly CaseEventRow[], agency: string): CaseEventRow[] {
  const scoped: CaseEventRow[] = [];
  for (const event of events) {
    const theirs = typeof event.detail?.agency === 'string' && event.detail.agency !== agency;
    if (theirs && REFERRAL_EVENTS.has(event.kind)) continue;
    scoped.push(theirs && HOLD_EVENTS.has(event.kind) ? { ...event, detail: { byAnotherAgency: true } } : event);
  }
  return scoped;
}
