import type { CaseStatus } from '../case/case-status';
import { publicReportStatus, ReportCaseFacts } from './public-status';

const facts = (status: CaseStatus, more: Partial<ReportCaseFacts> = {}): ReportCaseFacts => ({
  status,
  claimedSinceReport: false,
  hasActions: false,
  settledWithoutHuman: false,
  ...more,
});

describe('publicReportStatus', () => {
  it('is received while no case exists yet or every case waits unclaimed', () => {
    expect(publicReportStatus([])).toBe('received');
    expect(publicReportStatus([facts('queued'), facts('reappeared')])).toBe('received');
  });

  it('is in review once an analyst took any case, even if the lease lapsed back to the queue', () => {
    expect(publicReportStatus([facts('queued'), facts('in_assessment')])).toBe('in_review');
    expect(publicReportStatus([facts('queued', { claimedSinceReport: true })])).toBe('in_review');
    expect(publicReportStatus([facts('pending_review')])).toBe('in_review');
  });

  it('counts a case an analyst settled as taken, but not one a known-URL list settled', () => {
    expect(publicReportStatus([facts('queued'), facts('not_illegal')])).toBe('in_review');
    expect(publicReportStatus([facts('queued'), facts('not_illegal', { settledWithoutHuman: true })])).toBe('received');
  });

  it('is action taken once any case is confirmed and acted on, whatever the others are', () => {
    expect(publicReportStatus([facts('confirmed'), facts('queued')])).toBe('in_review');
    expect(publicReportStatus([facts('confirmed', { hasActions: true }), facts('queued')])).toBe('action_taken');
    expect(publicReportStatus([facts('actioned'), facts('in_assessment')])).toBe('action_taken');
    expect(publicReportStatus([facts('removed'), facts('not_illegal')])).toBe('action_taken');
  });

  it('is closed only when every case is settled', () => {
    expect(publicReportStatus([facts('closed'), facts('not_illegal'), facts('out_of_remit'), facts('unassessable')])).toBe('closed');
    expect(publicReportStatus([facts('harmful_not_illegal', { settledWithoutHuman: true })])).toBe('closed');
    expect(publicReportStatus([facts('closed'), facts('removed')])).toBe('action_taken');
  });
});
