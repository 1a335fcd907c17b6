import { hash } from 'node:crypto';
import { CanonicalUrl, canonicalizeUrl } from './canonicalize';

/**
 * Query parameters that only carry click/campaign tracking and never select content. Matched
 * case-insensitively on the parameter name; a trailing `*` matches a prefix.
 *
 * The list is deliberately conservative: two different resources collapsing into one dedup key
 * could make an analyst discard a report as a duplicate. Short generic names that some sites use
 * for content (`si`, `ref`, `source`, `cid`, `pk_*`) are therefore NOT listed, only vendor-specific
 * ones.
 */
export const DEFAULT_TRACKING_PARAMS: readonly string[] = Object.freeze([
  // Google Analytics / Ads / Merchant Center
  'utm_*',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'gad_source',
  'srsltid',
  '_ga',
  '_gl',
  // Meta (Facebook, Instagram)
  'fbclid',
  'igshid',
  'igsh',
  // Microsoft Advertising
  'msclkid',
  // Mailchimp
  'mc_cid',
  'mc_eid',
  // Yandex
  'yclid',
  'ysclid',
  // X/Twitter, TikTok, LinkedIn, Pinterest
  'twclid',
  'ref_src',
  'ttclid',
  'li_fat_id',
  'epik',
  // HubSpot, Marketo, Vero, Omeda
  '_hsenc',
  '_hsmi',
  '__hssc',
  '__hstc',
  '__hsfp',
  'mkt_tok',
  'vero_id',
  'oly_anon_id',
  'oly_enc_id',
  // Matomo (its `pk_` names are listed one by one: `pk_` alone is too generic)
  'mtm_*',
  'pk_campaign',
  'pk_kwd',
  'pk_source',
  'pk_medium',
  'pk_content',
  // Affiliate networks
  'irclickid',
  'wickedid',
]);

interface Matcher {
  exact: Set<string>;
  prefixes: string[];
}

const matchers = new WeakMap<readonly string[], Matcher>();

function matcherFor(params: readonly string[]): Matcher {
  let m = matchers.get(params);
  if (m === undefined) {
    m = { exact: new Set(), prefixes: [] };
    for (const p of params) {
      const name = p.toLowerCase();
      if (name.endsWith('*')) m.prefixes.push(name.slice(0, -1));
      else m.exact.add(name);
    }
    matchers.set(params, m);
  }
  return m;
}

function isTracking(m: Matcher, param: string): boolean {
  const eq = param.indexOf('=');
  const name = (eq < 0 ? param : param.slice(0, eq)).toLowerCase();
  return m.exact.has(name) || m.prefixes.some((prefix) => name.startsWith(prefix));
}

/**
 * The canonical href without tracking parameters: other parameters keep their order, empty ones
 * (`a=1&&b=2`) are dropped, and so is the `?` when nothing is left (also for a bare `?`).
 * A string is canonicalised first (throws InvalidUrlError when it is not a URL); canonicalising a
 * canonical href returns it unchanged.
 */
export function dedupUrl(canonical: CanonicalUrl | string, trackingParams: readonly string[] = DEFAULT_TRACKING_PARAMS): string {
  const url = typeof canonical === 'string' ? canonicalizeUrl(canonical) : canonical;
  // The path and host of a canonical URL escape '?', so the first '?' starts the query.
  const q = url.href.indexOf('?');
  if (q < 0) return url.href;
  const base = url.href.slice(0, q);
  const m = matcherFor(trackingParams);
  const kept = url.href
    .slice(q + 1)
    .split('&')
    .filter((param) => param !== '' && !isTracking(m, param));
  return kept.length === 0 ? base : `${base}?${kept.join('&')}`;
}

/** Lower-case hex SHA-256 of dedupUrl(): the key under which reports of one URL are grouped. */
export function dedupKey(canonical: CanonicalUrl | string, trackingParams: readonly string[] = DEFAULT_TRACKING_PARAMS): string {
  // One-shot hash(): no Hash object per call, which counts on the intake hot path.
  return hash('sha256', dedupUrl(canonical, trackingParams), 'hex');
}
