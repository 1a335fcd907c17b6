import { CASE_STATUSES, CaseStatus } from '../case/case-status';
import {
  isRemovalCheckDue,
  nextRemovalCheckAt,
  outcomeOfStatus,
  REAPPEARANCE_WATCH_MS,
  REMOVAL_CHECK_OUTCOMES,
  RemovalCheckOutcome,
  removalCheckAction,
  removalScanPeriodMs,
} from './removal-check';

const NOW = new Date('2031-05-01T12:00:00Z');
const DAY = 24 * 3600 * 1000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const result = (outcome: RemovalCheckOutcome, httpStatus: number | null = null) => ({ outcome, httpStatus });

describe('outcomeOfStatus', () => {
  it('counts 404 and 410 as gone', () => {
    expect(outcomeOfStatus(404)).toBe('gone');
    expect(outcomeOfStatus(410)).toBe('gone');
  });

  it('counts server errors as unreachable, to be asked again', () => {
    for (const status of [500, 502, 503, 504, 599]) expect(outcomeOfStatus(status)).toBe('unreachable');
  });

  it('counts everything else as still online: a login wall or another refusal is no evidence of removal', () => {
    for (const status of [200, 204, 206, 301, 304, 400, 401, 403, 429, 451]) expect(outcomeOfStatus(status)).toBe('online');
  });
});

describe('removalCheckAction', () => {
  it('marks confirmed and actioned content removed when it is gone', () => {
    expect(removalCheckAction('confirmed', result('gone', 404), null, NOW)).toBe('mark_removed');
    expect(removalCheckAction('actioned', result('gone', 410), null, NOW)).toBe('mark_removed');
    expect(removalCheckAction('actioned', result('gone'), null, NOW)).toBe('mark_removed'); // NXDOMAIN
  });

  it('leaves confirmed content alone for every other outcome', () => {
    for (const outcome of REMOVAL_CHECK_OUTCOMES.filter((o) => o !== 'gone')) {
      expect(removalCheckAction('actioned', result(outcome, 200), null, NOW)).toBe('none');
      expect(removalCheckAction('confirmed', result(outcome, 302), null, NOW)).toBe('none');
    }
  });

  it('reopens removed or closed content that answers 2xx again within 90 days', () => {
    expect(removalCheckAction('removed', result('online', 200), ago(DAY), NOW)).toBe('reappear');
    expect(removalCheckAction('closed', result('online', 206), ago(89 * DAY), NOW)).toBe('reappear');
    expect(removalCheckAction('closed', result('online', 200), ago(REAPPEARANCE_WATCH_MS), NOW)).toBe('reappear');
  });

  it('does not reopen for an answer that is not content (login wall, redirect, error), nor after 90 days', () => {
    for (const status of [401, 403, 429, 301]) expect(removalCheckAction('removed', result('online', status), ago(DAY), NOW)).toBe('none');
    expect(removalCheckAction('removed', result('redirected', 302), ago(DAY), NOW)).toBe('none');
    expect(removalCheckAction('removed', result('unreachable', 503), ago(DAY), NOW)).toBe('none');
    expect(removalCheckAction('removed', result('gone', 404), ago(DAY), NOW)).toBe('none');
    expect(removalCheckAction('closed', result('online', 200), ago(REAPPEARANCE_WATCH_MS + 1), NOW)).toBe('none');
    expect(removalCheckAction('removed', result('online', 200), null, NOW)).toBe('none');
  });

  it('does nothing for cases outside removal monitoring', () => {
    const watched: CaseStatus[] = ['confirmed', 'actioned', 'removed', 'closed'];
    for (const status of CASE_STATUSES.filter((s) => !watched.includes(s))) {
      for (const outcome of REMOVAL_CHECK_OUTCOMES) expect(removalCheckAction(status, result(outcome, outcome === 'gone' ? 404 : 200), ago(DAY), NOW)).toBe('none');
    }
  });
});

describe('isRemovalCheckDue', () => {
  it('checks confirmed content at once, then when its next check has come', () => {
    expect(isRemovalCheckDue({ status: 'confirmed', removedAt: null }, null, NOW)).toBe(true);
    expect(isRemovalCheckDue({ status: 'actioned', removedAt: null }, ago(1), NOW)).toBe(true);
    expect(isRemovalCheckDue({ status: 'actioned', removedAt: null }, NOW, NOW)).toBe(true);
    expect(isRemovalCheckDue({ status: 'actioned', removedAt: null }, new Date(NOW.getTime() + 1), NOW)).toBe(false);
  });

  it('watches removed content for 90 days after its removal', () => {
    expect(isRemovalCheckDue({ status: 'removed', removedAt: ago(DAY) }, ago(1), NOW)).toBe(true);
    expect(isRemovalCheckDue({ status: 'closed', removedAt: ago(30 * DAY) }, null, NOW)).toBe(true);
    expect(isRemovalCheckDue({ status: 'closed', removedAt: ago(91 * DAY) }, null, NOW)).toBe(false);
    expect(isRemovalCheckDue({ status: 'removed', removedAt: null }, null, NOW)).toBe(false);
  });

  it('never checks cases that are not confirmed content', () => {
    for (const status of ['queued', 'in_assessment', 'pending_review', 'not_illegal', 'harmful_not_illegal', 'unassessable', 'out_of_remit', 'reappeared'] as const) {
      expect(isRemovalCheckDue({ status, removedAt: ago(DAY) }, null, NOW)).toBe(false);
    }
  });
});

describe('scheduling', () => {
  it('asks again one interval after each check', () => {
    expect(nextRemovalCheckAt(NOW, 6 * 3600 * 1000).toISOString()).toBe('2031-05-01T18:00:00.000Z');
  });

  it('scans a thirtieth of the interval, between a second and five minutes', () => {
    expect(removalScanPeriodMs(6 * 3600 * 1000)).toBe(300_000);
    expect(removalScanPeriodMs(60_000)).toBe(2_000);
    expect(removalScanPeriodMs(500)).toBe(1_000);
  });
});
