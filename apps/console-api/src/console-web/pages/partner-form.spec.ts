import { generateExchangeKeyPair, PartnerDirectoryError } from '@hotline/exchange';
import { newPartnerOf, partnerFormOf, partnerFormProblems, partnerProblemOf } from './partner-form';

describe('partner form', () => {
  it('makes the directory’s input of what was typed: countries split and in capitals, the rate limit a number', () => {
    const key = generateExchangeKeyPair().publicKey;
    const values = partnerFormOf({
      name: ' hotline-de ',
      countries: 'de, at;CH',
      baseUrl: 'https://hotline.example/',
      publicKey: ` ${key} `,
      rateLimitPerMinute: '120',
      other: 'x',
    });
    expect(newPartnerOf(values)).toEqual({
      name: 'hotline-de',
      countries: ['DE', 'AT', 'CH'],
      baseUrl: 'https://hotline.example/',
      theirPublicKey: key,
      rateLimitPerMinute: 120,
    });
    expect(partnerFormProblems(newPartnerOf(values))).toEqual([]);
    expect(newPartnerOf({ ...values, rateLimitPerMinute: '' }).rateLimitPerMinute).toBeUndefined();
  });

  it('lists every field the directory would refuse, at once, each on its field', () => {
    const input = newPartnerOf(partnerFormOf({ name: 'Bad Name', countries: 'germany', baseUrl: 'ftp://x', publicKey: 'abc', rateLimitPerMinute: 'many' }));
    expect(partnerFormProblems(input)).toEqual([
      { field: 'name', message: 'admin.partners.error.name' },
      { field: 'countries', message: 'admin.partners.error.countries' },
      { field: 'baseUrl', message: 'admin.partners.error.baseUrl' },
      { field: 'publicKey', message: 'admin.partners.error.publicKey' },
      { field: 'rateLimitPerMinute', message: 'admin.partners.error.rateLimitPerMinute' },
    ]);
    expect(partnerFormProblems(newPartnerOf(partnerFormOf({})))).toHaveLength(4); // no rate limit: the default
  });

  it('says which partner already has a name or key', () => {
    expect(partnerProblemOf(new PartnerDirectoryError('a partner named x exists', 'conflict', 'name'))).toEqual({
      field: 'name',
      message: 'admin.partners.error.nameTaken',
    });
    expect(partnerProblemOf(new PartnerDirectoryError('this public key is already registered (partner hotline-fr)', 'conflict', 'publicKey'))).toEqual({
      field: 'publicKey',
      message: 'admin.partners.error.keyTaken',
      params: { partner: 'hotline-fr' },
    });
    expect(partnerProblemOf(new PartnerDirectoryError('odd', 'state'))).toEqual({ field: null, message: 'admin.partners.error.other', params: { detail: 'odd' } });
  });
});
