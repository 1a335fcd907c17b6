import { decideActions } from './decide-actions';

const partners = [
  { id: 'p-de', name: 'de-hotline', countries: ['DE', 'AT'] },
  { id: 'p-de2', name: 'zz-de-backup', countries: ['DE'] },
  { id: 'p-us', name: 'us-hotline', countries: ['US'] },
];

describe('decideActions', () => {
  it('refers domestic hosting to the national police and notices the host', () => {
    const actions = decideActions({ hosting: { class: 'domestic', country: 'NL' }, hotlineCountry: 'NL', partners });
    expect(actions.map((a) => [a.kind, a.channel])).toEqual([
      ['police_referral', 'national_police'],
      ['notice', 'hosting_provider'],
    ]);
    expect(actions.every((a) => a.reason.includes('NL'))).toBe(true);
  });

  it('forwards to the partner serving the hosting country', () => {
    const actions = decideActions({ hosting: { class: 'foreign', country: 'AT' }, hotlineCountry: 'NL', partners });
    expect(actions).toEqual([{ kind: 'partner_forward', channel: 'de-hotline', partnerId: 'p-de', reason: expect.stringContaining('de-hotline') }]);
  });

  it('picks the first partner by name when two serve the country, and skips excluded ones', () => {
    expect(decideActions({ hosting: { class: 'foreign', country: 'DE' }, hotlineCountry: 'NL', partners })[0].partnerId).toBe('p-de');
    const rerouted = decideActions({ hosting: { class: 'foreign', country: 'DE' }, hotlineCountry: 'NL', partners, excludedPartnerIds: ['p-de'] });
    expect(rerouted).toHaveLength(1);
    expect(rerouted[0]).toMatchObject({ kind: 'partner_forward', partnerId: 'p-de2' });
    expect(rerouted[0].reason).toMatch(/Re-routed: de-hotline said/);
  });

  it('goes to INTERPOL when every partner of the country is excluded', () => {
    const actions = decideActions({ hosting: { class: 'foreign', country: 'US' }, hotlineCountry: 'NL', partners, excludedPartnerIds: ['p-us'] });
    expect(actions.map((a) => a.channel)).toEqual(['interpol']);
    expect(actions[0].reason).toMatch(/us-hotline/);
  });

  it('refers foreign hosting without a partner to INTERPOL, saying no abuse contact is known', () => {
    const actions = decideActions({ hosting: { class: 'foreign', country: 'BR' }, hotlineCountry: 'NL', partners });
    expect(actions).toEqual([{ kind: 'police_referral', channel: 'interpol', reason: expect.stringMatching(/BR.*INTERPOL.*No abuse contact/) }]);
  });

  it('adds a direct notice where an abuse contact is known', () => {
    const actions = decideActions({ hosting: { class: 'foreign', country: 'BR' }, hotlineCountry: 'NL', partners, abuseContactKnown: true });
    expect(actions.map((a) => [a.kind, a.channel])).toEqual([
      ['police_referral', 'interpol'],
      ['notice', 'hosting_provider'],
    ]);
  });

  it.each(['unknown', 'onion', 'unresolved'] as const)('refers %s hosting to INTERPOL', (hostingClass) => {
    const actions = decideActions({ hosting: { class: hostingClass, country: null }, hotlineCountry: 'NL', partners });
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ kind: 'police_referral', channel: 'interpol' });
    expect(actions[0].reason.length).toBeGreaterThan(20);
  });

  it('never forwards an onion service, even with a country', () => {
    expect(decideActions({ hosting: { class: 'onion', country: 'DE' }, hotlineCountry: 'NL', partners })[0].channel).toBe('interpol');
  });
});
