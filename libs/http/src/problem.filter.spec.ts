import { toProblem } from './problem.filter';

describe('toProblem', () => {
  it('answers a domain error by the problem it names, and anything unknown as internal', () => {
    const changed = Object.assign(new Error('case x is no longer queued'), { problemKind: 'case_changed' });
    expect(toProblem(changed)).toMatchObject({ kind: 'case_changed' });
    expect(toProblem(Object.assign(new Error('x'), { problemKind: 'no_such_kind' }))).toMatchObject({ kind: 'internal' });
    expect(toProblem(Object.assign(new Error('x'), { problemKind: 'toString' }))).toMatchObject({ kind: 'internal' });
    expect(toProblem(new Error('boom'))).toMatchObject({ kind: 'internal' });
  });
});
