import { hostileBodyProblem, MAX_BODY_DEPTH } from './hostile-body';

const fields = (body: unknown) => hostileBodyProblem(body)?.details.errors?.map((error) => error.field);

describe('hostileBodyProblem', () => {
  it('passes bodies without reserved names, of any usual shape', () => {
    for (const body of [{}, [], 'text', 42, null, { email: 'a@example.org', password: 'x' }, [{ a: [1, { b: 'constructor' }] }], { name: 'prototype' }]) {
      expect(hostileBodyProblem(body)).toBeNull();
    }
  });

  it('names every reserved key, at any depth, in the order written', () => {
    const body = JSON.parse('{"a":{"constructor":1},"b":[{"__proto__":{}}],"prototype":2,"c":{"d":{"e":{"f":{"constructor":{}}}}}}');
    expect(fields(body)).toEqual(['a.constructor', 'b[0].__proto__', 'prototype', 'c.d.e.f.constructor']);
    expect(hostileBodyProblem(body)).toMatchObject({
      kind: 'invalid_request',
      details: { errors: [{ message: 'field.reserved_name', params: { name: 'constructor' } }, {}, {}, {}] },
    });
  });

  it('names array bodies by index', () => {
    expect(fields(JSON.parse('[{"ok":1},{"constructor":"x"}]'))).toEqual(['[1].constructor']);
  });

  it('lists at most ten fields, however many there are', () => {
    const body = Array.from({ length: 5_000 }, () => JSON.parse('{"constructor":1}'));
    expect(fields(body)).toHaveLength(10);
  });

  it('refuses nesting deeper than the bound, without recursion, whatever the depth', () => {
    const nested = (levels: number) => JSON.parse(`${'['.repeat(levels)}1${']'.repeat(levels)}`);
    expect(hostileBodyProblem(nested(MAX_BODY_DEPTH))).toBeNull();
    expect(fields(nested(MAX_BODY_DEPTH + 1))).toEqual(['body']);
    expect(hostileBodyProblem(nested(100_000))).toMatchObject({ details: { errors: [{ field: 'body', message: 'field.too_deep', params: { max: MAX_BODY_DEPTH } }] } });
    // Empty containers at the bound hold nothing deeper.
    expect(hostileBodyProblem(JSON.parse(`${'['.repeat(MAX_BODY_DEPTH + 1)}${']'.repeat(MAX_BODY_DEPTH + 1)}`))).toBeNull();
  });
});
