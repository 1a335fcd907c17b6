import { canReview, isBlindTo, participantIds } from './review-rules';

describe('review rules', () => {
  it('keeps the assessor from reviewing their own verdict', () => {
    expect(canReview('ann', { assessorId: 'ann' })).toBe(false);
    expect(canReview('bob', { assessorId: 'ann' })).toBe(true);
  });

  it('keeps the earlier reviewer and the appellant from deciding an appeal', () => {
    const appeal = { assessorId: 'ann', others: ['bob', 'cat'] };
    expect(participantIds(appeal)).toEqual(['ann', 'bob', 'cat']);
    expect(canReview('ann', appeal)).toBe(false);
    expect(canReview('bob', appeal)).toBe(false);
    expect(canReview('cat', appeal)).toBe(false);
    expect(canReview('dan', appeal)).toBe(true);
  });

  it('knows no assessor for a verdict settled without an assessment, but still keeps the appellant out', () => {
    const knownUrlAppeal = { assessorId: null, others: ['cat'] };
    expect(participantIds(knownUrlAppeal)).toEqual(['cat']);
    expect(canReview('cat', knownUrlAppeal)).toBe(false);
    expect(canReview('dan', knownUrlAppeal)).toBe(true);
    expect(isBlindTo('dan', { reviewBlind: true, pendingReview: true, participants: knownUrlAppeal })).toBe(true);
    expect(isBlindTo('cat', { reviewBlind: true, pendingReview: true, participants: knownUrlAppeal })).toBe(false);
  });

  it('hides the verdict under review from everyone who did not take part', () => {
    const participants = { assessorId: 'ann' };
    expect(isBlindTo('bob', { reviewBlind: true, pendingReview: true, participants })).toBe(true);
    expect(isBlindTo('ann', { reviewBlind: true, pendingReview: true, participants })).toBe(false);
    expect(isBlindTo('bob', { reviewBlind: false, pendingReview: true, participants })).toBe(false);
    expect(isBlindTo('bob', { reviewBlind: true, pendingReview: false, participants })).toBe(false);
    // no recorded assessment (data from before assessments were recorded): nobody is exempt
    expect(isBlindTo('ann', { reviewBlind: true, pendingReview: true, participants: null })).toBe(true);
  });
});
