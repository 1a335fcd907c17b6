import { ContentHash, contentHashText, KnownHashVerdict, verdictOfMatches } from '@hotline/domain';

export interface HashedUrl {
  dedupKey: string;
  canonical: string;
  contentHashes: readonly ContentHash[];
}

export interface KnownHash {
  algorithm: string;
  value: string;
  verdict: KnownHashVerdict;
  list_name: string;
}

export interface HashListing {
  dedupKey: string;
  canonical: string;
  verdict: KnownHashVerdict;
  /** `hash:<the hash list>`, so the known-URL entry says where its verdict came from. */
  listName: string;
}

/**
 * Which URLs of a batch serve a file whose hash is known, and the known-URL entry each gives:
 * one per dedup key (the first URL of it in the batch), with the strongest verdict among its
 * matches and the list that verdict came from. `matchedUrls` counts URLs, not hashes or keys.
 */
export function hashListings(urls: readonly HashedUrl[], known: readonly KnownHash[]): { matchedUrls: number; listings: HashListing[] } {
  const knownByText = new Map(known.map((k) => [`${k.algorithm}:${k.value}`, k]));
  const listings = new Map<string, HashListing>();
  let matchedUrls = 0;
  for (const url of urls) {
    const matches = url.contentHashes.map((hash) => knownByText.get(contentHashText(hash))).filter((k): k is KnownHash => k !== undefined);
    const verdict = verdictOfMatches(matches.map((k) => k.verdict));
    if (verdict === null) continue;
    matchedUrls++;
    const listing = { dedupKey: url.dedupKey, canonical: url.canonical, verdict, listName: `hash:${matches.find((k) => k.verdict === verdict)!.list_name}` };
    const before = listings.get(url.dedupKey);
    // Two spellings of one URL in a batch: the stronger verdict holds.
    if (!before || (before.verdict !== 'baseline' && verdict === 'baseline')) listings.set(url.dedupKey, listing);
  }
  return { matchedUrls, listings: [...listings.values()] };
}
