/** Why a hosting trace could not be made; the case shows `hosting: unresolved` with it. */
export type HostingFailureReason =
  | 'nxdomain' // the name does not exist
  | 'no_address' // the name exists but has no A or AAAA record
  | 'timeout' // no DNS server answered in time
  | 'servfail' // the DNS server could not answer (often a broken upstream zone)
  | 'refused' // the DNS server refused the query, or its port refused the connection
  | 'cname_loop' // the CNAME chain loops or is longer than allowed
  | 'error'; // anything else: a malformed answer, a resolver failure

/** Worth retrying later: the same question may get an answer. The others are answers in themselves. */
const TRANSIENT: Record<HostingFailureReason, boolean> = {
  nxdomain: false,
  no_address: false,
  cname_loop: false,
  timeout: true,
  servfail: true,
  refused: true,
  error: true,
};

export class HostingLookupError extends Error {
  /** True: the job retries with backoff. False: retrying would get the same answer. */
  readonly transient: boolean;

  constructor(
    readonly host: string,
    readonly reason: HostingFailureReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`hosting lookup for ${host}: ${reason} (${detail})`, options);
    this.name = 'HostingLookupError';
    this.transient = TRANSIENT[reason];
  }
}

/**
 * The reason for one of Node's dns error codes (c-ares status names). ENODATA ("no record of this
 * type") is usually not a failure on its own: the caller decides, see HostingResolver.
 */
export function reasonForDnsCode(code: string | undefined): HostingFailureReason {
  switch (code) {
    case 'ENOTFOUND':
      return 'nxdomain';
    case 'ENODATA':
      return 'no_address';
    case 'ETIMEOUT':
      return 'timeout';
    case 'ESERVFAIL':
      return 'servfail';
    case 'EREFUSED':
    case 'ECONNREFUSED':
      return 'refused';
    default:
      return 'error';
  }
}
