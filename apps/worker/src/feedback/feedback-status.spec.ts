import type { FeedbackCaseFacts } from '@hotline/persistence';
import { statusesToTell } from './feedback-status';

const facts = (report_id: string, status: FeedbackCaseFacts['status'], more: Partial<FeedbackCaseFacts> = {}): FeedbackCaseFacts => ({
  report_id,
  status,
  claimed_since_report: false,
  has_actions: false,
  settled_without_human: false,
  ...more,
});

describe('statusesToTell', () => {
  it('tells nothing while a report is only received', () => {
    expect(statusesToTell(['r1'], [facts('r1', 'queued')])).toEqual([]);
    // Its URLs are not placed in cases yet.
    expect(statusesToTell(['r2'], [])).toEqual([]);
  });

  it('tells each report its own public status, from all of its cases', () => {
    const told = statusesToTell(
      ['a', 'b', 'c', 'd'],
      [
        facts('a', 'in_assessment'),
        facts('a', 'queued'),
        facts('b', 'confirmed', { has_actions: true }),
        facts('b', 'queued'),
        facts('c', 'not_illegal'),
        facts('c', 'closed'),
        facts('d', 'queued', { claimed_since_report: true }),
      ],
    );
    expect(told).toEqual([
      { reportId: 'a', status: 'in_review' },
      { reportId: 'b', status: 'action_taken' },
      { reportId: 'c', status: 'closed' },
      { reportId: 'd', status: 'in_review' },
    ]);
  });

  it('never tells a verdict: a case judged not illegal reads closed, like one acted on and closed', () => {
    expect(statusesToTell(['x'], [facts('x', 'not_illegal')])).toEqual([{ reportId: 'x', status: 'closed' }]);
    expect(statusesToTell(['y'], [facts('y', 'closed')])).toEqual([{ reportId: 'y', status: 'closed' }]);
  });

  it('ignores facts of reports it was not asked about', () => {
    expect(statusesToTell(['a'], [facts('zz', 'in_assessment')])).toEqual([]);
  });
});
