import { canonicalizeUrl, MAX_CANONICAL_URL_LENGTH } from '../url/canonicalize';
import { MAX_REPORTED_URL_LENGTH } from './limits';

describe('report limits', () => {
  it('keep the public URL limit of the contract apart from canonicalisation’s own bound', () => {
    expect(MAX_REPORTED_URL_LENGTH).toBe(2048);
    expect(MAX_CANONICAL_URL_LENGTH).toBeGreaterThan(MAX_REPORTED_URL_LENGTH);
  });

  it('let any ASCII URL the intake accepts canonicalise, even with every byte escaped', () => {
    const prefix = 'http://example.com/a';
    const spaces = `${prefix}${' '.repeat(MAX_REPORTED_URL_LENGTH - prefix.length - 1)}b`;
    expect(spaces).toHaveLength(MAX_REPORTED_URL_LENGTH);
    expect(canonicalizeUrl(spaces).href.length).toBeGreaterThan(MAX_REPORTED_URL_LENGTH * 2);
  });
});
