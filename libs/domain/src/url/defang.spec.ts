import { defangHost, defangUrl } from './defang';

describe('defangUrl', () => {
  it.each([
    ['http://example.com/a.html?x=1.2', 'hxxp://example[.]com/a.html?x=1.2'],
    ['https://a.b.example.co.uk:8443/', 'hxxps://a[.]b[.]example[.]co[.]uk:8443/'],
    ['http://1.2.3.4/p', 'hxxp://1[.]2[.]3[.]4/p'],
    ['http://[2001:db8::1]/', 'hxxp://[2001:db8::1]/'],
    ['http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion/', 'hxxp://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345[.]onion/'],
  ])('%s -> %s', (url, defanged) => {
    expect(defangUrl(url)).toBe(defanged);
  });

  it('leaves no dot in the host and no http scheme, so nothing links it', () => {
    const defanged = defangUrl('https://sub.example.com/x');
    expect(defanged.startsWith('http')).toBe(false);
    expect(defanged.split('/')[2].replace(/\[\.\]/g, '')).not.toContain('.');
  });

  it('defangs a bare host', () => {
    expect(defangUrl('example.com')).toBe('example[.]com');
    expect(defangHost('a.b')).toBe('a[.]b');
  });
});
