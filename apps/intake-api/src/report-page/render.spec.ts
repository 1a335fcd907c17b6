import { createHash } from 'node:crypto';
import { MESSAGES, REPORT_STATUS_KEYS, SUPPORTED_LANGUAGES, t } from '../../../../libs/http/src/i18n';
import { MAX_CONTACT_EMAIL_LENGTH, MAX_REPORT_DESCRIPTION_LENGTH, MAX_REPORT_URLS, REPORTED_CONTENT_TYPES } from '@hotline/domain';
import { REPORT_PAGE_CSP, escapeHtml, formFieldOf, renderReceiptPage, renderReportPage, renderStatusPage, type ReportFormValues } from './render';

const HOSTILE = `"><script>alert('x')</script><img src=x onerror=alert(1)>&amp;`;

/** Contents of the element with this id (first level only; good enough for these pages). */
function elementById(html: string, tag: string, id: string): string {
  const match = new RegExp(`<${tag}[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!match) throw new Error(`no <${tag} id="${id}">`);
  return match[1]!;
}

function openingTag(html: string, id: string): string {
  const match = new RegExp(`<[a-z]+[^>]*\\bid="${id}"[^>]*>`).exec(html);
  if (!match) throw new Error(`no element with id="${id}"`);
  return match[0];
}

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('neutralises hostile input', () => {
    const escaped = escapeHtml(HOSTILE);
    expect(escaped).not.toMatch(/[<>"']/);
    expect(escaped).toBe('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;');
  });

  it('escapes & first so entities are not double-decoded', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('accepts any value', () => {
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(Object.create(null))).toBe('');
    expect(escapeHtml('日本語 العربية')).toBe('日本語 العربية');
  });
});

describe('formFieldOf', () => {
  it.each([
    ['urls', { field: 'urls' }],
    ['urls[3]', { field: 'urls', index: 3 }],
    ['urls.0', { field: 'urls', index: 0 }],
    ['/urls/12', { field: 'urls', index: 12 }],
    ['contact', { field: 'email' }],
    ['contact.email', { field: 'email' }],
    ['/contact/email', { field: 'email' }],
    ['contentType', { field: 'contentType' }],
    ['description', { field: 'description' }],
    ['language', { field: 'language' }],
    ['victimIdentifiable', { field: 'victimIdentifiable' }],
  ])('%s', (path, expected) => expect(formFieldOf(path)).toEqual(expected));

  it.each(['', 'foo', 'urlsx', 'contacts', '__proto__', 'constructor'])('%j belongs to no field', (path) => expect(formFieldOf(path)).toBeUndefined());
});

describe('renderReportPage', () => {
  const page = renderReportPage({ lang: 'en' });

  it('is a complete HTML5 document for phones', () => {
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain(`<title>${t('en', 'page.title')}</title>`);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('loads nothing and runs nothing', () => {
    for (const lang of SUPPORTED_LANGUAGES) {
      const html = renderReportPage({ lang, errors: [{ field: 'urls', message: 'x' }] });
      expect(html).not.toMatch(/<script|<img|<iframe|<object|<embed|<link rel="stylesheet"|@import|url\(|@font-face/i);
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toMatch(/(src|href|action)="(https?:)?\/\//i);
      expect(html).toContain('<link rel="icon" href="data:,">');
    }
  });

  it('allows its one stylesheet by hash in the CSP', () => {
    const css = /<style>([\s\S]*)<\/style>/.exec(page)![1]!;
    const hash = `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
    expect(REPORT_PAGE_CSP).toContain(`style-src ${hash}`);
    expect(REPORT_PAGE_CSP).toContain("default-src 'none'");
    expect(page).toContain(`content="default-src &#39;none&#39;; style-src ${escapeHtml(hash)};`);
  });

  it('has the form with exactly the API field names', () => {
    expect(page).toContain('<form method="post" action="/"');
    expect(openingTag(page, 'urls')).toMatch(/^<textarea [^>]*name="urls"/);
    expect(openingTag(page, 'contentType')).toMatch(/^<select [^>]*name="contentType"/);
    expect(openingTag(page, 'description')).toMatch(/^<textarea [^>]*name="description"[^>]*maxlength="4000"/);
    expect(openingTag(page, 'email')).toMatch(/^<input type="email" [^>]*name="email"/);
    expect(openingTag(page, 'victimIdentifiable')).toMatch(/^<input type="checkbox" [^>]*name="victimIdentifiable" value="true"/);
    expect(openingTag(page, 'language')).toMatch(/^<select [^>]*name="language"/);
    expect(page).toMatch(/<button type="submit">Send report<\/button>/);
    const names = [...page.matchAll(/\bname="([^"]+)"/g)].map((m) => m[1]).filter((n) => n !== 'viewport' && n !== 'referrer');
    expect(names.sort()).toEqual(['contentType', 'description', 'email', 'language', 'urls', 'victimIdentifiable']);
  });

  it('holds the reporter to the limits the API checks', () => {
    expect(openingTag(page, 'description')).toContain(`maxlength="${MAX_REPORT_DESCRIPTION_LENGTH}"`);
    expect(openingTag(page, 'email')).toContain(`maxlength="${MAX_CONTACT_EMAIL_LENGTH}"`);
    expect(elementById(page, 'p', 'urls-help')).toBe(escapeHtml(t('en', 'form.urls.help', { max: MAX_REPORT_URLS })));
  });

  it('labels every control', () => {
    for (const id of ['urls', 'contentType', 'description', 'email', 'victimIdentifiable', 'language']) {
      expect(page).toContain(`<label for="${id}">`);
    }
  });

  it('offers the content types with an empty "not sure" option selected by default', () => {
    const options = elementById(page, 'select', 'contentType');
    expect([...options.matchAll(/value="([^"]*)"/g)].map((m) => m[1])).toEqual(['', ...REPORTED_CONTENT_TYPES]);
    expect(options).toContain(`<option value="" selected>${t('en', 'form.content_type.not_sure')}</option>`);
  });

  it('offers the six languages and preselects the page language', () => {
    const options = elementById(renderReportPage({ lang: 'ru' }), 'select', 'language');
    expect([...options.matchAll(/value="([^"]*)"/g)].map((m) => m[1])).toEqual([...SUPPORTED_LANGUAGES]);
    expect(options).toContain('<option value="ru" lang="ru" selected>Русский</option>');
  });

  it('preselects the submitted language over the page language', () => {
    const options = elementById(renderReportPage({ lang: 'en', values: { language: 'es' } }), 'select', 'language');
    expect(options).toContain('<option value="es" lang="es" selected>');
    expect(options.match(/selected/g)).toHaveLength(1);
  });

  it('has plain ?lang= links to the other languages', () => {
    for (const code of SUPPORTED_LANGUAGES.filter((c) => c !== 'en')) {
      expect(page).toMatch(new RegExp(`<a href="\\?lang=${code}" hreflang="[^"]+" lang="[^"]+" dir="(ltr|rtl)">`));
    }
    expect(page).not.toContain('href="?lang=en"');
  });

  it('is right-to-left in Arabic', () => {
    const arabic = renderReportPage({ lang: 'ar' });
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain(escapeHtml(t('ar', 'page.intro.do_not_copy')));
    // URLs and email stay left-to-right inside the Arabic page.
    expect(openingTag(arabic, 'urls')).toContain('dir="ltr"');
    expect(openingTag(arabic, 'email')).toContain('dir="ltr"');
  });

  it('marks Simplified Chinese and is left-to-right in the other languages', () => {
    expect(renderReportPage({ lang: 'zh' })).toContain('<html lang="zh-Hans" dir="ltr">');
    for (const lang of ['en', 'fr', 'es', 'ru'] as const) {
      expect(renderReportPage({ lang })).toContain(`<html lang="${lang}" dir="ltr">`);
    }
  });

  it('shows the page texts of each language', () => {
    for (const lang of SUPPORTED_LANGUAGES) {
      const html = renderReportPage({ lang });
      for (const key of [
        'page.title',
        'page.intro.what',
        'page.intro.anonymous',
        'page.intro.do_not_copy',
        'page.emergency',
        'form.victim.label',
        'form.submit',
      ] as const) {
        expect(html).toContain(escapeHtml(MESSAGES[key][lang]));
      }
      expect(html).toContain(escapeHtml(t(lang, 'form.urls.help', { max: 20 })));
    }
  });

  it('falls back to English for an unsupported language at run time', () => {
    expect(renderReportPage({ lang: 'de' as never })).toContain('<html lang="en" dir="ltr">');
  });

  it('shows no error summary without errors', () => {
    expect(page).not.toContain('role="alert"');
    expect(page).not.toContain('aria-invalid');
  });

  describe('with values and errors', () => {
    const values: ReportFormValues = {
      urls: 'https://a.example/1\n\nhttp://192.168.1.1/x\nhttps://c.example/3',
      contentType: 'livestream',
      description: 'Second\nparagraph',
      email: 'me@example.org',
      victimIdentifiable: true,
      language: 'fr',
    };
    const html = renderReportPage({
      lang: 'en',
      values,
      errors: [
        { field: 'urls[1]', message: t('en', 'field.url.host_not_public') },
        { field: 'contact.email', message: t('en', 'field.email') },
        { field: 'somethingElse', message: 'A general problem.' },
      ],
    });

    it('lists the errors at the top with links to the fields', () => {
      const summary = elementById(html, 'div', 'errors');
      expect(openingTag(html, 'errors')).toContain('role="alert"');
      expect(summary).toContain(`<h2 id="errors-title">${t('en', 'problem.validation.title')}</h2>`);
      expect(summary).toContain(
        '<li><a href="#urls">Address 2 <bdi dir="ltr"><code>http://192.168.1.1/x</code></bdi>: This address points to a private or local network, not to the public internet.</a></li>',
      );
      expect(summary).toContain(`<li><a href="#email">Email address (optional): ${t('en', 'field.email')}</a></li>`);
      expect(summary).toContain('<li>A general problem.</li>');
      // the summary comes before the form
      expect(html.indexOf('id="errors"')).toBeLessThan(html.indexOf('<form'));
    });

    it('shows each error beside its field and marks the control invalid', () => {
      expect(elementById(html, 'ul', 'urls-error')).toContain('Address 2 <bdi dir="ltr"><code>http://192.168.1.1/x</code></bdi>: ');
      expect(elementById(html, 'ul', 'email-error')).toContain(t('en', 'field.email'));
      expect(openingTag(html, 'urls')).toContain('aria-describedby="urls-help urls-error" aria-invalid="true"');
      expect(openingTag(html, 'email')).toContain('aria-invalid="true"');
      expect(openingTag(html, 'description')).not.toContain('aria-invalid');
      expect(html).not.toContain('somethingElse');
    });

    it('re-fills the values', () => {
      expect(elementById(html, 'textarea', 'urls')).toBe(`\n${values.urls}`);
      expect(elementById(html, 'textarea', 'description')).toBe('\nSecond\nparagraph');
      expect(openingTag(html, 'email')).toContain('value="me@example.org"');
      expect(openingTag(html, 'victimIdentifiable')).toContain(' checked');
      expect(elementById(html, 'select', 'contentType')).toContain('<option value="livestream" selected>');
      expect(elementById(html, 'select', 'language')).toContain('<option value="fr" lang="fr" selected>');
    });

    it('keeps a leading newline of a textarea value', () => {
      expect(elementById(renderReportPage({ lang: 'en', values: { urls: '\nhttps://a.example' } }), 'textarea', 'urls')).toBe('\n\nhttps://a.example');
    });

    it('names the address only when it can be found', () => {
      const out = renderReportPage({ lang: 'en', errors: [{ field: 'urls[7]', message: 'Bad.' }] });
      expect(elementById(out, 'ul', 'urls-error')).toBe('<li>Address 8: Bad.</li>');
    });

    it('localises the labels around the errors', () => {
      const out = renderReportPage({ lang: 'zh', values, errors: [{ field: 'urls[0]', message: '此网址过长。' }] });
      expect(elementById(out, 'ul', 'urls-error')).toBe('<li>第1个网址 <bdi dir="ltr"><code>https://a.example/1</code></bdi>：此网址过长。</li>');
    });
  });

  it('escapes hostile values everywhere', () => {
    const html = renderReportPage({
      lang: 'en',
      values: {
        urls: `https://a.example\n${HOSTILE}`,
        contentType: HOSTILE,
        description: `<script>alert(1)</script></textarea><script>alert(2)</script>`,
        email: HOSTILE,
        language: HOSTILE,
      },
      errors: [
        { field: 'urls[1]', message: HOSTILE },
        { field: 'description', message: '<script>alert(3)</script>' },
        { field: HOSTILE, message: HOSTILE },
      ],
    });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('</textarea><');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(openingTag(html, 'email')).toContain(`value="${escapeHtml(HOSTILE)}"`);
    // An unknown content type is not reflected into the select.
    expect(elementById(html, 'select', 'contentType')).toContain('<option value="" selected>');
    expect(elementById(html, 'select', 'contentType')).not.toContain('script');
    // No attribute was broken out of: no tag carries an event handler, hostile text stays text.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    const attributeNames = tags.map((tag) => tag.replace(/"[^"]*"/g, '""'));
    expect(attributeNames.filter((tag) => /\son[a-z]+=|\ssrc=/i.test(tag))).toEqual([]);
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain(`"><script`);
  });

  it('survives malformed errors and values', () => {
    const errors = [null, { field: 3, message: undefined }, { field: 'urls[1]' }] as unknown as { field: string; message: string }[];
    expect(() => renderReportPage({ lang: 'en', errors, values: { urls: 5, victimIdentifiable: 'yes' } as unknown as ReportFormValues })).not.toThrow();
  });
});

