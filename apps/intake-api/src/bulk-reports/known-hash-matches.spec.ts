import { hashListings } from './known-hash-matches';

const h = (n: number) => ({ algorithm: 'sha256' as const, value: n.toString(16).padStart(64, '0') });

describe('hashListings', () => {
  const known = [
    { ...h(1), verdict: 'national' as const, list_name: 'partner-a' },
    { ...h(2), verdict: 'baseline' as const, list_name: 'interpol' },
  ];

  it('lists each URL whose file hash is known, under the hash list it came from', () => {
    const result = hashListings(
      [
        { dedupKey: 'k1', canonical: 'https://a.example/1', contentHashes: [h(9), h(1)] },
        { dedupKey: 'k2', canonical: 'https://a.example/2', contentHashes: [h(9)] },
        { dedupKey: 'k3', canonical: 'https://a.example/3', contentHashes: [] },
      ],
      known,
    );
    expect(result).toEqual({ matchedUrls: 1, listings: [{ dedupKey: 'k1', canonical: 'https://a.example/1', verdict: 'national', listName: 'hash:partner-a' }] });
  });

  it('takes the strongest verdict of a URL’s matches, and of a dedup key given twice', () => {
    const result = hashListings(
      [
        { dedupKey: 'k1', canonical: 'https://a.example/1', contentHashes: [h(1), h(2)] },
        { dedupKey: 'k4', canonical: 'https://a.example/4', contentHashes: [h(1)] },
        { dedupKey: 'k4', canonical: 'https://a.example/4?utm_source=x', contentHashes: [h(2)] },
        { dedupKey: 'k4', canonical: 'https://a.example/4#again', contentHashes: [h(1)] },
      ],
      known,
    );
    expect(result.matchedUrls).toBe(4);
    expect(result.listings).toEqual([
      { dedupKey: 'k1', canonical: 'https://a.example/1', verdict: 'baseline', listName: 'hash:interpol' },
      { dedupKey: 'k4', canonical: 'https://a.example/4?utm_source=x', verdict: 'baseline', listName: 'hash:interpol' },
    ]);
  });

  it('lists nothing when nothing is known', () => {
    expect(hashListings([{ dedupKey: 'k1', canonical: 'https://a.example/1', contentHashes: [h(1)] }], [])).toEqual({ matchedUrls: 0, listings: [] });
  });
});
