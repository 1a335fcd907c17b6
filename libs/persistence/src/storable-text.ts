/**
 * PostgreSQL text and jsonb refuse NUL characters and lone UTF-16 surrogates. Input holding them
 * is bad input (a 400), never a failed insert (a 500); text we must store whatever it holds (an
 * audit detail) has them replaced.
 */
export const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The paths (`a.b[0]`) of the strings and keys in a JSON value that match `pattern`. */
export function unstorableFields(value: unknown, pattern: RegExp = UNSTORABLE_TEXT, path = ''): string[] {
  if (typeof value === 'string') return pattern.test(value) ? [path || 'body'] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const field = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    return pattern.test(key) ? [field] : unstorableFields(item, pattern, field);
  });
}

/** The value with every unstorable character replaced by U+FFFD. */
export function storableText<T>(value: T): T {
  if (typeof value === 'string') return value.replace(new RegExp(UNSTORABLE_TEXT.source, 'g'), '\uFFFD') as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(storableText) as T;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storableText(item)])) as T;
}