describe('renderReceiptPage', () => {
  const receipt = renderReceiptPage({
    lang: 'en',
    reference: 'HR-2026-000123',
    statusToken: 'k3J9-xq2P-77aa-Zt0c',
    receivedAt: '2026-05-01T10:20:30.000Z',
  });

  it('shows the reference and the status token', () => {
    expect(elementById(receipt, 'code', 'reference')).toBe('HR-2026-000123');
    expect(elementById(receipt, 'code', 'status-token')).toBe('k3J9-xq2P-77aa-Zt0c');
    expect(receipt).toContain(t('en', 'receipt.reference'));
    expect(receipt).toContain(t('en', 'receipt.status_token'));
    expect(receipt).toContain(t('en', 'receipt.keep'));
    expect(receipt).toContain(t('en', 'receipt.no_contact'));
  });

  it('shows the time received', () => {
    // (ICU versions differ in the spaces they use around "AM".)
    expect(receipt).toMatch(/<time datetime="2026-05-01T10:20:30.000Z">May 1, 2026 at 10:20:30\sAM UTC<\/time>/);
    const other = renderReceiptPage({ lang: 'en', reference: 'r', statusToken: 's', receivedAt: 'not a date <b>' });
    expect(other).toContain('not a date &lt;b&gt;');
  });

  it('is a complete, non-indexed HTML5 document without language links or scripts', () => {
    expect(receipt.startsWith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')).toBe(true);
    expect(receipt).toContain('<meta name="viewport"');
    expect(receipt).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(receipt).toContain('<meta name="referrer" content="no-referrer">');
    expect(receipt).not.toContain('?lang=ar');
    expect(receipt).not.toMatch(/<script|<img/i);
    expect(receipt).toContain('<a href="/?lang=en">');
  });

  it('is right-to-left in Arabic with the token left-to-right', () => {
    const arabic = renderReceiptPage({ lang: 'ar', reference: 'HR-1', statusToken: 'tok', receivedAt: '2026-05-01T10:20:30Z' });
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain('<code class="token" dir="ltr" id="status-token">tok</code>');
    expect(arabic).toContain(t('ar', 'receipt.title'));
  });

  it('escapes the reference and the token', () => {
    const html = renderReceiptPage({ lang: 'fr', reference: HOSTILE, statusToken: '<script>x</script>', receivedAt: HOSTILE });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(elementById(html, 'code', 'reference')).toBe(escapeHtml(HOSTILE));
  });

  it('uses UTC unless told otherwise and survives a bad time zone', () => {
    const tokyo = renderReceiptPage({ lang: 'en', reference: 'r', statusToken: 's', receivedAt: '2026-05-01T23:00:00Z', timeZone: 'Asia/Tokyo' });
    expect(tokyo).toContain('May 2, 2026');
    const bad = renderReceiptPage({ lang: 'en', reference: 'r', statusToken: 's', receivedAt: '2026-05-01T23:00:00Z', timeZone: 'Nowhere/Else' });
    expect(bad).toContain('2026-05-01T23:00:00Z');
  });
});

describe('the status check form on the receipt page', () => {
  const receipt = renderReceiptPage({ lang: 'fr', reference: 'ABCD-EFGH-JKMN-PQRS', statusToken: 'secret-token-value', receivedAt: '2026-05-01T10:20:30Z' });
  const form = /<form[^>]*id="status-check"[^>]*>[\s\S]*?<\/form>/.exec(receipt)?.[0] ?? '';

  it('posts the reference (prefilled) and an empty token to /status in the page language', () => {
    expect(form).toContain('<form method="post" action="/status" accept-charset="UTF-8" id="status-check">');
    expect(openingTag(form, 'check-reference')).toContain('name="reference"');
    expect(openingTag(form, 'check-reference')).toContain('value="ABCD-EFGH-JKMN-PQRS"');
    expect(openingTag(form, 'check-token')).toContain('name="token"');
    expect(openingTag(form, 'check-token')).not.toContain('value=');
    expect(form).toContain('<input type="hidden" name="language" value="fr">');
    expect(form).toContain(escapeHtml(t('fr', 'status.check.submit')));
    expect(form).not.toContain('secret-token-value');
  });

  it('shows the token only once on the receipt', () => {
    expect(receipt.split('secret-token-value')).toHaveLength(2);
  });

  it('escapes a hostile reference in the prefilled field', () => {
    const html = renderReceiptPage({ lang: 'en', reference: HOSTILE, statusToken: 's', receivedAt: 'x' });
    expect(html).not.toContain('<script');
    expect(openingTag(html, 'check-reference')).toContain(`value="${escapeHtml(HOSTILE)}"`);
  });
});

describe('renderStatusPage', () => {
  it('is the empty check form with language links, in every language', () => {
    for (const lang of SUPPORTED_LANGUAGES) {
      const html = renderStatusPage({ lang });
      expect(html).toContain(escapeHtml(t(lang, 'status.check.title')));
      expect(html).toContain(escapeHtml(t(lang, 'status.check.intro')));
      expect(html).toContain('action="/status"');
      expect(html).toContain(`<input type="hidden" name="language" value="${lang}">`);
      expect(openingTag(html, 'check-reference')).toContain('value=""');
      expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
      expect(html).not.toMatch(/<script|<img/i);
      expect(html).not.toContain('role="alert"');
    }
    expect(renderStatusPage({ lang: 'en' })).toContain('href="?lang=ar"');
  });

  it.each(SUPPORTED_LANGUAGES.flatMap((lang) => REPORT_STATUS_KEYS.map((status) => [lang, status] as const)))('shows %s status %s in words', (lang, status) => {
    const html = renderStatusPage({ lang, reference: 'ABCD-EFGH-JKMN-PQRS', result: { kind: 'found', status, updatedAt: '2026-05-01T10:20:30.000Z' } });
    expect(elementById(html, 'strong', 'status')).toBe(escapeHtml(t(lang, `status.${status}`)));
    expect(elementById(html, 'dd', 'status-detail')).toBe(escapeHtml(t(lang, `status.${status}.detail`)));
    expect(html).toContain(escapeHtml(t(lang, 'status.title')));
    expect(html).toContain(escapeHtml(t(lang, 'status.updated_at')));
    expect(elementById(html, 'code', 'result-reference')).toBe('ABCD-EFGH-JKMN-PQRS');
  });

  it('shows when the status last changed', () => {
    const html = renderStatusPage({ lang: 'en', reference: 'r', result: { kind: 'found', status: 'in_review', updatedAt: '2026-05-01T10:20:30.000Z' } });
    expect(html).toMatch(/<time datetime="2026-05-01T10:20:30.000Z">May 1, 2026 at 10:20:30\sAM UTC<\/time>/);
    expect(renderStatusPage({ lang: 'en', result: { kind: 'found', status: 'closed', updatedAt: '2026-05-01T23:00:00Z' }, timeZone: 'Asia/Tokyo' })).toContain(
      'May 2, 2026',
    );
  });

  it('has one not-found message, keeps the typed reference and escapes it', () => {
    const html = renderStatusPage({ lang: 'es', reference: HOSTILE, result: { kind: 'not_found' } });
    expect(html).toContain('role="alert"');
    expect(html).toContain(escapeHtml(t('es', 'problem.not_found.title')));
    expect(html).toContain(escapeHtml(t('es', 'problem.not_found.detail')));
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(openingTag(html, 'check-reference')).toContain(`value="${escapeHtml(HOSTILE)}"`);
    expect(html).not.toContain('id="status"');
  });

  it('escapes other problems and unknown statuses', () => {
    const error = renderStatusPage({ lang: 'en', result: { kind: 'error', title: '<b>t</b>', message: HOSTILE } });
    expect(error).toContain('&lt;b&gt;t&lt;/b&gt;');
    expect(error).not.toContain('<script');
    const odd = renderStatusPage({ lang: 'en', result: { kind: 'found', status: '<i>x</i>', updatedAt: 'never <b>' } });
    expect(elementById(odd, 'strong', 'status')).toBe('&lt;i&gt;x&lt;/i&gt;');
    expect(odd).toContain('never &lt;b&gt;');
    expect(odd).not.toContain('id="status-detail"');
  });

  it('is right-to-left in Arabic with the reference left-to-right', () => {
    const html = renderStatusPage({ lang: 'ar', reference: 'ABCD-EFGH-JKMN-PQRS', result: { kind: 'found', status: 'received', updatedAt: '2026-05-01T10:20:30Z' } });
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('<code dir="ltr" id="result-reference">ABCD-EFGH-JKMN-PQRS</code>');
    expect(openingTag(html, 'check-reference')).toContain('dir="ltr"');
    expect(openingTag(html, 'check-token')).toContain('dir="ltr"');
    expect(elementById(html, 'strong', 'status')).toBe(t('ar', 'status.received'));
  });

  it('falls back to English for an unknown language', () => {
    expect(renderStatusPage({ lang: 'xx' as never })).toContain('<html lang="en" dir="ltr">');
  });
});
