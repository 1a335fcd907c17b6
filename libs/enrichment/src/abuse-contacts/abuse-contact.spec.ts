import { ABUSE_CONTACT_LANGUAGES, normaliseAbuseEmail, parseAbuseContact, parseAsn } from './abuse-contact';
import { parseAbuseContactsCsv } from './abuse-contact-csv';

const codes = (raw: Parameters<typeof parseAbuseContact>[0]) => {
  const parsed = parseAbuseContact(raw);
  return 'problems' in parsed ? parsed.problems.map((p) => `${p.field}:${p.code}`) : [];
};

describe('parseAbuseContact', () => {
  it('normalises a domain contact: trimmed, lower-case punycode domain, language primary tag', () => {
    expect(parseAbuseContact({ organisation: '  Bücher Hosting GmbH ', email: 'Abuse@Bücher.Example', language: 'de-AT', domain: 'BÜCHER.de.' })).toEqual({
      contact: { organisation: 'Bücher Hosting GmbH', email: 'Abuse@xn--bcher-kva.example', language: 'de', domain: 'xn--bcher-kva.de', asn: null, note: null },
    });
  });

  it('takes an ASN as a number or AS-prefixed text, language en by default', () => {
    expect(parseAbuseContact({ organisation: 'Net', email: 'abuse@net.example', asn: 'AS64500' })).toEqual({
      contact: { organisation: 'Net', email: 'abuse@net.example', language: 'en', domain: null, asn: 64500, note: null },
    });
    expect(parseAsn(4294967295)).toBe(4294967295);
    expect(parseAsn('as 1')).toBe(1);
    for (const bad of [0, -1, 4294967296, 1.5, 'AS', 'AS4294967296', '64500x', '', null]) expect(parseAsn(bad)).toBeNull();
  });

  it('keeps private PSL names (user.github.io) and refuses public suffixes and subdomains, suggesting the registrable domain', () => {
    expect(codes({ organisation: 'A', email: 'a@b.example', domain: 'someone.github.io' })).toEqual([]);
    expect(codes({ organisation: 'A', email: 'a@b.example', domain: 'co.uk' })).toEqual(['domain:domain.not_registrable']);
    const parsed = parseAbuseContact({ organisation: 'A', email: 'a@b.example', domain: 'img.cdn.example.co.uk' });
    expect(parsed).toEqual({ problems: [expect.objectContaining({ field: 'domain', code: 'domain.subdomain', suggestion: 'example.co.uk' })] });
  });

  it('refuses a URL or address where a domain goes', () => {
    for (const domain of ['https://example.com/', 'example.com/path', 'user@example.com', '192.0.2.1', 'exa mple.com', '[::1]', 'example.com:8080']) {
      expect(codes({ organisation: 'A', email: 'a@b.example', domain })).toEqual([expect.stringMatching(/^domain:domain\./)]);
    }
  });

  it('needs exactly one of domain and ASN', () => {
    expect(codes({ organisation: 'A', email: 'a@b.example' })).toEqual(['domain:scope.none']);
    expect(codes({ organisation: 'A', email: 'a@b.example', domain: 'example.com', asn: 64500 })).toEqual(['domain:scope.both']);
  });

  it('names every problem at once', () => {
    expect(codes({ organisation: 'x'.repeat(201), email: 'not-an-email', language: 'xx', domain: 'example.com', note: 'n'.repeat(1001) })).toEqual([
      'organisation:organisation.too_long',
      'email:email.invalid',
      'language:language.unsupported',
      'note:note.too_long',
    ]);
    expect(codes({ organisation: '', email: 'a@b.example', asn: 1 })).toEqual(['organisation:organisation.required']);
    expect(codes({ organisation: 'A\u0000B', email: 'a@b.example', asn: 1 })).toEqual(['organisation:text.unstorable']);
    expect(codes({ organisation: 42, email: ['a@b.example'], asn: {} })).toEqual(['organisation:organisation.required', 'email:email.invalid', 'asn:asn.invalid']);
  });

  it('accepts only addresses a mailer cannot read as more than one recipient or a header', () => {
    expect(normaliseAbuseEmail('abuse+notices@Example.COM')).toBe('abuse+notices@example.com');
    for (const bad of [
      'a@b',
      'a,b@example.com',
      'a@example.com, b@example.com',
      '"a b"@example.com',
      'a@example.com\r\nBcc: x@example.com',
      'Abuse <abuse@example.com>',
      '.a@example.com',
      'a..b@example.com',
      'a@-example.com',
      `${'a'.repeat(65)}@example.com`,
      'a@',
      '@example.com',
    ]) {
      expect(normaliseAbuseEmail(bad)).toBeNull();
    }
  });

  it('supports the UN and EU languages', () => {
    for (const tag of ['en', 'fr', 'ar', 'es', 'ru', 'zh', 'de']) expect(ABUSE_CONTACT_LANGUAGES).toContain(tag);
    expect(codes({ organisation: 'A', email: 'a@b.example', asn: 1, language: 'zh-Hant-TW' })).toEqual([]);
    expect(codes({ organisation: 'A', email: 'a@b.example', asn: 1, language: 'en_GB' })).toEqual(['language:language.unsupported']);
  });
});

