/**
 * A URL written so that nothing turns it into a link: `hxxp://example[.]com/a`. Staff views show
 * addresses this way unless an analyst explicitly reveals one, so no click or preview fetches
 * the content by accident.
 */
export function defangUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(url);
  if (!match) return defangHost(url);
  const [, scheme, authority, rest] = match;
  return `${scheme.replace(/^http/i, (s) => (s === 'HTTP' ? 'HXXP' : 'hxxp'))}://${defangHost(authority)}${rest}`;
}

/** `example[.]com`; an IPv6 literal's colons are left alone, its brackets are what matter. */
export function defangHost(host: string): string {
  return host.replace(/\./g, '[.]');
}
