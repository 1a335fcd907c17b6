import { CASE_STATUSES, canTransition } from './case-status';
import { REMOVABLE_STATUSES, removalSteps } from './removal';

describe('removalSteps', () => {
  it('passes a confirmed case through actioned', () => {
    expect(removalSteps('confirmed')).toEqual(['actioned', 'removed']);
    expect(removalSteps('actioned')).toEqual(['removed']);
  });

  it('applies to confirmed content only, and only once', () => {
    expect(REMOVABLE_STATUSES).toEqual(['confirmed', 'actioned']);
    for (const status of CASE_STATUSES.filter((s) => !REMOVABLE_STATUSES.includes(s))) expect(removalSteps(status)).toBeNull();
  });

  it('only takes steps the state machine allows', () => {
    for (const from of REMOVABLE_STATUSES) {
      let previous = from;
      for (const next of removalSteps(from)!) {
        expect(canTransition(previous, next)).toBe(true);
        previous = next;
      }
      expect(previous).toBe('removed');
    }
  });

  it('gives each caller its own list', () => {
    removalSteps('confirmed')!.push('closed');
    expect(removalSteps('confirmed')).toEqual(['actioned', 'removed']);
  });
});
