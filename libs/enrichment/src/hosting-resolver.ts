import { Resolver } from 'node:dns/promises';
import { HostingLookupError, reasonForDnsCode } from './hosting-lookup-error';
import { parseIp } from './ip-address';
import { IpRangeTable } from './ip-range-table';
import { isOnionHost } from './onion';

/** Where a reported host is served from, as far as DNS and the IP-range table tell. */
export interface HostingTrace {
  /** The host as given, lower-cased. */
  host: string;
  /** A `.onion` host: never looked up in DNS, no hosting country. */
  onion: boolean;
  /** The CNAME chain followed, in order (without the host itself). */
  cnames: string[];
  /** A records, then AAAA records, of the last name of the chain; the address itself for an IP literal. */
  addresses: string[];
  /** The first address (IPv4 preferred), or the host itself when it is an IP literal. */
  ip: string | null;
  country: string | null;
  asn: number | null;
  organisation: string | null;
  /** ISO 8601 time the trace was made. */
  resolvedAt: string;
}

export interface HostingResolverOptions {
  /** DNS servers, `ip` or `ip:port` (`[v6]:port`); the system's when absent or empty. */
  servers?: string[];
  /** Timeout of one DNS query try, in ms (c-ares backs off from there on further tries). */
  timeoutMs: number;
  /** Tries per DNS server before a query times out; default 2 (the job itself retries later). */
  tries?: number;
  /** The IP-range table for country and ASN; null leaves them null. */
  geo: IpRangeTable | null;
  /** Longest CNAME chain followed; default 8. */
  maxCnameDepth?: number;
}

/**
 * Makes hosting traces: host -> CNAME chain -> addresses -> country and ASN. Failures throw a
 * HostingLookupError whose `transient` tells the job whether to retry.
 */
export class HostingResolver {
  private readonly dns: Resolver;
  private readonly geo: IpRangeTable | null;
  private readonly maxCnameDepth: number;

  constructor(options: HostingResolverOptions) {
    this.dns = new Resolver({ timeout: options.timeoutMs, tries: options.tries ?? 2 });
    if (options.servers && options.servers.length > 0) this.dns.setServers(options.servers);
    this.geo = options.geo;
    this.maxCnameDepth = options.maxCnameDepth ?? 8;
  }

  async resolve(host: string): Promise<HostingTrace> {
    const name = host.trim().toLowerCase();
    if (isOnionHost(name)) return this.trace(name, { onion: true, cnames: [], addresses: [] });

    // An IP literal needs no DNS: the address is the host itself.
    if (parseIp(name)) {
      const ip = name.replace(/^\[(.*)\]$/, '$1');
      return this.trace(name, { onion: false, cnames: [], addresses: [ip] });
    }

    const dnsName = name.replace(/\.$/, '');
    const cnames = await this.followCnames(name, dnsName);
    const addresses = await this.addressesOf(name, cnames.length > 0 ? cnames[cnames.length - 1] : dnsName);
    return this.trace(name, { onion: false, cnames, addresses });
  }

  private trace(host: string, found: Pick<HostingTrace, 'onion' | 'cnames' | 'addresses'>): HostingTrace {
    // A records come first in `addresses`, so this prefers IPv4.
    const ip = found.addresses[0] ?? null;
    const info = ip !== null && this.geo ? this.geo.lookup(ip) : null;
    return {
      host,
      ...found,
      ip,
      country: info?.country ?? null,
      asn: info?.asn ?? null,
      organisation: info?.organisation ?? null,
      resolvedAt: new Date().toISOString(),
    };
  }

  /**
   * Follows CNAMEs one query at a time, rather than letting resolve4 chase them, so that the chain
   * is known: the hosting is often a CDN or platform named only by a CNAME.
   */
  private async followCnames(host: string, start: string): Promise<string[]> {
    const chain: string[] = [];
    const seen = new Set([start]);
    let name = start;
    for (;;) {
      const [target] = await recordsOrNone(host, this.dns.resolveCname(name));
      if (target === undefined) return chain;
      const next = target.toLowerCase();
      if (seen.has(next)) throw new HostingLookupError(host, 'cname_loop', `${name} points back to ${next}`);
      if (chain.length === this.maxCnameDepth) {
        throw new HostingLookupError(host, 'cname_loop', `more than ${this.maxCnameDepth} CNAMEs`);
      }
      chain.push(next);
      seen.add(next);
      name = next;
    }
  }

  /** A then AAAA records of `name`; a name with only one of the two is fine, one with neither is not. */
  private async addressesOf(host: string, name: string): Promise<string[]> {
    const [v4, v6] = await Promise.allSettled([recordsOrNone(host, this.dns.resolve4(name)), recordsOrNone(host, this.dns.resolve6(name))]);
    // Either query failing fails the trace (A's failure reported first): a partial address list
    // would be recorded as if it were complete. The job retries the transient failures.
    if (v4.status === 'rejected') throw v4.reason;
    if (v6.status === 'rejected') throw v6.reason;
    const addresses = [...v4.value, ...v6.value];
    if (addresses.length === 0) throw new HostingLookupError(host, 'no_address', `${name} has no A or AAAA record`);
    return addresses;
  }
}

/**
 * The records a query found; none when the name exists without records of that type (ENODATA).
 * Any other DNS error becomes a HostingLookupError.
 */
async function recordsOrNone(host: string, query: Promise<string[]>): Promise<string[]> {
  try {
    return await query;
  } catch (err) {
    const { code, syscall, hostname } = err as NodeJS.ErrnoException & { hostname?: string };
    if (code === 'ENODATA') return [];
    const detail = `${syscall ?? 'query'} ${hostname ?? ''}: ${code ?? String(err)}`;
    throw new HostingLookupError(host, reasonForDnsCode(code), detail, { cause: err });
  }
}
