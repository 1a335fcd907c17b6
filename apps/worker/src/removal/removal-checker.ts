import { canonicalizeUrl, CanonicalUrl, checkReportable, MAX_SAME_HOST_REDIRECTS, outcomeOfStatus, parseReportableUrl, RemovalCheckResult } from '@hotline/domain';
import { Resolver } from 'node:dns/promises';
import { ClientRequest, IncomingMessage, request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIPv6 } from 'node:net';

/**
 * Neither ours nor anybody's: the request must not tell the host it is watched by a hotline
 * (content gets cloaked for known monitors), nor pretend to be a particular browser.
 */
export const REMOVAL_CHECK_USER_AGENT = 'Mozilla/5.0 (compatible)';

/** Connection, TLS and the answer's status line and headers, redirects included. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** Why, in a word: for tests and metrics of the checker itself, never stored with the case. */
export type RemovalCheckReason =
  | 'answered'
  | 'nxdomain'
  | 'no_address'
  | 'dns_failure'
  | 'not_public'
  | 'scheme'
  | 'onion'
  | 'bad_url'
  | 'other_origin'
  | 'redirect_limit'
  | 'bad_redirect'
  | 'timeout'
  | 'connection';

export interface RemovalCheck extends RemovalCheckResult {
  reason: RemovalCheckReason;
}

export interface RemovalCheckerOptions {
  /** DNS servers, `ip` or `ip:port` (DNS_SERVERS); the system's when empty. */
  dnsServers: readonly string[];
  dnsTimeoutMs: number;
  /** Host names that may resolve to loopback or private addresses (REMOVAL_CHECK_ALLOW, tests only), lower case. */
  allowHosts: readonly string[];
  /** For the whole HTTP exchange of one check; default 10 s. */
  timeoutMs?: number;
}

/** One hop's request: the checked address to connect to, and the URL it is for. */
interface Target {
  url: CanonicalUrl;
  address: string;
}

/**
 * Whether a URL still serves something, from the status line and headers of one request: HEAD,
 * or GET when the server refuses HEAD, its connection destroyed the moment the headers are in,
 * so not a byte of the body is ever read (the system never downloads the content). The name is
 * resolved here, with the hotline's DNS servers, the addresses judged as intake judges a host
 * (no loopback, private, link-local or reserved ones), and the request goes to that very address,
 * with the name in Host and SNI: an answer cannot be swapped between the check and the connect.
 * Redirects are followed only within the same origin (scheme, host and port: not to another
 * service of the host, such as :22 or :6379), at most MAX_SAME_HOST_REDIRECTS times.
 */
export class RemovalChecker {
  private readonly dns: Resolver;
  private readonly allow: ReadonlySet<string>;
  private readonly timeoutMs: number;

  constructor(options: RemovalCheckerOptions) {
    this.dns = new Resolver({ timeout: options.dnsTimeoutMs, tries: 2 });
    if (options.dnsServers.length > 0) this.dns.setServers([...options.dnsServers]);
    this.allow = new Set(options.allowHosts.map((host) => host.toLowerCase()));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async check(canonicalUrl: string): Promise<RemovalCheck> {
    let url: CanonicalUrl;
    try {
      url = canonicalizeUrl(canonicalUrl);
    } catch {
      return refused('bad_url');
    }
    if (url.scheme !== 'http' && url.scheme !== 'https') return refused('scheme');
    // No Tor here: an onion service is never reached (and never through the open Internet).
    if (url.hostKind === 'onion') return refused('onion');
    const allowed = this.allow.has(url.host);
    if (!allowed && checkReportable(url) !== null) return refused('not_public');

    const resolved = await this.addressesOf(url);
    if ('outcome' in resolved) return resolved;
    if (!allowed && !resolved.every(isPublicAddress)) return refused('not_public');
    // IPv4 first, as the hosting trace does.
    return this.follow({ url, address: resolved[0] });
  }

  /** The host's addresses (A, then AAAA), or the result that ends the check. */
  private async addressesOf(url: CanonicalUrl): Promise<string[] | RemovalCheck> {
    if (url.hostKind === 'ipv4') return [url.host];
    if (url.hostKind === 'ipv6') return [url.host.slice(1, -1)];
    const [v4, v6] = await Promise.allSettled([this.dns.resolve4(url.host), this.dns.resolve6(url.host)]);
    const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (addresses.length > 0) return addresses;
    const codes = [v4, v6].map((r) => (r.status === 'rejected' ? (r.reason as NodeJS.ErrnoException).code : 'ENODATA'));
    // The name does not exist (both questions say so): the site is gone.
    if (codes.every((code) => code === 'ENOTFOUND')) return { outcome: 'gone', httpStatus: null, redirectFollowed: false, reason: 'nxdomain' };
    if (codes.every((code) => code === 'ENODATA' || code === 'ENOTFOUND'))
      return { outcome: 'unreachable', httpStatus: null, redirectFollowed: false, reason: 'no_address' };
    return { outcome: 'unreachable', httpStatus: null, redirectFollowed: false, reason: 'dns_failure' };
  }

  /** Asks, following same-origin redirects, all within one deadline. */
  private async follow(first: Target): Promise<RemovalCheck> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    let target = first;
    for (let hop = 0; ; hop++) {
      let head: Head;
      try {
        head = await this.headOrGet(target, deadline);
      } catch (error) {
        const reason = deadline.aborted || isTimeout(error) ? 'timeout' : 'connection';
        return { outcome: 'unreachable', httpStatus: null, redirectFollowed: hop > 0, reason };
      }
      const status = head.status;
      const redirectFollowed = hop > 0;
      if (status < 300 || status >= 400 || head.location === undefined)
        return { outcome: outcomeOfStatus(status), httpStatus: status, redirectFollowed, reason: 'answered' };
      const next = redirectTarget(target.url, head.location);
      if (next === null) return { outcome: 'redirected', httpStatus: status, redirectFollowed, reason: 'bad_redirect' };
      if (!sameOrigin(next, first.url)) return { outcome: 'redirected', httpStatus: status, redirectFollowed, reason: 'other_origin' };
      if (hop === MAX_SAME_HOST_REDIRECTS) return { outcome: 'redirected', httpStatus: status, redirectFollowed, reason: 'redirect_limit' };
      // The same origin: the address already checked, no second lookup to be swapped.
      target = { url: next, address: target.address };
    }
  }

