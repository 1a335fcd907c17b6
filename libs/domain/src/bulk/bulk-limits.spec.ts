import { BULK_BATCH_ID_PATTERN, BULK_BODY_LIMIT_BYTES, MAX_BULK_URLS, maxCompactBatchBytes } from './bulk-limits';

describe('bulk batch limits', () => {
  it('let the largest compact ASCII batch through the body limit, with room for indentation', () => {
    const largest = maxCompactBatchBytes();
    // 1,000 URLs of 2,048 characters with 10 SHA-256 hashes each: about 3.1 MB.
    expect(largest).toBeGreaterThan(3_000_000);
    expect(largest).toBeLessThan(BULK_BODY_LIMIT_BYTES * 0.8);
    expect(MAX_BULK_URLS).toBe(1000);
  });

  it('take batch ids of 1..100 letters, digits, dots, underscores and hyphens', () => {
    expect(BULK_BATCH_ID_PATTERN.test('crawl-2031.03.04_001')).toBe(true);
    expect(BULK_BATCH_ID_PATTERN.test('b'.repeat(100))).toBe(true);
    expect(BULK_BATCH_ID_PATTERN.test('b'.repeat(101))).toBe(false);
    expect(BULK_BATCH_ID_PATTERN.test('')).toBe(false);
    expect(BULK_BATCH_ID_PATTERN.test('a b')).toBe(false);
    expect(BULK_BATCH_ID_PATTERN.test('a/b')).toBe(false);
    expect(BULK_BATCH_ID_PATTERN.test('abc\n')).toBe(false);
  });
});
