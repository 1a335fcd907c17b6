import { canTransition } from '../case/case-status';
import {
  APPEALABLE_STATUSES,
  blindReviewDecision,
  finalStatusOf,
  ILLEGAL_VERDICTS,
  isIllegalVerdict,
  isKnownUrlVerdict,
  isVerdict,
  KNOWN_URL_VERDICTS,
  reviewOutcome,
  statusAfterAssessment,
  VERDICTS,
} from './verdicts';

describe('verdicts', () => {
  it('names the six verdicts, two of them illegal', () => {
    expect([...VERDICTS].sort()).toEqual(['baseline', 'harmful_not_illegal', 'national', 'not_illegal', 'out_of_remit', 'unassessable']);
    expect([...ILLEGAL_VERDICTS].sort()).toEqual(['baseline', 'national']);
    expect(isIllegalVerdict('harmful_not_illegal')).toBe(false);
    expect(isVerdict('national')).toBe(true);
    expect(isVerdict('confirmed')).toBe(false);
    expect(isVerdict(undefined)).toBe(false);
  });

  it('sends illegal verdicts to review and settles the others at once', () => {
    expect(statusAfterAssessment('baseline')).toBe('pending_review');
    expect(statusAfterAssessment('national')).toBe('pending_review');
    expect(statusAfterAssessment('not_illegal')).toBe('not_illegal');
    expect(statusAfterAssessment('harmful_not_illegal')).toBe('harmful_not_illegal');
    expect(statusAfterAssessment('unassessable')).toBe('unassessable');
    expect(statusAfterAssessment('out_of_remit')).toBe('out_of_remit');
  });

  it('only produces moves the case status machine allows', () => {
    for (const verdict of VERDICTS) {
      expect(canTransition('in_assessment', statusAfterAssessment(verdict))).toBe(true);
      expect(canTransition('pending_review', finalStatusOf(verdict))).toBe(true);
    }
    for (const status of APPEALABLE_STATUSES) expect(canTransition(status, 'pending_review')).toBe(true);
  });

  it('confirms the verdict under review or replaces it with the reviewer’s', () => {
    expect(reviewOutcome('confirm', 'national')).toEqual({ verdict: 'national', status: 'confirmed' });
    expect(reviewOutcome('confirm', 'national', 'baseline')).toEqual({ verdict: 'national', status: 'confirmed' });
    expect(reviewOutcome('overturn', 'national', 'baseline')).toEqual({ verdict: 'baseline', status: 'confirmed' });
    expect(reviewOutcome('overturn', 'baseline', 'harmful_not_illegal')).toEqual({ verdict: 'harmful_not_illegal', status: 'harmful_not_illegal' });
    // an appeal of a non-illegal verdict that is confirmed leaves it where it was
    expect(reviewOutcome('confirm', 'not_illegal')).toEqual({ verdict: 'not_illegal', status: 'not_illegal' });
    expect(() => reviewOutcome('overturn', 'national')).toThrow();
  });

  it('decides a blind review by comparing verdicts, not by what the reviewer claimed', () => {
    expect(blindReviewDecision('national', 'national')).toBe('confirm');
    expect(blindReviewDecision('national', 'baseline')).toBe('overturn');
    expect(blindReviewDecision('baseline', 'not_illegal')).toBe('overturn');
  });

  it('lets a known-URL list carry only verdicts about the content, each settling a case for good', () => {
    expect(KNOWN_URL_VERDICTS.every(isVerdict)).toBe(true);
    expect(KNOWN_URL_VERDICTS.map(finalStatusOf)).toEqual(['confirmed', 'confirmed', 'harmful_not_illegal', 'not_illegal']);
    expect(isKnownUrlVerdict('not_illegal')).toBe(true);
    expect(isKnownUrlVerdict('unassessable')).toBe(false);
    expect(isKnownUrlVerdict('out_of_remit')).toBe(false);
  });
});
