import { contentHashText, isKnownHashVerdict, normaliseContentHash, verdictOfMatches } from './content-hashes';

describe('content hashes', () => {
  const sha256 = 'A'.repeat(32) + 'f0'.repeat(16);

  it('normalise the algorithm name and the hex to lower case, without blanks', () => {
    expect(normaliseContentHash(' SHA256 ', ` ${sha256} `)).toEqual({ algorithm: 'sha256', value: sha256.toLowerCase() });
    expect(normaliseContentHash('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toEqual({ algorithm: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect(normaliseContentHash('sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).toEqual({ algorithm: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' });
  });

  it('refuse unknown algorithms', () => {
    expect(normaliseContentHash('sha512', sha256)).toEqual({ problem: 'algorithm' });
    expect(normaliseContentHash('photodna', sha256)).toEqual({ problem: 'algorithm' });
    expect(normaliseContentHash(undefined, sha256)).toEqual({ problem: 'algorithm' });
    expect(normaliseContentHash(256, sha256)).toEqual({ problem: 'algorithm' });
  });

  it('refuse a value that is not a digest of its algorithm: wrong length, not hex, not text', () => {
    expect(normaliseContentHash('sha256', sha256.slice(1))).toEqual({ problem: 'value' });
    expect(normaliseContentHash('md5', sha256)).toEqual({ problem: 'value' });
    expect(normaliseContentHash('sha1', 'g'.repeat(40))).toEqual({ problem: 'value' });
    expect(normaliseContentHash('sha1', `${'a'.repeat(39)}\u0000`)).toEqual({ problem: 'value' });
    expect(normaliseContentHash('sha256', 42)).toEqual({ problem: 'value' });
  });

  it('are written algorithm:value', () => {
    expect(contentHashText({ algorithm: 'md5', value: 'ab'.repeat(16) })).toBe(`md5:${'ab'.repeat(16)}`);
  });

  it('confirm only: baseline wins over national, nothing else is a verdict', () => {
    expect(verdictOfMatches([])).toBeNull();
    expect(verdictOfMatches(['national'])).toBe('national');
    expect(verdictOfMatches(['national', 'baseline'])).toBe('baseline');
    expect(isKnownHashVerdict('not_illegal')).toBe(false);
    expect(isKnownHashVerdict('baseline')).toBe(true);
  });
});
