import { parseHist } from './stats.repository';

describe('parseHist', () => {
  it('reads a bigint[] as PostgreSQL writes it', () => {
    expect(parseHist('{}')).toEqual([]);
    expect(parseHist('{7}')).toEqual([7]);
    expect(parseHist('{0,3,0,12,-1}')).toEqual([0, 3, 0, 12, -1]);
  });

  it('keeps counts beyond 2^31 exact (below 2^53)', () => {
    expect(parseHist('{0,4294967296,9007199254740991}')).toEqual([0, 4_294_967_296, 9_007_199_254_740_991]);
  });
});
