/**
 * True for `.onion` names (Tor onion services, RFC 7686). They are not in the DNS: looking them up
 * would only leak the name to the resolver, and they have no hosting country.
 */
export function isOnionHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'onion' || name.endsWith('.onion');
}
