import { changeRate, reviewQuality } from './review-quality';

describe('review quality', () => {
  it('is the share of decisions that changed the verdict', () => {
    expect(changeRate(1, 4)).toBe(0.25);
    expect(changeRate(0, 3)).toBe(0);
    expect(changeRate(3, 3)).toBe(1);
  });

  it('has no rate when nothing was decided (not a 0 % rate)', () => {
    expect(changeRate(0, 0)).toBeNull();
    expect(changeRate(2, -1)).toBeNull();
    expect(changeRate(Number.NaN, 3)).toBeNull();
  });

  it('stays within 0..1 whatever the counts say', () => {
    expect(changeRate(5, 4)).toBe(1);
    expect(changeRate(-1, 4)).toBe(0);
  });

  it('gives the disagreement rate of second reviews and the reversal rate of appeals', () => {
    expect(reviewQuality({ reviews: 8, overturned: 2, appealsDecided: 0, appealsReversed: 0 })).toEqual({
      reviews: 8,
      overturned: 2,
      appealsDecided: 0,
      appealsReversed: 0,
      disagreementRate: 0.25,
      appealReversalRate: null,
    });
    expect(reviewQuality({ reviews: 0, overturned: 0, appealsDecided: 5, appealsReversed: 1 })).toMatchObject({ disagreementRate: null, appealReversalRate: 0.2 });
  });
});
