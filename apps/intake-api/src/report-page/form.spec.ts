import { formToReportBody, formToStatusCheck, formToValues, splitUrls } from './form';

describe('splitUrls', () => {
  it('splits on newlines and any whitespace and drops blanks', () => {
    expect(splitUrls('https://a.example/1\r\n\r\n  https://b.example/2 \n\thttps://c.example/3\u3000https://d.example/4\n')).toEqual([
      'https://a.example/1',
      'https://b.example/2',
      'https://c.example/3',
      'https://d.example/4',
    ]);
    expect(splitUrls('')).toEqual([]);
    expect(splitUrls(' \n \r\n ')).toEqual([]);
  });
});

describe('formToReportBody', () => {
  it('converts a complete form', () => {
    expect(
      formToReportBody({
        urls: 'https://a.example/x\r\nhttps://b.example/y\r\n',
        contentType: 'videos',
        description: '  On the second page.\r\nBottom left.  ',
        email: ' someone@example.org ',
        victimIdentifiable: 'true',
        language: 'fr',
      }),
    ).toEqual({
      urls: ['https://a.example/x', 'https://b.example/y'],
      contentType: 'videos',
      description: 'On the second page.\nBottom left.',
      contact: { email: 'someone@example.org' },
      victimIdentifiable: true,
      language: 'fr',
    });
  });

  it('omits empty optional fields and keeps urls as an empty list', () => {
    expect(formToReportBody({ urls: '', contentType: '', description: '   ', email: '', language: '' })).toEqual({ urls: [] });
    expect(formToReportBody({})).toEqual({ urls: [] });
  });

  it('omits victimIdentifiable when the checkbox was not ticked, and maps checkbox words', () => {
    expect(formToReportBody({ urls: 'https://a.example' })).not.toHaveProperty('victimIdentifiable');
    expect(formToReportBody({ victimIdentifiable: 'on' }).victimIdentifiable).toBe(true);
    expect(formToReportBody({ victimIdentifiable: 'false' }).victimIdentifiable).toBe(false);
    expect(formToReportBody({ victimIdentifiable: ['false', 'true'] }).victimIdentifiable).toBe(true);
    expect(formToReportBody({ victimIdentifiable: '' })).not.toHaveProperty('victimIdentifiable');
  });

  it('joins a repeated urls field', () => {
    expect(formToReportBody({ urls: ['https://a.example\nhttps://b.example', 'https://c.example'] }).urls).toEqual([
      'https://a.example',
      'https://b.example',
      'https://c.example',
    ]);
  });

  it('passes values of the wrong shape through for the validator to reject', () => {
    expect(formToReportBody({ contentType: ['images', 'videos'] }).contentType).toEqual(['images', 'videos']);
    expect(formToReportBody({ victimIdentifiable: 'maybe' }).victimIdentifiable).toBe('maybe');
    expect(formToReportBody({ urls: 42 }).urls).toEqual([42]);
    expect(formToReportBody({ email: ['a@example.org', 'b@example.org'] }).contact).toEqual({
      email: ['a@example.org', 'b@example.org'],
    });
  });

  it('does not validate values', () => {
    expect(formToReportBody({ urls: 'javascript:alert(1) ftp://x', contentType: 'nonsense', language: 'klingon' })).toEqual({
      urls: ['javascript:alert(1)', 'ftp://x'],
      contentType: 'nonsense',
      language: 'klingon',
    });
  });

  it('drops fields the page does not have and ignores inherited properties', () => {
    const form = JSON.parse('{"urls":"https://a.example","__proto__":{"contentType":"x"},"contact":"y","extra":"z"}');
    const body = formToReportBody(form);
    expect(body).toEqual({ urls: ['https://a.example'] });
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(formToReportBody(Object.create({ email: 'inherited@example.org' }))).toEqual({ urls: [] });
  });

  it('never throws on a missing or odd form', () => {
    expect(formToReportBody(null as unknown as Record<string, unknown>)).toEqual({ urls: [] });
    expect(formToReportBody(undefined as unknown as Record<string, unknown>)).toEqual({ urls: [] });
    expect(formToReportBody(['x'] as unknown as Record<string, unknown>)).toEqual({ urls: [] });
    expect(formToReportBody(Object.create(null))).toEqual({ urls: [] });
  });
});

describe('formToValues', () => {
  it('keeps what was typed for re-filling the page', () => {
    expect(
      formToValues({
        urls: 'https://a.example\r\n\r\nnot a url',
        contentType: 'text',
        description: 'line 1\r\nline 2',
        email: 'x',
        victimIdentifiable: 'true',
        language: 'ru',
      }),
    ).toEqual({
      urls: 'https://a.example\n\nnot a url',
      contentType: 'text',
      description: 'line 1\nline 2',
      email: 'x',
      victimIdentifiable: true,
      language: 'ru',
    });
  });

  it('drops non-string values and an unticked checkbox', () => {
    expect(formToValues({ urls: 3, contentType: {}, victimIdentifiable: 'false' })).toEqual({});
    expect(formToValues({ urls: ['a', 'b'], email: ['first', 'second'] })).toEqual({ urls: 'a\nb', email: 'first' });
  });
});

describe('formToStatusCheck', () => {
  it('trims the reference, token and language', () => {
    expect(formToStatusCheck({ reference: ' ABCD-EFGH \r\n', token: '\ttok ', language: 'ar', extra: 'x' })).toEqual({
      reference: 'ABCD-EFGH',
      token: 'tok',
      language: 'ar',
    });
  });

  it('turns missing, repeated and inherited fields into empty strings', () => {
    expect(formToStatusCheck({})).toEqual({ reference: '', token: '' });
    expect(formToStatusCheck({ reference: ['a', 'b'], token: 5, language: '' })).toEqual({ reference: '', token: '' });
    expect(formToStatusCheck(Object.create({ token: 'inherited' }) as Record<string, unknown>)).toEqual({ reference: '', token: '' });
    expect(formToStatusCheck(null as never)).toEqual({ reference: '', token: '' });
  });
});
