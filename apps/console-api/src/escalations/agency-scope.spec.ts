import type { CaseEventRow, NoticeHoldRow } from '@hotline/persistence';
import { actionsFor, eventsFor, holdFor } from './agency-scope';

describe('agency scope', () => {
  const at = new Date('2026-11-22T10:00:00Z');
  const event = (kind: string, detail: Record<string, unknown>): CaseEventRow => ({ id: kind, case_id: 'c', at, kind, from_status: null, to_status: null, detail });

  it('leaves out other agencies’ police referrals, keeps every other action', () => {
    const actions = [
      { id: 'np', kind: 'police_referral', agency: 'National Police' },
      { id: 'ip', kind: 'police_referral', agency: 'INTERPOL' },
      { id: 'old', kind: 'police_referral', agency: 'Rijkspolitie' },
      { id: 'notice', kind: 'notice', agency: null },
      { id: 'reminder', kind: 'reminder', agency: null },
    ];
    expect(actionsFor(actions, 'National Police').map((a) => a.id)).toEqual(['np', 'notice', 'reminder']);
    expect(actionsFor(actions, 'INTERPOL').map((a) => a.id)).toEqual(['ip', 'notice', 'reminder']);
  });

  it('shows another agency’s hold as being there only', () => {
    const hold: NoticeHoldRow = { id: 'h', case_id: 'c', agency: 'INTERPOL', reason: 'why', placed_by: 's1', placed_at: at, lifted_by: 's2', lifted_at: at };
    expect(holdFor(hold, 'INTERPOL')).toEqual({ ours: true, id: 'h', agency: 'INTERPOL', reason: 'why', placedBy: 's1', placedAt: at, liftedBy: 's2', liftedAt: at });
    expect(holdFor(hold, 'National Police')).toEqual({ ours: false, id: null, agency: null, reason: null, placedBy: null, placedAt: at, liftedBy: null, liftedAt: at });
  });

  it('drops another agency’s referral events, redacts its hold events, keeps the rest', () => {
    const events = [
      event('transition', { step: 'police_referral', agency: 'National Police, INTERPOL' }),
      event('escalation_acknowledged', { escalationId: 'ip', agency: 'INTERPOL', by: 's1' }),
      event('escalated_to_police', { actionId: 'ip2', agency: 'INTERPOL' }),
      event('escalation_acknowledged', { escalationId: 'np', agency: 'National Police', by: 's3' }),
      event('notice_hold_placed', { holdId: 'h', agency: 'INTERPOL', by: 's1' }),
      event('notice_hold_lifted', { holdId: 'h2', agency: 'National Police', by: 's3' }),
    ];
    expect(eventsFor(events, 'National Police').map((e) => [e.kind, e.detail])).toEqual([
      ['transition', { step: 'police_referral', agency: 'National Police, INTERPOL' }],
      ['escalation_acknowledged', { escalationId: 'np', agency: 'National Police', by: 's3' }],
      ['notice_hold_placed', { byAnotherAgency: true }],
      ['notice_hold_lifted', { holdId: 'h2', agency: 'National Police', by: 's3' }],
    ]);
  });
});
