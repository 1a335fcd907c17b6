import type { CaseEventRow } from '@hotline/persistence';
import { toTimelineEvent } from './case-view';

const event = (overrides: Partial<CaseEventRow>): CaseEventRow => ({
  id: '1',
  case_id: '0190a0a0-0000-7000-8000-000000000001',
  at: new Date('2026-03-04T10:00:00Z'),
  kind: 'transition',
  from_status: null,
  to_status: null,
  detail: {},
  ...overrides,
});

const hosts = ['bad.example.com', 'cdn.example.net'];

describe('toTimelineEvent', () => {
  it('shows what happened, who did it (when the event names them) and when', () => {
    const staff = '0190a0a0-0000-7000-8000-0000000000aa';
    expect(toTimelineEvent(event({ from_status: 'queued', to_status: 'in_assessment', detail: { by: staff } }), { blind: false, hosts })).toEqual({
      at: '2026-03-04T10:00:00.000Z',
      kind: 'transition',
      fromStatus: 'queued',
      toStatus: 'in_assessment',
      actorId: staff,
      detail: { by: staff },
      withheld: false,
    });
  });

  it('defangs the case’s host names wherever they are in the detail', () => {
    const shown = toTimelineEvent(event({ kind: 'hosting_unresolved', detail: { error: 'bad.example.com has no A or AAAA record', chain: ['cdn.example.net'], n: 2 } }), {
      blind: false,
      hosts,
    });
    expect(shown.detail).toEqual({ error: 'bad[.]example[.]com has no A or AAAA record', chain: ['cdn[.]example[.]net'], n: 2 });
  });

  it('withholds from a blind reviewer the detail and the statuses that tell the verdict', () => {
    const assessed = toTimelineEvent(event({ from_status: 'in_assessment', to_status: 'pending_review', detail: { step: 'assessment', verdict: 'national' } }), {
      blind: true,
      hosts,
    });
    expect(assessed).toMatchObject({ fromStatus: 'in_assessment', toStatus: 'pending_review', detail: {}, withheld: true });

    // an appeal of a not-illegal verdict starts from the status that names it
    const appealed = toTimelineEvent(event({ from_status: 'not_illegal', to_status: 'pending_review', detail: { step: 'appeal', verdict: 'not_illegal' } }), {
      blind: true,
      hosts,
    });
    expect(appealed).toMatchObject({ fromStatus: null, toStatus: 'pending_review', detail: {}, withheld: true });
    expect(JSON.stringify(appealed)).not.toContain('not_illegal');

    // a known-URL list's verdict at creation, an action decided after confirmation
    expect(toTimelineEvent(event({ kind: 'created', to_status: 'pending_review', detail: { settledBy: 'known_url', list: 'x' } }), { blind: true, hosts })).toMatchObject(
      {
        detail: {},
        withheld: true,
      },
    );
    expect(toTimelineEvent(event({ kind: 'actions_decided', detail: { reroute: false } }), { blind: true, hosts })).toMatchObject({ detail: {}, withheld: true });

    // before an appeal, going to review said the verdict was illegal; the current entry says nothing
    const firstRound = event({ from_status: 'in_assessment', to_status: 'pending_review', detail: {} });
    expect(toTimelineEvent(firstRound, { blind: true, hosts, earlierRound: true })).toMatchObject({ fromStatus: 'in_assessment', toStatus: null, withheld: true });
    expect(toTimelineEvent(firstRound, { blind: true, hosts })).toMatchObject({ toStatus: 'pending_review', withheld: false });
    expect(toTimelineEvent(firstRound, { blind: false, hosts, earlierRound: true })).toMatchObject({ toStatus: 'pending_review', withheld: false });

    // that actions were decided or a forward sent at all says the case was confirmed: the kind goes too
    for (const kind of ['actions_decided', 'forward_sent', 'partner_status']) {
      expect(toTimelineEvent(event({ kind, detail: {} }), { blind: true, hosts })).toMatchObject({ kind: null, detail: {}, withheld: true });
      expect(toTimelineEvent(event({ kind, detail: {} }), { blind: false, hosts })).toMatchObject({ kind, withheld: false });
    }

    // claims, releases, placement and hosting tell nothing of the verdict
    const staff = '0190a0a0-0000-7000-8000-0000000000aa';
    expect(
      toTimelineEvent(event({ from_status: 'in_assessment', to_status: 'queued', detail: { by: staff, reason: 'released' } }), { blind: true, hosts }),
    ).toMatchObject({ actorId: staff, detail: { by: staff, reason: 'released' }, withheld: false });
    expect(toTimelineEvent(event({ kind: 'created', to_status: 'queued', detail: { queue: 'general' } }), { blind: true, hosts })).toMatchObject({
      toStatus: 'queued',
      detail: { queue: 'general' },
      withheld: false,
    });
  });
});