  /** HEAD; GET (cut off at the headers) only when the server does not do HEAD. */
  private async headOrGet(target: Target, deadline: AbortSignal): Promise<Head> {
    const head = await this.ask(target, 'HEAD', deadline);
    if (head.status !== 405 && head.status !== 501) return head;
    return this.ask(target, 'GET', deadline);
  }

  private ask(target: Target, method: 'HEAD' | 'GET', deadline: AbortSignal): Promise<Head> {
    const { url, address } = target;
    const https = url.scheme === 'https';
    const port = url.port ?? (https ? 443 : 80);
    const options: RequestOptions & { servername?: string } = {
      method,
      host: address,
      family: isIPv6(address) ? 6 : 4,
      port,
      path: url.path + (url.query === null ? '' : `?${url.query}`),
      headers: {
        host: url.host + (url.port === null ? '' : `:${url.port}`),
        'user-agent': REMOVAL_CHECK_USER_AGENT,
        accept: '*/*',
        'accept-encoding': 'identity',
        connection: 'close',
      },
      // One connection per request, closed after it: nothing pooled, nothing kept.
      agent: false,
      signal: deadline,
      timeout: this.timeoutMs,
    };
    // SNI and the certificate's name are the host's, though the connection is to the checked address.
    if (https && url.hostKind === 'dns') options.servername = url.host;
    return new Promise<Head>((resolve, reject) => {
      let req: ClientRequest;
      try {
        req = (https ? httpsRequest : httpRequest)(options, (res: IncomingMessage) => {
          const location = res.headers.location;
          resolve({ status: res.statusCode ?? 0, location });
          res.on('error', () => undefined); // cut off on purpose: not a failure
          // The status line and headers are all we wanted: the body is never read, the socket goes now.
          res.destroy();
          req.destroy();
        });
      } catch (error) {
        reject(error as Error);
        return;
      }
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end();
    });
  }
}

interface Head {
  status: number;
  location: string | undefined;
}

function refused(reason: RemovalCheckReason): RemovalCheck {
  return { outcome: 'refused', httpStatus: null, redirectFollowed: false, reason };
}

/**
 * Scheme, host and port (canonical URLs keep only a non-default port, so `null` is the scheme's
 * own): a redirect to another port of the same host is another service, never followed.
 */
function sameOrigin(a: CanonicalUrl, b: CanonicalUrl): boolean {
  return a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}

/** A public unicast address, by intake's rule for an IP host. */
function isPublicAddress(address: string): boolean {
  const parsed = parseReportableUrl(isIPv6(address) ? `http://[${address}]/` : `http://${address}/`);
  return parsed.ok;
}

/** The canonical URL a Location header points to (relative to the request's), or null when it is not an http(s) URL. */
function redirectTarget(from: CanonicalUrl, location: string): CanonicalUrl | null {
  try {
    const next = canonicalizeUrl(new URL(location, from.href).href);
    return next.scheme === 'http' || next.scheme === 'https' ? next : null;
  } catch {
    return null;
  }
}

function isTimeout(error: unknown): boolean {
  const { code, name } = error as NodeJS.ErrnoException;
  return code === 'ETIMEDOUT' || name === 'AbortError' || name === 'TimeoutError';
}
