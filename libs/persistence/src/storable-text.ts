/**
 * PostgreSQL text and jsonb refuse NUL characters and lone UTF-16 surrogates. Input holding them
 * is bad input (a 400), never a failed insert (a 500); text we must store whatever it holds (an
 * audit detail) has them replaced.
 */
export const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * How deep a JSON value these helpers walk: the top-level value is depth 0, its fields depth 1.
 * Nothing we accept nests anywhere near this; a body nested thousands of levels deep (64 KB of
 * `[`) must be refused, not overflow the stack.
 */
export const MAX_JSON_DEPTH = 32;

/** What `storableText` puts in place of a value nested deeper than MAX_JSON_DEPTH. */
export const TOO_DEEP = '[nested too deep]';

/**
 * The paths (`a.b[0]`) of the strings and keys in a JSON value that match `pattern`, and of the
 * objects and arrays nested deeper than `maxDepth` (reported as invalid, not walked).
 */
export function unstorableFields(value: unknown, pattern: RegExp = UNSTORABLE_TEXT, path = '', maxDepth = MAX_JSON_DEPTH): string[] {
  return walk(value, pattern, path, 0, maxDepth);
}

function walk(value: unknown, pattern: RegExp, path: string, depth: number, maxDepth: number): string[] {
  if (typeof value === 'string') return pattern.test(value) ? [path || 'body'] : [];
  if (value === null || typeof value !== 'object') return [];
  if (depth >= maxDepth) return isEmpty(value) ? [] : [path || 'body'];
  return Object.entries(value).flatMap(([key, item]) => {
    const field = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    return pattern.test(key) ? [field] : walk(item, pattern, field, depth + 1, maxDepth);
  });
}

/** True when the value (an object or array) holds something nested deeper than `maxDepth`. */
export function nestedDeeperThan(value: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
  // Iterative, so the check itself cannot overflow whatever the depth.
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= maxDepth) {
      if (!isEmpty(item)) return true;
      continue;
    }
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The value with every unstorable character replaced by U+FFFD, and anything nested deeper than
 * `maxDepth` replaced by TOO_DEEP.
 */
export function storableText<T>(value: T, maxDepth = MAX_JSON_DEPTH): T {
  return storable(value, 0, maxDepth) as T;
}

function storable(value: unknown, depth: number, maxDepth: number): unknown {
  if (typeof value === 'string') return value.replace(new RegExp(UNSTORABLE_TEXT.source, 'g'), '\uFFFD');
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (depth >= maxDepth && !isEmpty(value)) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => storable(item, depth + 1, maxDepth));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [storable(key, depth, maxDepth), storable(item, depth + 1, maxDepth)]));
}

function isEmpty(value: object): boolean {
  for (const _ in value) return false;
  return true;
}
