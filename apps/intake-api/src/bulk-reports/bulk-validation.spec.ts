import { ProblemException } from '@hotline/http';
import { urlsInBody, validateBulkBatch } from './bulk-validation';

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function problems(body: unknown): { field: string; message: string; params?: Record<string, unknown> }[] {
  try {
    validateBulkBatch(body, 'en');
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).kind).toBe('validation');
    return ((error as ProblemException).details.errors ?? []) as never;
  }
  throw new Error('the batch was accepted');
}

describe('validateBulkBatch', () => {
  it('accepts a batch, canonicalises its URLs and normalises and deduplicates their hashes', () => {
    const batch = validateBulkBatch(
      {
        batchId: 'crawl-1.a_b',
        contentType: 'images',
        language: 'fr',
        urls: [
          {
            url: 'HTTP://Example.COM/a',
            contentHashes: [
              { algorithm: 'SHA256', value: SHA256.toUpperCase() },
              { algorithm: 'sha256', value: SHA256 },
            ],
          },
          { url: 'https://example.org/b' },
          { url: 'https://example.org/c', contentHashes: [] },
        ],
      },
      'en',
    );
    expect(batch.batchId).toBe('crawl-1.a_b');
    expect(batch.contentType).toBe('images');
    expect(batch.language).toBe('fr');
    expect(batch.urls.map((u) => u.canonical.href)).toEqual(['http://example.com/a', 'https://example.org/b', 'https://example.org/c']);
    expect(batch.urls[0].raw).toBe('HTTP://Example.COM/a');
    expect(batch.urls.map((u) => u.contentHashes)).toEqual([[{ algorithm: 'sha256', value: SHA256 }], [], []]);
  });

  it('names each bad URL by its index, with the public intake’s rules (private hosts, schemes)', () => {
    const urls = Array.from({ length: 20 }, (_, i) => ({ url: `https://example.com/${i}` }));
    urls[12] = { url: 'http://127.0.0.1/x' };
    urls[15] = { url: 'ftp://example.com/y' };
    urls[17] = { url: 'http://fileserver/z' };
    expect(problems({ batchId: 'b', urls })).toEqual([
      { field: 'urls[12].url', message: 'field.url.host_not_public', params: { max: 2048 } },
      { field: 'urls[15].url', message: 'field.url.scheme', params: { max: 2048 } },
      { field: 'urls[17].url', message: 'field.url.single_label', params: { max: 2048 } },
    ]);
  });

  it('refuses unknown fields at every level', () => {
    expect(
      problems({ batchId: 'b', urls: [{ url: 'https://example.com/', note: 'x', contentHashes: [{ algorithm: 'md5', value: 'a'.repeat(32), size: 3 }] }], x: 1 }),
    ).toEqual([
      { field: 'x', message: 'field.unknown' },
      { field: 'urls[0].note', message: 'field.unknown' },
      { field: 'urls[0].contentHashes[0].size', message: 'field.unknown' },
    ]);
  });

  it('refuses more than 1,000 URLs, none, and a missing or malformed batch id', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ url: `https://example.com/${i}` }));
    expect(problems({ batchId: 'b', urls: many })).toEqual([{ field: 'urls', message: 'field.array_size', params: { min: 1, max: 1000 } }]);
    expect(problems({ batchId: 'b', urls: [] })).toEqual([{ field: 'urls', message: 'field.array_size', params: { min: 1, max: 1000 } }]);
    expect(problems({ urls: [{ url: 'https://example.com/' }] })).toEqual([{ field: 'batchId', message: 'field.required' }]);
    expect(problems({ batchId: 'a b', urls: [{ url: 'https://example.com/' }] })).toEqual([{ field: 'batchId', message: 'field.invalid' }]);
    expect(problems({ batchId: 'b'.repeat(101), urls: [{ url: 'https://example.com/' }] })).toEqual([{ field: 'batchId', message: 'field.invalid' }]);
    expect(problems({ batchId: 7, urls: [{ url: 'https://example.com/' }] })).toEqual([{ field: 'batchId', message: 'field.must_be_string' }]);
  });

  it('refuses entries that are not objects, URLs missing, and bad hashes', () => {
    expect(
      problems({
        batchId: 'b',
        urls: [
          'https://example.com/',
          {},
          { url: 'https://example.com/a', contentHashes: [{ algorithm: 'sha512', value: SHA256 }, { algorithm: 'md5', value: SHA256 }, 'x', { value: SHA256 }] },
          { url: 'https://example.com/b', contentHashes: Array.from({ length: 11 }, () => ({ algorithm: 'sha256', value: SHA256 })) },
          { url: 'https://example.com/c', contentHashes: 'sha256:abc' },
        ],
      }),
    ).toEqual([
      { field: 'urls[0]', message: 'field.must_be_object' },
      { field: 'urls[1].url', message: 'field.required' },
      { field: 'urls[2].contentHashes[0].algorithm', message: 'field.one_of', params: { values: 'sha256, sha1, md5' } },
      { field: 'urls[2].contentHashes[1].value', message: 'field.content_hash' },
      { field: 'urls[2].contentHashes[2]', message: 'field.must_be_object' },
      { field: 'urls[2].contentHashes[3].algorithm', message: 'field.required' },
      { field: 'urls[3].contentHashes', message: 'field.list_size', params: { max: 10 } },
      { field: 'urls[4].contentHashes', message: 'field.must_be_array' },
    ]);
  });

  it('refuses a body that is not an object, and a bad language or content type', () => {
    expect(problems([])).toEqual([{ field: 'body', message: 'field.must_be_object' }]);
    expect(problems({ batchId: 'b', urls: [{ url: 'https://example.com/' }], language: 'not a tag', contentType: 'pictures' })).toEqual([
      { field: 'contentType', message: 'field.one_of', params: { values: 'images, videos, text, livestream, other' } },
      { field: 'language', message: 'field.language_tag' },
    ]);
  });

  it('counts the URLs of any body for the refusal metric', () => {
    expect(urlsInBody({ urls: [1, 2, 3] })).toBe(3);
    expect(urlsInBody({ urls: 'x' })).toBe(0);
    expect(urlsInBody(null)).toBe(0);
  });
});
