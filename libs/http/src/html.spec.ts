import { escapeHtml, html, SafeHtml, trustedHtml } from './html';

// Under another name: Prettier reformats the markup of templates tagged `html`, and these tests
// compare exact output.
const h = html;

describe('html', () => {
  it('escapes every interpolated value', () => {
    const name = '<script>alert("x")</script>';
    expect(h`<p title="${name}">${name}</p>`.toString()).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
    );
    expect(h`<a href='${"' onclick='x"}'>`.toString()).toBe("<a href='&#39; onclick=&#39;x'>");
  });

  it('writes nested templates and trusted markup as they are, arrays joined, nothing for null, undefined and false', () => {
    const items = ['a', '<b>'];
    const out = h`<ul>${items.map((item) => h`<li>${item}</li>`)}</ul>${null}${undefined}${false}${trustedHtml('<svg></svg>')}${0}`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(out.toString()).toBe('<ul><li>a</li><li>&lt;b&gt;</li></ul><svg></svg>0');
  });

  it('escapes what cannot be turned into text as nothing', () => {
    expect(escapeHtml(Object.create(null))).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});
