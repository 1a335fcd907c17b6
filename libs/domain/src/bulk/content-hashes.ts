/**
 * Content hashes a trusted source gives for the file a URL serves (never the file: the hotline
 * holds no content). Stored and matched as `algorithm:value` with the value in lower-case hex, so
 * `SHA256:ABC…` from one sender and `sha256:abc…` from a hash list are the same hash.
 */
export const CONTENT_HASH_ALGORITHMS = ['sha256', 'sha1', 'md5'] as const;
export type ContentHashAlgorithm = (typeof CONTENT_HASH_ALGORITHMS)[number];

/** Hex digits of each algorithm's digest. */
export const CONTENT_HASH_HEX_LENGTH: Readonly<Record<ContentHashAlgorithm, number>> = Object.freeze({ sha256: 64, sha1: 40, md5: 32 });

export interface ContentHash {
  algorithm: ContentHashAlgorithm;
  /** lower-case hex, exactly the digest's length */
  value: string;
}

export type ContentHashProblem = 'algorithm' | 'value';

/** A stored hash value: lower-case hex (known_hash.value is held to it). */
export const CONTENT_HASH_VALUE_PATTERN = /^[0-9a-f]+$/;

export function isContentHashAlgorithm(value: unknown): value is ContentHashAlgorithm {
  return typeof value === 'string' && (CONTENT_HASH_ALGORITHMS as readonly string[]).includes(value);
}

/**
 * The normal form of a hash as given (algorithm name in any case, hex in any case, blanks around
 * it), or what is wrong with it: an unknown algorithm, or a value that is not a digest of it.
 */
export function normaliseContentHash(algorithm: unknown, value: unknown): ContentHash | { problem: ContentHashProblem } {
  const name = typeof algorithm === 'string' ? algorithm.trim().toLowerCase() : algorithm;
  if (!isContentHashAlgorithm(name)) return { problem: 'algorithm' };
  if (typeof value !== 'string') return { problem: 'value' };
  const hex = value.trim().toLowerCase();
  if (hex.length !== CONTENT_HASH_HEX_LENGTH[name] || !CONTENT_HASH_VALUE_PATTERN.test(hex)) return { problem: 'value' };
  return { algorithm: name, value: hex };
}

/** `sha256:<hex>`: how reported_url.content_hashes keeps a hash. */
export function contentHashText(hash: ContentHash): string {
  return `${hash.algorithm}:${hash.value}`;
}

/**
 * What a known hash says of its file: illegal everywhere (`baseline`, as INTERPOL's baseline list)
 * or under national law. Only confirming verdicts: a hash list of what is *not* illegal would let a
 * sender settle a case as harmless by attaching a hash, which nobody could check.
 */
export const KNOWN_HASH_VERDICTS = ['baseline', 'national'] as const;
export type KnownHashVerdict = (typeof KNOWN_HASH_VERDICTS)[number];

export function isKnownHashVerdict(value: unknown): value is KnownHashVerdict {
  return typeof value === 'string' && (KNOWN_HASH_VERDICTS as readonly string[]).includes(value);
}

/**
 * The verdict a URL takes from the known hashes its file matched: `baseline` when any match says
 * so (illegal everywhere is the stronger finding), else `national`; null when none matched.
 */
export function verdictOfMatches(verdicts: readonly KnownHashVerdict[]): KnownHashVerdict | null {
  if (verdicts.length === 0) return null;
  return verdicts.includes('baseline') ? 'baseline' : 'national';
}