describe('parseAbuseContactsCsv', () => {
  it('reads the header in any order, quoted fields, blank lines and CRLF', () => {
    const csv =
      '\uFEFFemail,organisation,domain,asn,language,note\r\nabuse@a.example,"Alpha, Inc.",alpha.example,,fr,"said ""yes"""\r\n\r\nnoc@b.example,Beta,,AS64500,,\r\n';
    expect(parseAbuseContactsCsv(csv)).toEqual({
      contacts: [
        { line: 2, contact: { organisation: 'Alpha, Inc.', email: 'abuse@a.example', language: 'fr', domain: 'alpha.example', asn: null, note: 'said "yes"' } },
        { line: 4, contact: { organisation: 'Beta', email: 'noc@b.example', language: 'en', domain: null, asn: 64500, note: null } },
      ],
      errors: [],
    });
  });

  it('names each bad line, and a domain or ASN given twice', () => {
    const csv = [
      'organisation,email,language,domain,asn,note',
      'Alpha,abuse@a.example,en,alpha.example,,',
      'Broken,not-mail,en,,64500,',
      'Again,abuse@other.example,en,ALPHA.example,,',
      'Quote,"abuse@q.example,en,q.example,,',
      'Many,abuse@m.example,en,m.example,,,extra',
      'Net,abuse@n.example,en,,64501,',
      'Net again,abuse@n2.example,en,,AS64501,',
    ].join('\n');
    const { contacts, errors } = parseAbuseContactsCsv(csv);
    expect(contacts.map((c) => c.line)).toEqual([2, 7]);
    expect(errors.map(({ line, message }) => ({ line, message }))).toEqual([
      { line: 3, message: expect.stringContaining('email: not an email address') },
      { line: 4, message: 'the same domain alpha.example as line 2' },
      { line: 5, message: 'unterminated quote' },
      { line: 6, message: '7 fields but the header names 6 (quote a field that contains a comma)' },
      { line: 8, message: 'the same AS64501 as line 7' },
    ]);
    expect(errors[0].problems).toEqual([expect.objectContaining({ field: 'email', code: 'email.invalid' })]);
  });

  it('refuses a file without its header, or an empty one', () => {
    expect(parseAbuseContactsCsv('Alpha,abuse@a.example,en,alpha.example,,\n').errors).toEqual([
      { line: 1, message: expect.stringMatching(/^the first line must be the header/) },
    ]);
    expect(parseAbuseContactsCsv('organisation,email,url\n').errors).toEqual([{ line: 1, message: expect.stringMatching(/^the first line must be the header/) }]);
    expect(parseAbuseContactsCsv('organisation,email\n').errors).toEqual([{ line: 1, message: expect.stringMatching(/^the first line must be the header/) }]);
    expect(parseAbuseContactsCsv('\n\n').errors).toEqual([{ line: 1, message: expect.stringMatching(/^the file is empty/) }]);
    expect(parseAbuseContactsCsv('organisation,email,domain\n')).toEqual({ contacts: [], errors: [] });
  });
});
