import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_RDAP_RANGE, parseRdapFile } from './rdap';

const FIXTURES = join(__dirname, '../../../../test/fixtures/rdap');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const NO_SKIPS = { ipNetworkWithoutAsn: 0, noAbuseContact: 0, badEmail: 0, rangeTooLarge: 0, duplicates: 0, errorResponses: 0, otherObjects: 0 };

function autnum(asn: number | [number, number], entities: unknown[], extra: Record<string, unknown> = {}) {
  const [start, end] = Array.isArray(asn) ? asn : [asn, asn];
  return { objectClassName: 'autnum', handle: `AS${start}`, startAutnum: start, endAutnum: end, name: `NET-${start}`, entities, ...extra };
}
const abuse = (email: string, extra: Record<string, unknown> = {}) => ({
  objectClassName: 'entity',
  roles: ['abuse'],
  vcardArray: [
    'vcard',
    [
      ['version', {}, 'text', '4.0'],
      ['email', {}, 'text', email],
    ],
  ],
  ...extra,
});

describe('parseRdapFile', () => {
  it('reads an ARIN-style autnum: the abuse desk nested in the registrant, the registrant named', () => {
    expect(parseRdapFile(fixture('autnum-arin-style.json'))).toEqual({
      contacts: [
        {
          line: 1,
          contact: {
            organisation: 'Example Hosting, Inc.',
            email: 'abuse@example-hosting.example',
            language: 'en',
            domain: null,
            asn: 64500,
            note: 'RDAP autnum AS64500, abuse entity ABUSE-EXH',
          },
        },
      ],
      skipped: NO_SKIPS,
      errors: [],
    });
  });

  it('reads JSON lines: language from lang, ip networks only with an origin AS, error responses counted', () => {
    const { contacts, skipped, errors } = parseRdapFile(fixture('ripe-style.jsonl'));
    expect(errors).toEqual([]);
    expect(contacts).toEqual([
      { line: 1, contact: expect.objectContaining({ organisation: 'Exemple Réseaux SAS', email: 'abuse@exemple-reseaux.example', language: 'fr', asn: 64501 }) },
      { line: 3, contact: expect.objectContaining({ organisation: 'Origin Networks Abuse', email: 'abuse@origin.example', asn: 64502 }) },
    ]);
    expect(skipped).toEqual({ ...NO_SKIPS, ipNetworkWithoutAsn: 1, errorResponses: 1 });
  });

  it('reads a JSON array, naming the line each response starts on, and search results', () => {
    const text = JSON.stringify([autnum(64510, [abuse('a@one.example')]), { autnumSearchResults: [autnum(64511, [abuse('b@two.example')])] }], null, 2);
    const { contacts } = parseRdapFile(text);
    expect(contacts.map((c) => [c.line, c.contact.asn, c.contact.email])).toEqual([
      [2, 64510, 'a@one.example'],
      [expect.any(Number), 64511, 'b@two.example'],
    ]);
    expect(contacts[1].line).toBeGreaterThan(2);
  });

  it('gives each AS number of a small range the contact, skips a registry block, counts repeats', () => {
    const text = [autnum([64520, 64522], [abuse('r@range.example')]), autnum([1, MAX_RDAP_RANGE + 1], [abuse('x@block.example')]), autnum(64521, [abuse('z@z.example')])]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const { contacts, skipped } = parseRdapFile(text);
    expect(contacts.map((c) => c.contact.asn)).toEqual([64520, 64521, 64522]);
    expect(skipped).toEqual({ ...NO_SKIPS, rangeTooLarge: 1, duplicates: 1 });
  });

  it('counts objects without a usable abuse desk, and other classes', () => {
    const text = [
      autnum(64530, [{ ...abuse('tech@t.example'), roles: ['technical'] }]),
      autnum(64531, [abuse('Abuse Desk <abuse@x.example>')]),
      { objectClassName: 'domain', ldhName: 'example.com' },
      autnum(64532, [abuse('abuse@ok.example', { lang: 'ar-EG' })]),
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const { contacts, skipped } = parseRdapFile(text);
    expect(contacts).toEqual([{ line: 4, contact: expect.objectContaining({ asn: 64532, language: 'ar', organisation: 'NET-64532' }) }]);
    expect(skipped).toEqual({ ...NO_SKIPS, noAbuseContact: 1, badEmail: 1, otherObjects: 1 });
  });

  it('names the line of what is not RDAP', () => {
    expect(parseRdapFile(fixture('bad-line.jsonl')).errors).toEqual([{ line: 2, message: expect.stringMatching(/^not JSON/) }]);
    expect(parseRdapFile('[1, {"objectClassName": "autnum", "startAutnum": "x"}]').errors).toEqual([
      { line: 1, message: 'an RDAP response must be a JSON object' },
      { line: 1, message: expect.stringContaining('startAutnum and endAutnum must be AS numbers') },
    ]);
    expect(parseRdapFile('{"hello": 1}').errors).toEqual([{ line: 1, message: 'not an RDAP object (no objectClassName)' }]);
    expect(parseRdapFile('{"objectClassName": ').errors).toEqual([{ line: 1, message: expect.stringMatching(/^not JSON/) }]);
    expect(parseRdapFile('').errors).toEqual([{ line: 1, message: 'the file is empty' }]);
  });

  it('survives deeply nested entities', () => {
    const depth = 1000;
    const deep = '{"objectClassName":"entity","roles":["registrant"],"entities":['.repeat(depth) + JSON.stringify(abuse('deep@d.example')) + ']}'.repeat(depth);
    const text = `{"objectClassName":"autnum","startAutnum":64540,"endAutnum":64540,"entities":[${deep}]}`;
    // The desk is too deep to be looked for: the object has none (and nothing overflows the stack).
    expect(parseRdapFile(text).skipped.noAbuseContact).toBe(1);
  });
});
