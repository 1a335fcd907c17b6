import { getDomain } from 'tldts';
import { isOnionHost } from './onion';

/**
 * The registrable domain of a host (public suffix plus one label), from the Public Suffix List as
 * shipped by `tldts`: `a.b.example.co.uk` -> `example.co.uk`.
 *
 * The PSL's private section is included (`user.github.io` -> `user.github.io`, not `github.io`):
 * that is the URL Standard's "registrable domain", and each such name belongs to a different
 * customer of the platform, so it is the unit a report concerns.
 *
 * Null for IP addresses, for a host that is only a public suffix (`co.uk`), and for names that
 * are not valid hostnames. A `.onion` host gives its service name, `<56 chars>.onion`, whatever
 * the PSL says, because the service address is what identifies an onion site.
 */
export function registrableDomain(host: string): string | null {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  if (isOnionHost(name)) {
    const labels = name.split('.');
    return labels.length >= 2 && labels[labels.length - 2] !== '' ? labels.slice(-2).join('.') : null;
  }
  return getDomain(name, { allowPrivateDomains: true });
}
