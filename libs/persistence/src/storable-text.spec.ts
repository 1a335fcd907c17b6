import { MAX_JSON_DEPTH, nestedDeeperThan, storableText, TOO_DEEP, unstorableFields } from './storable-text';

/** `{"a":[[[ ... ]]]}` with `levels` arrays, as JSON.parse gives it (it parses any depth). */
function deep(levels: number): Record<string, unknown> {
  return JSON.parse(`{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`);
}

describe('storable text', () => {
  it('names the strings and keys PostgreSQL cannot store', () => {
    expect(unstorableFields({ a: 'ok', b: ['x', 'nul\u0000'], 'k\u0000': 1, c: { d: '\uD800' } })).toEqual(['b[1]', 'k\u0000', 'c.d']);
    expect(unstorableFields('\u0000')).toEqual(['body']);
    expect(unstorableFields({ a: '\uD83D\uDE00' })).toEqual([]);
  });

  it('reports a value nested deeper than the limit instead of overflowing the stack', () => {
    // 32k levels in 64 KB: walking it recursively threw RangeError (a 500).
    const body = deep(32_000);
    expect(() => unstorableFields(body)).not.toThrow();
    expect(unstorableFields(body)).toEqual([`a${'[0]'.repeat(MAX_JSON_DEPTH - 1)}`]);
    expect(nestedDeeperThan(body)).toBe(true);
    expect(() => storableText(body)).not.toThrow();
  });

  it('accepts values up to the limit, empty containers at the limit included', () => {
    // The top-level object is depth 0, so MAX_JSON_DEPTH - 1 arrays reach depth MAX_JSON_DEPTH - 1 and hold an empty one.
    expect(unstorableFields(deep(MAX_JSON_DEPTH))).toEqual([]);
    expect(nestedDeeperThan(deep(MAX_JSON_DEPTH))).toBe(false);
    expect(unstorableFields(deep(MAX_JSON_DEPTH + 1))).toHaveLength(1);
    expect(nestedDeeperThan(deep(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(unstorableFields({ a: { b: { c: 'x' } } }, undefined, '', 2)).toEqual(['a.b']);
    expect(unstorableFields({ a: { b: { c: 'x' } } }, undefined, '', 3)).toEqual([]);
  });

  it('replaces unstorable characters, and what is nested too deep', () => {
    expect(storableText({ a: 'x\u0000y', b: ['\uDC00'], 'k\u0000': 1, d: new Date(0), n: null })).toEqual({
      a: 'x\uFFFDy',
      b: ['\uFFFD'],
      'k\uFFFD': 1,
      d: new Date(0),
      n: null,
    });
    expect(storableText({ a: { b: { c: 'x' } }, e: {} }, 2)).toEqual({ a: { b: TOO_DEEP }, e: {} });
    expect(storableText(['a', 'b'])).toEqual(['a', 'b']);
    const stored = storableText(deep(1000)) as { a: unknown };
    expect(JSON.stringify(stored)).toContain(JSON.stringify(TOO_DEEP));
    expect(JSON.stringify(stored).length).toBeLessThan(200);
  });
});
